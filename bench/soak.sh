#!/usr/bin/env bash
# bench/soak.sh - the soak test (docs/benchmarks.md, "Soak and buffer leaks").
#
# Starts the local system (./run-local.sh, H2 or --postgres) with Netty's buffer leak
# detection on (paranoid: every buffer tracked) and rate limits off, then keeps three
# request paths through the gateway busy for --duration seconds with wrk:
#   GET /api/users/{id}, GET /api/users/{id}/orders (fan-out), POST /api/orders.
# Every --interval seconds it records each JVM's RSS; at one minute and at
# the end it forces a full GC in every JVM (jcmd GC.run) and records the live heap, so
# that growth of what is actually retained shows apart from the heap's normal breathing.
# At the end it looks for Netty's "LEAK:" reports in every app's log.
#
# Exit status: 0 when no leak was reported, no request failed and no JVM's live heap
# grew by more than 20% from the first minute to the end; 1 otherwise.
# Raw output: bench/results/<name>-<UTC timestamp>.txt. Loopback only; serialize with
# other users of run-local.sh's fixed ports: flock /tmp/cloudref-run-local.lock bench/soak.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd -P)

DURATION=600
INTERVAL=30
LEAK_LEVEL=paranoid
POSTGRES=0
NAME=soak
usage() {
    cat <<EOF
Usage: bench/soak.sh [--duration S] [--interval S] [--leak-detection LEVEL] [--postgres] [--name NAME]

  --duration S            seconds of load (default $DURATION)
  --interval S            seconds between memory samples (default $INTERVAL)
  --leak-detection LEVEL  Netty io.netty.leakDetection.level: disabled, simple, advanced,
                          paranoid (default $LEAK_LEVEL; paranoid costs CPU, so the request
                          rates of a soak are not benchmark figures)
  --postgres              services on PostgreSQL (see ./run-local.sh --help)
  --name NAME             raw output bench/results/NAME-<timestamp>.txt (default $NAME)

Needs wrk, curl, jq and the jars (./mvnw -q package -DskipTests). JAVA_OPTS are passed on.
EOF
}
die() { printf 'soak: ERROR: %s\n' "$*" >&2; exit 1; }
need_num() { case "$2" in ''|*[!0-9]*) die "$1 needs a whole number, got '$2'" ;; esac; }
while [ $# -gt 0 ]; do
    case "$1" in
        --duration) need_num "$1" "${2:-}"; DURATION=$2; shift 2 ;;
        --interval) need_num "$1" "${2:-}"; INTERVAL=$2; shift 2 ;;
        --leak-detection) LEAK_LEVEL=${2:-}; shift 2 ;;
        --postgres) POSTGRES=1; shift ;;
        --name) NAME=${2:-}; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown option $1" ;;
    esac
done
case "$LEAK_LEVEL" in disabled|simple|advanced|paranoid) ;; *) die "unknown leak detection level $LEAK_LEVEL" ;; esac
[ "$DURATION" -ge 120 ] || die "--duration must be at least 120 (the first minute is the baseline)"
for tool in wrk curl jq; do command -v "$tool" >/dev/null || die "$tool is missing (Debian: apt-get install -y $tool)"; done

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
WORK="$ROOT/.local/bench/soak-$STAMP"
mkdir -p "$WORK" "$ROOT/bench/results"
OUT="$ROOT/bench/results/$NAME-$STAMP.txt"
note() { printf '[soak %s] %s\n' "$(date -u +%H:%M:%S)" "$*" | tee -a "$OUT" >&2; }

