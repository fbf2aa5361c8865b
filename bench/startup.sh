#!/usr/bin/env bash
# bench/startup.sh - start-up time and RSS of one app at a time, per JVM variant.
#
#   bench/startup.sh [-n RUNS] VARIANT APP...
#
# VARIANT: 17-jar | 25-jar | 17-cds | 25-aot | 25-extracted
#   17-jar / 25-jar   java -jar on the fat jar (what run-local.sh did before)
#   17-cds            extracted jar + dynamic CDS archive (JDK 17)
#   25-aot            extracted jar + JDK AOT cache (JDK 25)
#   25-extracted      extracted jar, no cache (separates the two effects)
# APP: eureka-server user-service order-service api-gateway
#
# Prints one CSV line per run: variant,app,run,started_s,process_s,ready_s,rss_mib,load1,cpu_s
# started_s/process_s are Spring's "Started ... in X seconds (process running for Y)";
# ready_s is wall time from exec to /actuator/health/readiness answering UP; rss_mib is
# VmRSS right after that; cpu_s the CPU time (user + system) the JVM had used by then,
# which depends much less on what else runs on the machine than the wall times do. A Eureka server (JDK 17, plain) runs on :18761 while services
# and the gateway are measured, so their registry client talks to a real registry.
# Ports 18760 (Eureka measured), 18761 (registry), 18081/19081 are used; the caches go to .local/bench-startup/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd -P)

JDK17=${JDK17:-/usr/lib/jvm/java-17-openjdk-amd64/bin/java}
JDK25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
JVM_OPTS=(-XX:+UseSerialGC -Xms32m -Xmx128m -XX:MaxMetaspaceSize=192m -XX:ReservedCodeCacheSize=64m -XX:MaxDirectMemorySize=64m -Xss512k -XX:+ExitOnOutOfMemoryError)   # as the launcher (RunLocal.DEFAULT_JVM_OPTIONS)
RUNS=3
if [ "${1:-}" = -n ]; then RUNS=$2; shift 2; fi
VARIANT=$1; shift
WORK="$ROOT/.local/bench-startup"
mkdir -p "$WORK"

jar_of() {  # MODULE: its executable jar
    local f
    for f in "$ROOT/$1/target/$1"-*.jar; do
        case "$f" in *-plain.jar|*-sources.jar) continue ;; esac
        printf '%s' "$f"; return 0
    done
}

# args_for VARIANT APP: java executable, then its arguments, one per line.
args_for() {
    local jar; jar=$(jar_of "$2")
    case "$1" in
        17-jar) printf '%s\n' "$JDK17" "${JVM_OPTS[@]}" -jar "$jar" ;;
        25-jar) printf '%s\n' "$JDK25" "${JVM_OPTS[@]}" -jar "$jar" ;;
        17-cds) printf '%s\n' "$JDK17" "${JVM_OPTS[@]}"
                ./run-local.sh startup-cache "$JDK17" "$jar" "$WORK/17/$2" "${JVM_OPTS[@]}" ;;
        25-aot) printf '%s\n' "$JDK25" "${JVM_OPTS[@]}"
                ./run-local.sh startup-cache "$JDK25" "$jar" "$WORK/25/$2" "${JVM_OPTS[@]}" ;;
        25-extracted)
                ./run-local.sh startup-cache "$JDK25" "$jar" "$WORK/25/$2" "${JVM_OPTS[@]}" >/dev/null
                printf '%s\n' "$JDK25" "${JVM_OPTS[@]}" -jar "$WORK/25/$2/app/$(basename "$jar")" ;;
        *) echo "unknown variant $1" >&2; exit 2 ;;
    esac
}

now_ms() { date +%s%3N; }

EUREKA_PID=""
# The registry is closed to anonymous clients: one password for this run.
BENCH_EUREKA_PASSWORD=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
cleanup() { [ -n "$EUREKA_PID" ] && kill "$EUREKA_PID" 2>/dev/null; wait 2>/dev/null; true; }
trap cleanup EXIT

start_registry() {
    [ -n "$EUREKA_PID" ] && return 0
    EUREKA_PORT=18761 EUREKA_PASSWORD="$BENCH_EUREKA_PASSWORD" "$JDK17" "${JVM_OPTS[@]}" -jar "$(jar_of eureka-server)" >"$WORK/registry.log" 2>&1 &
    EUREKA_PID=$!
    until curl -sf -o /dev/null http://127.0.0.1:18761/actuator/health/readiness; do sleep 0.5; done
}

measure() {  # APP RUN
    local app=$1 run=$2 mgmt port log pid t0 t1 line started process rss cpu args=()
    case "$app" in
        eureka-server) port=18760; mgmt=18760 ;;
        *) port=18081; mgmt=19081; start_registry ;;
    esac
    while IFS= read -r line; do args+=("$line"); done < <(args_for "$VARIANT" "$app")
    log="$WORK/$VARIANT-$app-$run.log"
    rm -rf "$WORK/run-data" "$WORK/run-certs"
    t0=$(now_ms)
    EUREKA_PORT=$port SERVER_PORT=$port MANAGEMENT_PORT=$mgmt DATA_DIR="$WORK/run-data" \
        GATEWAY_TLS_DIR="$WORK/run-certs" EUREKA_URL="http://registry:$BENCH_EUREKA_PASSWORD@127.0.0.1:18761/eureka/" \
        "${args[@]}" >"$log" 2>&1 &
    pid=$!
    until curl -s --max-time 1 "http://127.0.0.1:$mgmt/actuator/health/readiness" 2>/dev/null | grep -q '"UP"'; do
        kill -0 "$pid" 2>/dev/null || { echo "$app died, see $log" >&2; return 1; }
        sleep 0.1
    done
    t1=$(now_ms)
    rss=$(awk '/VmRSS/ {printf "%d", $2 / 1024}' "/proc/$pid/status")
    # Fields 14 and 15 of /proc/PID/stat (after the parenthesised name): utime, stime.
    cpu=$(sed -E 's/.*\) //' "/proc/$pid/stat" | awk -v hz="$(getconf CLK_TCK)" '{printf "%.1f", ($12 + $13) / hz}')
    line=$(grep -m1 -o 'Started [A-Za-z]* in [0-9.]* seconds (process running for [0-9.]*)' "$log" || true)
    started=$(printf '%s' "$line" | sed -E 's/.* in ([0-9.]+) seconds.*/\1/')
    process=$(printf '%s' "$line" | sed -E 's/.*running for ([0-9.]+)\)/\1/')
    kill "$pid"; wait "$pid" 2>/dev/null || true
    printf '%s,%s,%s,%s,%s,%s,%s,%s,%s\n' "$VARIANT" "$app" "$run" "$started" "$process" \
        "$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f", (b - a) / 1000}')" "$rss" \
        "$(cut -d' ' -f1 /proc/loadavg)" "$cpu"
}

for app in "$@"; do
    for run in $(seq 1 "$RUNS"); do
        measure "$app" "$run"
    done
done