LAUNCHER_PID=""
LOAD_PIDS=""
cleanup() {
    set +e
    trap '' INT TERM
    for p in $LOAD_PIDS; do kill "$p" 2>/dev/null; done
    if [ -n "$LAUNCHER_PID" ] && kill -0 "$LAUNCHER_PID" 2>/dev/null; then
        note "stopping the system"
        kill -TERM "$LAUNCHER_PID"; wait "$LAUNCHER_PID" 2>/dev/null
    fi
    note "raw output: ${OUT#"$ROOT"/}"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

{
    echo "# cloudref soak, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "# command: bench/soak.sh --duration $DURATION --interval $INTERVAL --leak-detection $LEAK_LEVEL$([ "$POSTGRES" = 1 ] && echo ' --postgres')"
    echo "# commit: $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)')"
    echo "# machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} >> "$OUT"

LAUNCH_ARGS=(--no-build)
[ "$POSTGRES" = 1 ] && LAUNCH_ARGS+=(--postgres)
LAUNCH_LOG="$WORK/run-local.log"
note "starting the system (log: ${LAUNCH_LOG#"$ROOT"/})"
GATEWAY_RATE_LIMIT_ENABLED=false STARTUP_TIMEOUT=${STARTUP_TIMEOUT:-420} \
JAVA_OPTS="${JAVA_OPTS:-} -Dio.netty.leakDetection.level=$LEAK_LEVEL" \
    ./run-local.sh "${LAUNCH_ARGS[@]}" > "$LAUNCH_LOG" 2>&1 &
LAUNCHER_PID=$!
until grep -qs "Press Ctrl-C" "$LAUNCH_LOG"; do
    kill -0 "$LAUNCHER_PID" 2>/dev/null || { tail -n 30 "$LAUNCH_LOG" >&2; die "run-local.sh exited"; }
    sleep 1
done
grep 'JVM options' "$LAUNCH_LOG" | sed 's/^/# /' >> "$OUT"
JAVA_BIN=$(sed -n 's/.*Java [0-9]* (\(.*\/bin\)\/java).*/\1/p' "$LAUNCH_LOG" | head -n 1)
[ -x "$JAVA_BIN/jcmd" ] || JAVA_BIN=$(dirname "$(readlink -f "$(command -v java)")")

APPS="api-gateway user-service-1 user-service-2 order-service-1 order-service-2 eureka-server"
PIDS=""
for app in $APPS; do
    pid=$(pgrep -P "$LAUNCHER_PID" -f -- "-Dcloudref.local=$app " | head -n 1 || true)
    [ -n "$pid" ] || die "no process for $app"
    PIDS="$PIDS $app:$pid"
done

KEY=$(cat .local/api-key)
GW=https://localhost:8443
CURL=(curl -sS --max-time 10 --cacert .local/certs/gateway.crt -H "X-API-Key: $KEY" -H 'Content-Type: application/json')
json_id() { jq -r '.id // empty'; }
READER=$("${CURL[@]}" -d "{\"name\":\"Soak Reader\",\"email\":\"soak-r-$STAMP@example.com\"}" "$GW/api/users" | json_id)
WRITER=$("${CURL[@]}" -d "{\"name\":\"Soak Writer\",\"email\":\"soak-w-$STAMP@example.com\"}" "$GW/api/users" | json_id)
[ -n "$READER" ] && [ -n "$WRITER" ] || die "could not create the soak users"
"${CURL[@]}" -d "{\"userId\":\"$READER\",\"sku\":\"SOAK-1\",\"quantity\":1}" "$GW/api/orders" | json_id | grep -q . \
    || die "could not create the soak order"
cat > "$WORK/post-order.lua" <<EOF
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"userId":"$WRITER","sku":"SOAK-2","quantity":1}'
EOF

# heap_used PID: heap in use, KiB (young + old), from jstat.
heap_used() { "$JAVA_BIN/jstat" -gc "$1" 2>/dev/null | awk 'NR == 2 {printf "%.0f", $3 + $4 + $6 + $8}'; }
rss() { awk '/^VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
# live_heap LABEL: full GC in every JVM, then "LABEL app KiB" per app into live.txt.
live_heap() {
    local e
    for e in $PIDS; do
        "$JAVA_BIN/jcmd" "${e#*:}" GC.run > /dev/null 2>&1 || true
        printf '%s %s %s\n' "$1" "${e%%:*}" "$(heap_used "${e#*:}")" >> "$WORK/live.txt"
    done
}
sample() {  # SECONDS: "t app rss_kib" per app into samples.txt (read from /proc: no JVM tool
    local e  # started every interval, which would load the machine it measures)
    for e in $PIDS; do
        printf '%s %s %s\n' "$1" "${e%%:*}" "$(rss "${e#*:}")" >> "$WORK/samples.txt"
    done
}

note "load for ${DURATION}s: wrk on GET /api/users/{id} (-c2), GET /api/users/{id}/orders (-c1), POST /api/orders (-c1); leak detection $LEAK_LEVEL"
WRK=(wrk -t1 --timeout 10s -d "${DURATION}s" -H "X-API-Key: $KEY")
"${WRK[@]}" -c2 "$GW/api/users/$READER" > "$WORK/wrk-get-user.txt" 2>&1 & LOAD_PIDS="$LOAD_PIDS $!"
"${WRK[@]}" -c1 "$GW/api/users/$READER/orders" > "$WORK/wrk-user-orders.txt" 2>&1 & LOAD_PIDS="$LOAD_PIDS $!"
"${WRK[@]}" -c1 -s "$WORK/post-order.lua" "$GW/api/orders" > "$WORK/wrk-post-order.txt" 2>&1 & LOAD_PIDS="$LOAD_PIDS $!"
: > "$WORK/samples.txt"; : > "$WORK/live.txt"
T0=$(date +%s)
elapsed=0
sample 0
while [ "$elapsed" -lt "$DURATION" ]; do
    sleep "$INTERVAL"
    elapsed=$(( $(date +%s) - T0 ))
    if [ ! -s "$WORK/live.txt" ] && [ "$elapsed" -ge 60 ]; then live_heap first; fi
    sample "$elapsed"
done
for p in $LOAD_PIDS; do wait "$p" || true; done
LOAD_PIDS=""
live_heap last
# Netty reports a leak when the buffer is collected; the forced GC above found them,
# a few more requests give the detector the allocations on which it reports.
for _ in 1 2 3 4 5; do "${CURL[@]}" -o /dev/null "$GW/api/users/$READER" || true; done
sleep 2

FAILED=0
{
    echo
    echo "## Requests (wrk, closed model, through the gateway over TLS)"
    for f in get-user user-orders post-order; do
        printf '%-12s %s; %s; %s\n' "$f" \
            "$(grep -o '[0-9]* requests in [^,]*' "$WORK/wrk-$f.txt" || echo '? requests')" \
            "$(grep -o 'Requests/sec: *[0-9.]*' "$WORK/wrk-$f.txt" || echo '?')" \
            "non-2xx/3xx: $(awk '/Non-2xx/ {print $NF}' "$WORK/wrk-$f.txt" | grep . || echo 0), socket errors: $(grep -o 'Socket errors:.*' "$WORK/wrk-$f.txt" || echo none)"
    done
    echo
    echo "## RSS MiB per sample (t = seconds into the load)"
    awk '{ if (!($1 in seen)) { seen[$1] = 1; ts[++n] = $1 } rss[$1, $2] = $3 }
         END {
             split("api-gateway user-service-1 user-service-2 order-service-1 order-service-2 eureka-server", a, " ")
             printf "%6s", "t"; for (i = 1; i <= 6; i++) printf " %16s", a[i]; print ""
             for (j = 1; j <= n; j++) { printf "%6s", ts[j]; for (i = 1; i <= 6; i++) printf " %16.0f", rss[ts[j], a[i]] / 1024; print "" }
         }' "$WORK/samples.txt"
    echo
    echo "## Live heap after a full GC, MiB: at the first minute and at the end"
    awk '{ v[$1, $2] = $3; apps[$2] = 1 }
         END { for (a in apps) printf "%-16s %7.1f -> %7.1f  (%+.0f%%)\n", a, v["first", a] / 1024, v["last", a] / 1024,
                                  (v["first", a] > 0 ? 100 * (v["last", a] - v["first", a]) / v["first", a] : 0) }' \
        "$WORK/live.txt" | sort
    echo
    echo "## Netty leak reports (LEAK:) per log"
    for e in $PIDS; do printf '%-16s %s\n' "${e%%:*}" "$(grep -c 'LEAK:' ".local/logs/${e%%:*}.log" || true)"; done
} | tee -a "$OUT"

if grep -q 'LEAK:' .local/logs/*.log; then
    note "Netty reported leaks: grep -A20 LEAK: .local/logs/*.log"; FAILED=1
fi
if grep -qE 'Non-2xx|Socket errors' "$WORK"/wrk-*.txt; then note "some requests failed (see above)"; FAILED=1; fi
if awk '$1 == "first" { f[$2] = $3 } $1 == "last" && f[$2] > 0 && $3 > 1.2 * f[$2] { bad = 1 } END { exit !bad }' "$WORK/live.txt"; then
    note "a live heap grew by more than 20% from the first minute to the end"; FAILED=1
fi
[ "$FAILED" = 0 ] && note "no leak reported, no failed request, no live-heap growth above 20%"
exit "$FAILED"
