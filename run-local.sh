#!/usr/bin/env bash
# run-local.sh - run the whole demo on a bare machine (JDK >= 17, no Docker):
# Eureka (one peer, or two with --eureka-peers 2), N x user-service, N x order-service and
# the HTTPS gateway as JVM processes, optionally (--zipkin) a Zipkin server that collects
# their traces.
# State (logs, H2 files, gateway certificate, API key, Zipkin jar) lives under .local/.
# See --help.
#
# Written for bash 3.2+ (macOS default bash): no associative arrays, no `wait -n`.
set -euo pipefail

SCRIPT_START=$SECONDS
CALLER_DIR=$(pwd)
cd "$(dirname "${BASH_SOURCE[0]}")"
ROOT=$(pwd -P)

# ---------------------------------------------------------------------------
# Constants
# ---------------------------------------------------------------------------
EUREKA_PORT=8761
EUREKA_PORT_2=8762       # second Eureka peer, only with --eureka-peers 2
GATEWAY_PORT=8443
GATEWAY_MGMT_PORT=9090
USER_PORT_BASE=8081
USER_MGMT_BASE=9081
ORDER_PORT_BASE=8091
ORDER_MGMT_BASE=9091
ZIPKIN_PORT=9411
ZIPKIN_VERSION=3.6.1
MAX_INSTANCES=9          # keeps 808x/809x and 908x/909x ranges from overlapping (9090!)
STOP_TIMEOUT=25          # seconds from first SIGTERM to SIGKILL of leftovers
# Memory, sized from measurements (docs/benchmarks.md, "Memory"): after a 60 s load run
# a service holds 40-45 MiB of live heap, 20,000 loaded classes (about 120 MiB of class
# metadata, most of it in the AOT cache's class space) and 30-45 MiB of compiled code.
# Heap capped at 128 MiB (three times the live set), starting at 32 MiB; metaspace, code
# cache and direct buffers capped so that a leak ends in an OutOfMemoryError (and exit)
# instead of a slow climb; 512 KiB thread stacks (reactive apps have few threads).
DEFAULT_JAVA_OPTS="-XX:+UseSerialGC -Xms32m -Xmx128m -XX:MaxMetaspaceSize=192m -XX:ReservedCodeCacheSize=64m -XX:MaxDirectMemorySize=64m -Xss512k -XX:+ExitOnOutOfMemoryError"
# glibc's malloc keeps up to 8 arenas per core for a multi-threaded process; two are
# plenty for the JVM's few native allocations and keep RSS from fragmenting upward.
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
MODULES="eureka-server user-service order-service api-gateway"
# Services added with tools/new-service.sh (docs/new-service.md), one instance each:
# space-separated module:port:management-port:database entries. The gateway routes them
# by their registration's public-path, so nothing else here changes.
EXTRA_SERVICES=""
for entry in $EXTRA_SERVICES; do MODULES="$MODULES ${entry%%:*}"; done

LOCAL_DIR="$ROOT/.local"
LOG_DIR="$LOCAL_DIR/logs"
DATA_DIR_ABS="$LOCAL_DIR/data"
CERT_DIR="$LOCAL_DIR/certs"
CERT_FILE="$CERT_DIR/gateway.crt"
KEY_FILE="$LOCAL_DIR/api-key"
ZIPKIN_DIR="$LOCAL_DIR/zipkin"
ZIPKIN_JAR="$ZIPKIN_DIR/zipkin-server-$ZIPKIN_VERSION-exec.jar"
ZIPKIN_ARTIFACT="io.zipkin:zipkin-server:$ZIPKIN_VERSION:jar:exec"
ZIPKIN_UI="http://localhost:$ZIPKIN_PORT/zipkin/"

# ---------------------------------------------------------------------------
# Output helpers
# ---------------------------------------------------------------------------
# Output must never be what kills the launcher: with `./run-local.sh | tee run.log`,
# Ctrl-C ends tee too, and a SIGPIPE (or a failed write under set -e) would end this
# script before it stops the JVMs it started. So SIGPIPE is ignored and writes may fail.
trap '' PIPE
log()  { printf '[run-local %4ss] %s\n' "$((SECONDS - SCRIPT_START))" "$*" 2>/dev/null || true; }
warn() { printf '[run-local] WARNING: %s\n' "$*" >&2 2>/dev/null || true; }
die()  { printf '[run-local] ERROR: %s\n' "$*" >&2; exit 1; }

usage() {
    cat <<EOF
Usage: ./run-local.sh [--build | --no-build] [--instances N] [--eureka-peers N] [--postgres] [--zipkin] [--help]

Builds the project if needed, starts Eureka (:$EUREKA_PORT), N x user-service,
N x order-service and the HTTPS API gateway (:$GATEWAY_PORT) as background JVM
processes, waits until every instance is healthy, registered and routable, prints
the gateway URL, the API key and example requests, then stays in the foreground.
Ctrl-C stops every process it started (gateway first, Eureka and Zipkin last).

Options:
  --build          always run the Maven build first
  --no-build       never build; use the jars under */target/ as they are
  --instances N    instances of user-service and order-service (1-$MAX_INSTANCES, default 2)
  --eureka-peers N Eureka peers (1 or 2, default 1). With 2, eureka-server-1 (:$EUREKA_PORT)
                   and eureka-server-2 (:$EUREKA_PORT_2) replicate to each other and every
                   app knows both, as in docker-compose. Registry down: kill one, e.g.
                   kill -9 \$(pgrep -f cloudref.local=eureka-server-1), and routing and
                   registration go on through the other (the launcher keeps running).
  --postgres       the services use PostgreSQL (DB_HOST, DB_PORT, DB_USER, DB_PASSWORD;
                   default localhost:5432, user postgres) instead of the embedded H2 files,
                   databases users and orders (created with createdb if missing). With H2,
                   the instance that holds a database file serves it to the other one, so
                   killing it costs the other a second of 503s; PostgreSQL has no such
                   single point (docs/resilience.md).
  --zipkin         also run a Zipkin server (:$ZIPKIN_PORT, in-memory storage) and send
                   the traces of the gateway and the services to it.
                   UI: $ZIPKIN_UI ; every gateway response carries
                   its trace id in the X-Trace-Id header: ${ZIPKIN_UI}traces/<id>
                   The first use fetches $ZIPKIN_ARTIFACT
                   (~135 MB) with ./mvnw into .local/zipkin/.
  -h, --help       show this help

By default the build (./mvnw -B -q package -DskipTests) runs only when a jar is
missing or a pom.xml or a file under */src/ is newer than a jar. After a build, each
app's start-up cache is made again by a training run (tools/startup-cache.sh), costing
about one start of each app, once; every later start needs about half the CPU.

Ports (all must be free; the services listen on 127.0.0.1 only):
  eureka-server      $EUREKA_PORT            dashboard http://localhost:$EUREKA_PORT/
  eureka-server-2    $EUREKA_PORT_2            dashboard http://localhost:$EUREKA_PORT_2/, only with --eureka-peers 2
  api-gateway        $GATEWAY_PORT (HTTPS)    management $GATEWAY_MGMT_PORT
  user-service  #i   $((USER_PORT_BASE))+i-1         management $((USER_MGMT_BASE))+i-1
  order-service #i   $((ORDER_PORT_BASE))+i-1         management $((ORDER_MGMT_BASE))+i-1
  zipkin             $ZIPKIN_PORT            only with --zipkin
  added services     EXTRA_SERVICES in this script (tools/new-service.sh, docs/new-service.md):
                     one instance each on the ports its entry names (8101/9101, 8102/9102, ...)

Environment:
  DEMO_API_KEY     API key to use; default: generated once into .local/api-key
                   (the gateway only ever gets its SHA-256 hash)
  JAVA_OPTS        extra JVM options, appended after the defaults
                   "$DEFAULT_JAVA_OPTS"
                   (later options win, e.g. JAVA_OPTS=-Xmx512m)
  STARTUP_TIMEOUT  seconds to wait for everything to be routable (default 180)
  JAVA_HOME        JDK to use (>= 17); default: the newest JDK >= 25 under /usr/lib/jvm
                   (or /Library/Java/JavaVirtualMachines), else java on PATH
  STARTUP_CACHE=0  start the apps from their fat jars, without the extracted jar and
                   the JDK AOT cache (JDK 25+) or CDS archive (JDK 17-24) that are
                   otherwise made once per build into .local/startup-cache/
  ZIPKIN=1         same as --zipkin
  EUREKA_PEERS_COUNT=N  same as --eureka-peers N
  POSTGRES=1       same as --postgres
  TRACING_SAMPLING_PROBABILITY  share of requests traced (default 1.0)

State (git-ignored): .local/logs/<app>.log, .local/data/ (H2 files),
.local/certs/gateway.crt (gateway certificate for curl --cacert), .local/api-key,
.local/zipkin/ (Zipkin jar), .local/startup-cache/ (extracted jars, AOT cache or CDS).
EOF
}

# ---------------------------------------------------------------------------
# Arguments
# ---------------------------------------------------------------------------
BUILD_MODE=auto
INSTANCES=2
EUREKA_PEERS_COUNT=${EUREKA_PEERS_COUNT:-1}
case "${POSTGRES:-}" in
    1|true|yes) WITH_POSTGRES=1 ;;
    ''|0|false|no) WITH_POSTGRES=0 ;;
    *) die "POSTGRES must be 1 (or true/yes) to use PostgreSQL, or 0/empty, got '$POSTGRES'" ;;
esac
case "${ZIPKIN:-}" in
    1|true|yes) WITH_ZIPKIN=1 ;;
    ''|0|false|no) WITH_ZIPKIN=0 ;;
    *) die "ZIPKIN must be 1 (or true/yes) to run Zipkin, or 0/empty, got '$ZIPKIN'" ;;
esac
while [ $# -gt 0 ]; do
    case "$1" in
        --build)    [ "$BUILD_MODE" = never ] && die "--build and --no-build are mutually exclusive"
                    BUILD_MODE=always ;;
        --no-build) [ "$BUILD_MODE" = always ] && die "--build and --no-build are mutually exclusive"
                    BUILD_MODE=never ;;
        --instances)
                    [ $# -ge 2 ] || die "--instances needs a number (1-$MAX_INSTANCES)"
                    INSTANCES=$2; shift ;;
        --instances=*) INSTANCES=${1#--instances=} ;;
        --eureka-peers)
                    [ $# -ge 2 ] || die "--eureka-peers needs a number (1 or 2)"
                    EUREKA_PEERS_COUNT=$2; shift ;;
        --eureka-peers=*) EUREKA_PEERS_COUNT=${1#--eureka-peers=} ;;
        --zipkin)   WITH_ZIPKIN=1 ;;
        --postgres) WITH_POSTGRES=1 ;;
        -h|--help)  usage; exit 0 ;;
        *)          usage >&2; echo >&2; die "unknown argument: $1" ;;
    esac
    shift
done
case "$INSTANCES" in
    [1-9]) [ "$INSTANCES" -le "$MAX_INSTANCES" ] || die "--instances must be 1-$MAX_INSTANCES" ;;
    *) die "--instances must be a number from 1 to $MAX_INSTANCES, got '$INSTANCES'" ;;
esac
case "$EUREKA_PEERS_COUNT" in
    1|2) ;;
    *) die "--eureka-peers (EUREKA_PEERS_COUNT) must be 1 or 2, got '$EUREKA_PEERS_COUNT'" ;;
esac
# Eureka peers: names and ports (parallel lists), and the service URLs every app gets.
if [ "$EUREKA_PEERS_COUNT" = 2 ]; then
    EUREKA_NAMES="eureka-server-1 eureka-server-2"
    EUREKA_PORTS="$EUREKA_PORT $EUREKA_PORT_2"
    EUREKA_URL="http://localhost:$EUREKA_PORT/eureka/,http://localhost:$EUREKA_PORT_2/eureka/"
else
    EUREKA_NAMES="eureka-server"
    EUREKA_PORTS="$EUREKA_PORT"
    EUREKA_URL="http://localhost:$EUREKA_PORT/eureka/"
fi
STARTUP_TIMEOUT=${STARTUP_TIMEOUT:-180}
case "$STARTUP_TIMEOUT" in
    ''|*[!0-9]*) die "STARTUP_TIMEOUT must be a whole number of seconds, got '$STARTUP_TIMEOUT'" ;;
esac

# ---------------------------------------------------------------------------
# Prerequisites: JDK >= 17, curl
# ---------------------------------------------------------------------------
# The JDK: JAVA_HOME if set; else the newest JDK >= 25 under /usr/lib/jvm (or macOS's
# /Library/Java/JavaVirtualMachines), because only 25+ has the one-step AOT cache that
# halves start-up; else java on PATH. tools/startup-cache.sh makes that choice, so the
# system tests make the same one.
find_java() {
    if [ -n "${JAVA_HOME:-}" ]; then
        [ -x "$JAVA_HOME/bin/java" ] \
            || die "JAVA_HOME is set to '$JAVA_HOME' but $JAVA_HOME/bin/java does not exist or is not executable"
    fi
    JAVA=$(tools/startup-cache.sh java)
    [ -x "$JAVA" ] || command -v "$JAVA" >/dev/null 2>&1 \
        || die "no Java found: install a JDK >= 17 and put 'java' on PATH, or set JAVA_HOME"
    local spec major
    spec=$("$JAVA" -XshowSettings:properties -version 2>&1 \
        | awk -F'= ' '/java\.specification\.version/ {print $2; exit}' || true)
    spec=${spec%%[!0-9.]*}
    case "$spec" in
        1.*) major=${spec#1.}; major=${major%%.*} ;;   # 1.8 -> 8
        *)   major=${spec%%.*} ;;
    esac
    case "$major" in
        ''|*[!0-9]*) die "could not determine the Java version of $JAVA" ;;
    esac
    [ "$major" -ge 17 ] \
        || die "Java $spec found at $JAVA, but Java >= 17 is required (set JAVA_HOME to a newer JDK)"
    JAVA_MAJOR=$major
}
find_java
command -v curl >/dev/null 2>&1 || die "curl is required but not on PATH"

# ---------------------------------------------------------------------------
# Ports
# ---------------------------------------------------------------------------
REQUIRED_PORTS="$EUREKA_PORTS $GATEWAY_PORT $GATEWAY_MGMT_PORT"
i=1
while [ "$i" -le "$INSTANCES" ]; do
    REQUIRED_PORTS="$REQUIRED_PORTS $((USER_PORT_BASE + i - 1)) $((USER_MGMT_BASE + i - 1))"
    REQUIRED_PORTS="$REQUIRED_PORTS $((ORDER_PORT_BASE + i - 1)) $((ORDER_MGMT_BASE + i - 1))"
    i=$((i + 1))
done
[ "$WITH_ZIPKIN" = 1 ] && REQUIRED_PORTS="$REQUIRED_PORTS $ZIPKIN_PORT"
for entry in $EXTRA_SERVICES; do
    IFS=: read -r _ extra_port extra_mgmt _ <<< "$entry"
    REQUIRED_PORTS="$REQUIRED_PORTS $extra_port $extra_mgmt"
done

# Prints the ports of REQUIRED_PORTS that something listens on (any address).
busy_ports() {
    local listening="" p busy=""
    if command -v ss >/dev/null 2>&1; then
        # Column 4 is Local Address:Port, e.g. 127.0.0.1:8761, [::]:8443, *:9090
        listening=$(ss -ltn 2>/dev/null | awk 'NR > 1 { n = split($4, a, ":"); print a[n] }' || true)
    elif command -v lsof >/dev/null 2>&1; then
        listening=$(lsof -nP -iTCP -sTCP:LISTEN 2>/dev/null | awk 'NR > 1 { n = split($9, a, ":"); print a[n] }' || true)
    fi
    for p in $REQUIRED_PORTS; do
        if [ -n "$listening" ]; then
            if printf '%s\n' "$listening" | grep -qx "$p"; then busy="$busy $p"; fi
        elif (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            busy="$busy $p"
        fi
    done
    printf '%s' "${busy# }"
}

check_ports() {
    local busy p
    busy=$(busy_ports)
    [ -z "$busy" ] && return 0
    for p in $busy; do
        printf '[run-local] ERROR: port %s is already in use (needed by %s)\n' "$p" "$(port_owner "$p")" >&2
    done
    printf '[run-local] Find the process with:  ss -ltnp | grep -E ":(%s)\\b"   (or: lsof -nP -iTCP -sTCP:LISTEN)\n' \
        "$(printf '%s' "$busy" | tr ' ' '|')" >&2
    printf '[run-local] Leftovers of an earlier run show up in:  pgrep -af cloudref.local=\n' >&2
    case " $busy " in
        *" $ZIPKIN_PORT "*) printf '[run-local] A Zipkin started elsewhere (e.g. docker compose) also uses port %s\n' \
            "$ZIPKIN_PORT" >&2 ;;
    esac
    exit 1
}

port_owner() {
    local p=$1
    case "$p" in
        "$EUREKA_PORT") echo "${EUREKA_NAMES%% *}" ;;
        "$EUREKA_PORT_2") echo "eureka-server-2 (--eureka-peers 2)" ;;
        "$GATEWAY_PORT") echo "api-gateway" ;;
        "$GATEWAY_MGMT_PORT") echo "api-gateway management" ;;
        "$ZIPKIN_PORT") echo "zipkin (--zipkin)" ;;
        *) service_port_owner "$p" ;;
    esac
}

service_port_owner() {  # the service instances' ports
    local p=$1 entry name port mgmt
    for entry in $EXTRA_SERVICES; do
        IFS=: read -r name port mgmt _ <<< "$entry"
        name="$name-1"
        if [ "$p" = "$port" ]; then echo "$name"; return; fi
        if [ "$p" = "$mgmt" ]; then echo "$name management"; return; fi
    done
    if   [ "$p" -ge "$USER_PORT_BASE" ]  && [ "$p" -lt $((USER_PORT_BASE + MAX_INSTANCES)) ]; then
        echo "user-service-$((p - USER_PORT_BASE + 1))"
    elif [ "$p" -ge "$USER_MGMT_BASE" ]  && [ "$p" -lt $((USER_MGMT_BASE + MAX_INSTANCES)) ]; then
        echo "user-service-$((p - USER_MGMT_BASE + 1)) management"
    elif [ "$p" -ge "$ORDER_PORT_BASE" ] && [ "$p" -lt $((ORDER_PORT_BASE + MAX_INSTANCES)) ]; then
        echo "order-service-$((p - ORDER_PORT_BASE + 1))"
    else
        echo "order-service-$((p - ORDER_MGMT_BASE + 1)) management"
    fi
}

check_ports

# ---------------------------------------------------------------------------
# Build if needed
# ---------------------------------------------------------------------------
shopt -s nullglob

# find_jar MODULE: prints the executable jar of MODULE (newest if several), or nothing.
find_jar() {
    local m=$1 f best=""
    for f in "$m"/target/"$m"-*.jar; do
        case "$f" in
            *-plain.jar|*-sources.jar|*-javadoc.jar|*-tests.jar) continue ;;
        esac
        if [ -z "$best" ] || [ "$f" -nt "$best" ]; then best=$f; fi
    done
    printf '%s' "$best"
}

# Prints why a build is needed (empty if the jars are up to date).
build_reason() {
    local m jar newer inputs
    for m in $MODULES; do
        jar=$(find_jar "$m")
        if [ -z "$jar" ]; then
            printf '%s' "no jar in $m/target/"
            return 0
        fi
    done
    inputs=(pom.xml ./*/pom.xml ./*/src)
    for m in $MODULES; do
        jar=$(find_jar "$m")
        newer=$(find "${inputs[@]}" -type f -newer "$jar" -print -quit 2>/dev/null || true)
        if [ -n "$newer" ]; then
            printf '%s' "${newer#./} is newer than $jar"
            return 0
        fi
    done
}

BUILT=0
case "$BUILD_MODE" in
    always) reason="--build" ;;
    never)  reason="" ;;
    *)      reason=$(build_reason) ;;
esac
if [ -n "$reason" ]; then
    log "building ($reason): ./mvnw -B -q package -DskipTests"
    build_start=$SECONDS
    [ -f ./mvnw ] || die "./mvnw not found in $ROOT"
    if [ -x ./mvnw ]; then ./mvnw -B -q package -DskipTests || die "the Maven build failed (see above)"
    else sh ./mvnw -B -q package -DskipTests || die "the Maven build failed (see above)"
    fi
    log "build finished in $((SECONDS - build_start))s"
    BUILT=1
fi
JAR_EUREKA=$(find_jar eureka-server)
JAR_USER=$(find_jar user-service)
JAR_ORDER=$(find_jar order-service)
JAR_GATEWAY=$(find_jar api-gateway)
for m in $MODULES; do
    [ -n "$(find_jar "$m")" ] \
        || die "no jar found in $m/target/ (expected $m/target/$m-<version>.jar); run ./run-local.sh --build"
done

# Zipkin server jar (only with --zipkin): fetched once through Maven into .local/zipkin/.
FETCHED=0
if [ "$WITH_ZIPKIN" = 1 ] && [ ! -s "$ZIPKIN_JAR" ]; then
    log "fetching $ZIPKIN_ARTIFACT (~135 MB, once) into ${ZIPKIN_DIR#"$ROOT"/}/"
    [ -f ./mvnw ] || die "./mvnw not found in $ROOT"
    mkdir -p "$ZIPKIN_DIR"
    fetch=(-B -q -N dependency:copy "-Dartifact=$ZIPKIN_ARTIFACT" "-DoutputDirectory=$ZIPKIN_DIR")
    if [ -x ./mvnw ]; then ./mvnw "${fetch[@]}" || die "could not fetch the Zipkin jar (see above)"
    else sh ./mvnw "${fetch[@]}" || die "could not fetch the Zipkin jar (see above)"
    fi
    [ -s "$ZIPKIN_JAR" ] || die "the Maven fetch did not produce $ZIPKIN_JAR"
    FETCHED=1
fi

# ---------------------------------------------------------------------------
# Start-up cache: extracted jar + JDK AOT cache (25+) or CDS archive (17-24)
# ---------------------------------------------------------------------------
# Made by a training run after each build (tools/startup-cache.sh decides when), and
# shared by every instance of an app: the JVM maps the file, so two user-service
# instances share its pages. Any failure falls back to the fat jar.
read -r -a JVM_OPTS <<< "$DEFAULT_JAVA_OPTS ${JAVA_OPTS:-}"
CACHE_NOTE="off (STARTUP_CACHE=${STARTUP_CACHE:-})"
case "${STARTUP_CACHE:-1}" in
    0|false|no|off) ;;
    *) if [ "$JAVA_MAJOR" -ge 25 ]; then CACHE_NOTE="JDK AOT cache"; else CACHE_NOTE="CDS archive (a JDK >= 25 would use an AOT cache)"; fi ;;
esac
cache_start=$SECONDS
launch_args() {  # MODULE JAR: the java arguments after the JVM options, one per line
    tools/startup-cache.sh args "$JAVA" "$ROOT/$2" "$LOCAL_DIR/startup-cache/$1" "${JVM_OPTS[@]}" \
        || printf '%s\n' -jar "$ROOT/$2"
}
LAUNCH_EUREKA=$(launch_args eureka-server "$JAR_EUREKA")
LAUNCH_USER=$(launch_args user-service "$JAR_USER")
LAUNCH_ORDER=$(launch_args order-service "$JAR_ORDER")
LAUNCH_GATEWAY=$(launch_args api-gateway "$JAR_GATEWAY")
CACHE_SECONDS=$((SECONDS - cache_start))
[ "$CACHE_SECONDS" -ge 2 ] && log "start-up caches ready in ${CACHE_SECONDS}s"

if [ "$BUILT" = 1 ] || [ "$FETCHED" = 1 ] || [ "$CACHE_SECONDS" -ge 2 ]; then
    check_ports   # that may have taken a while
fi

# ---------------------------------------------------------------------------
# State directory and API key
# ---------------------------------------------------------------------------
# Owner only: the H2 files (with H2's lock file, which names the AUTO_SERVER port and
# its connection key), the API key and the gateway's private key are nobody else's.
mkdir -p "$LOCAL_DIR"
chmod 700 "$LOCAL_DIR"
mkdir -p "$LOG_DIR" "$DATA_DIR_ABS" "$CERT_DIR"

gen_key() {
    if command -v openssl >/dev/null 2>&1; then
        openssl rand -hex 24
    else
        head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n'
    fi
}

sha256_hex() {  # reads stdin
    local out
    if command -v sha256sum >/dev/null 2>&1; then
        out=$(sha256sum)
    elif command -v shasum >/dev/null 2>&1; then
        out=$(shasum -a 256)
    else
        die "neither sha256sum nor shasum found (needed to hash the API key)"
    fi
    printf '%s' "${out%% *}"
}

if [ -n "${DEMO_API_KEY:-}" ]; then
    API_KEY=$DEMO_API_KEY
    KEY_SOURCE="from DEMO_API_KEY"
elif [ -s "$KEY_FILE" ]; then
    API_KEY=$(tr -d ' \t\r\n' < "$KEY_FILE")
    chmod 600 "$KEY_FILE"
    KEY_SOURCE="from .local/api-key"
else
    API_KEY=""
fi
if [ -z "$API_KEY" ]; then
    API_KEY=$(gen_key)
    [ -n "$API_KEY" ] || die "could not generate an API key"
    (umask 077 && printf '%s\n' "$API_KEY" > "$KEY_FILE")
    chmod 600 "$KEY_FILE"
    KEY_SOURCE="generated into .local/api-key"
fi
case "$API_KEY" in
    *[!A-Za-z0-9._~+/=-]*)
        die "the API key may only contain letters, digits and . _ ~ + / = - (check DEMO_API_KEY or .local/api-key)" ;;
esac
API_KEY_HASH=$(printf '%s' "$API_KEY" | sha256_hex)
case "$API_KEY_HASH" in
    *[!0-9a-f]*|'') die "could not hash the API key" ;;
esac

# ---------------------------------------------------------------------------
# Process bookkeeping (parallel indexed arrays; bash 3.2 has no associative ones)
# ---------------------------------------------------------------------------
P_NAME=()   # e.g. user-service-1
P_PID=()
P_MGMT=()   # port of the health endpoint
P_HEALTH=() # path of the health endpoint
P_LOG=()
P_READY=()  # 0/1
START_ARGS=()      # program arguments for the next start_app (reset after use)
START_HEALTH=""    # health path for the next start_app (default readiness)

# start_app NAME JAR MGMT_PORT [VAR=value ...]: starts a JVM in the background.
# START_HEALTH (health path, default /actuator/health/readiness) and START_ARGS (program
# arguments, default none) may be set for one call.
start_app() {
    local name=$1 jar=$2 mgmt=$3 logf="$LOG_DIR/$1.log"
    local health=${START_HEALTH:-/actuator/health/readiness} launch line args=()
    shift 3
    case "$jar" in
        "$JAR_EUREKA") launch=$LAUNCH_EUREKA ;;
        "$JAR_USER") launch=$LAUNCH_USER ;;
        "$JAR_ORDER") launch=$LAUNCH_ORDER ;;
        "$JAR_GATEWAY") launch=$LAUNCH_GATEWAY ;;
        /*) launch=$(printf '%s\n' -jar "$jar") ;;
        *) launch=$(launch_args "${jar%%/*}" "$jar") ;;   # a module's jar: added services
    esac
    while IFS= read -r line; do args+=("$line"); done <<< "$launch"
    (
        # Ctrl-C (and a hang-up) in the terminal signals the whole process group. The
        # JVMs must not react to it (an ignored signal stays ignored across exec, and
        # the JVM keeps it ignored): cleanup stops them in order, so that services
        # deregister from a still-running Eureka. SIGQUIT stays as is (thread dumps).
        trap '' INT HUP
        unset DEMO_API_KEY            # only the hash goes to the gateway
        # shellcheck disable=SC2163  # exports NAME=value pairs given as arguments
        for kv in "$@"; do export "$kv"; done
        exec "$JAVA" "${JVM_OPTS[@]}" "-Dcloudref.local=$name" "${args[@]}" ${START_ARGS[@]+"${START_ARGS[@]}"}
    ) > "$logf" 2>&1 < /dev/null &
    P_NAME+=("$name"); P_PID+=("$!"); P_MGMT+=("$mgmt"); P_HEALTH+=("$health"); P_LOG+=("$logf"); P_READY+=(0)
    log "started $name (pid $!), log: ${logf#"$ROOT"/}"
}

print_tail() {  # index
    local idx=$1
    echo "---- last 30 lines of ${P_LOG[$idx]} ----" >&2
    tail -n 30 "${P_LOG[$idx]}" >&2 2>/dev/null || true
    echo "---- end of ${P_LOG[$idx]} ----" >&2
}

base_name() {  # NAME -> the app it is an instance of: user-service-2 -> user-service
    case "$1" in
        *-[0-9]|*-[0-9][0-9]) printf '%s' "${1%-*}" ;;
        *) printf '%s' "$1" ;;
    esac
}

alive_siblings() {  # NAME: prints the other instances of the same app that are still running
    local idx=0 pid base
    base=$(base_name "$1")
    while [ "$idx" -lt "${#P_PID[@]}" ]; do
        pid=${P_PID[$idx]}
        if [ "${P_NAME[$idx]}" != "$1" ] && [ "$(base_name "${P_NAME[$idx]}")" = "$base" ] \
            && [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
            printf '%s ' "${P_NAME[$idx]}"
        fi
        idx=$((idx + 1))
    done
    return 0
}

# Exits 1 (through cleanup) if a started process has died, after reporting every dead
# one with the tail of its log. $1: "during startup" or "". After startup, only the
# gateway's death is fatal: any other process that dies (kill -9 an instance, the
# registry, Zipkin) is reported and the rest keeps running, which is the fault demo.
check_alive() {
    local idx=0 pid rc dead=0 others
    while [ "$idx" -lt "${#P_PID[@]}" ]; do
        pid=${P_PID[$idx]}
        if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
            rc=0; wait "$pid" 2>/dev/null || rc=$?
            P_PID[idx]=""  # gone; nothing to stop
            others=""
            if [ -z "${1:-}" ]; then others=$(alive_siblings "${P_NAME[$idx]}"); fi
            if [ -n "$others" ]; then
                warn "${P_NAME[$idx]} (pid $pid) exited with status $rc; still running: ${others% } (requests go on to them; the launcher does not restart it)"
            elif [ -z "${1:-}" ] && [ "${P_NAME[$idx]}" != api-gateway ]; then
                warn "${P_NAME[$idx]} (pid $pid) exited with status $rc and is down; everything else keeps running (the launcher does not restart it; Ctrl-C and start again to get it back)"
            else
                printf '[run-local] ERROR: %s (pid %s) exited unexpectedly%s with status %s\n' \
                    "${P_NAME[$idx]}" "$pid" "${1:+ $1}" "$rc" >&2
                print_tail "$idx"
                dead=1
            fi
        fi
        idx=$((idx + 1))
    done
    [ "$dead" = 0 ] || exit 1
}

# ---------------------------------------------------------------------------
# Shutdown: runs once, on INT, TERM or EXIT
# ---------------------------------------------------------------------------
CLEANED=0
FORCE_KILL=0
SLEEP_PID=""

alive_pids() {  # prints PIDs (of the given indexes) that are still running
    local idx pid
    for idx in "$@"; do
        pid=${P_PID[$idx]}
        [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && printf '%s ' "$pid"
    done
    return 0
}

# stop_group LABEL DEADLINE(a $SECONDS value) INDEX...: SIGTERM, then wait until the
# processes are gone, the deadline passes or a second Ctrl-C asks to hurry.
stop_group() {
    local label=$1 deadline=$2 pids t0=$SECONDS
    shift 2
    [ $# -gt 0 ] || return 0
    pids=$(alive_pids "$@")
    [ -n "$pids" ] || return 0
    log "stopping $label (pid ${pids% })"
    # shellcheck disable=SC2086  # word splitting of the PID list is intended
    kill -TERM $pids 2>/dev/null || true
    while [ -n "$(alive_pids "$@")" ] && [ "$SECONDS" -lt "$deadline" ] && [ "$FORCE_KILL" = 0 ]; do
        sleep 0.2 || true
    done
    [ -z "$(alive_pids "$@")" ] && log "$label stopped ($((SECONDS - t0))s)"
    return 0
}

cleanup() {
    [ "$CLEANED" = 1 ] && return 0
    CLEANED=1
    set +e
    trap 'FORCE_KILL=1' INT TERM QUIT # a second Ctrl-C skips the graceful wait
    trap '' HUP
    [ -n "$SLEEP_PID" ] && kill "$SLEEP_PID" 2>/dev/null
    # shellcheck disable=SC2046  # seq_idx prints a list of indexes
    [ -n "$(alive_pids $(seq_idx))" ] || return 0

    local gw=() svc=() eur=() idx=0 start=$SECONDS all
    while [ "$idx" -lt "${#P_NAME[@]}" ]; do
        case "${P_NAME[$idx]}" in
            api-gateway)   gw+=("$idx") ;;
            eureka-server*|zipkin) eur+=("$idx") ;;
            *)             svc+=("$idx") ;;
        esac
        idx=$((idx + 1))
    done
    log "shutting down (up to ${STOP_TIMEOUT}s; press Ctrl-C again to kill at once)"
    # Budget: gateway drains first, services deregister while Eureka is still up.
    stop_group "the gateway" $((start + 8)) ${gw[@]+"${gw[@]}"}
    stop_group "the services" $((start + 20)) ${svc[@]+"${svc[@]}"}
    # Zipkin goes last, with Eureka: the services flush their last spans as they stop.
    local last="Eureka"
    [ "$EUREKA_PEERS_COUNT" = 2 ] && last="the Eureka peers"
    [ "$WITH_ZIPKIN" = 1 ] && last="$last and Zipkin"
    stop_group "$last" $((start + STOP_TIMEOUT)) ${eur[@]+"${eur[@]}"}
    # Laggards of the earlier groups get the rest of the budget too.
    # shellcheck disable=SC2046
    while [ -n "$(alive_pids $(seq_idx))" ] && [ "$SECONDS" -lt $((start + STOP_TIMEOUT)) ] \
            && [ "$FORCE_KILL" = 0 ]; do
        sleep 0.2 || true
    done
    # shellcheck disable=SC2046
    all=$(alive_pids $(seq_idx))
    if [ -n "$all" ]; then
        if [ "$FORCE_KILL" = 1 ]; then
            warn "second Ctrl-C: sending SIGKILL to ${all% }"
        else
            warn "still running after ${STOP_TIMEOUT}s: sending SIGKILL to ${all% }"
        fi
    fi
    # Kill and reap (so no process outlives the script); stderr off for bash's "Killed" notices.
    {
        # shellcheck disable=SC2086
        [ -n "$all" ] && kill -KILL $all
        for idx in $(seq_idx); do
            [ -n "${P_PID[$idx]}" ] && wait "${P_PID[$idx]}"
        done
    } 2>/dev/null
    log "all processes stopped ($((SECONDS - start))s)"
    return 0
}

seq_idx() {  # 0 .. n-1
    local i=0
    while [ "$i" -lt "${#P_PID[@]}" ]; do printf '%s ' "$i"; i=$((i + 1)); done
}

on_signal() {  # NAME NUMBER
    set +e
    echo 2>/dev/null
    log "received SIG$1"
    cleanup
    trap - INT TERM HUP QUIT EXIT
    exit $((128 + $2))
}
trap 'on_signal INT 2' INT
trap 'on_signal TERM 15' TERM
trap 'on_signal HUP 1' HUP
trap 'on_signal QUIT 3' QUIT
trap 'cleanup' EXIT

# ---------------------------------------------------------------------------
# Readiness and routing probes
# ---------------------------------------------------------------------------
is_ready() {  # PORT PATH; plain HTTP, falling back to HTTPS in case the port uses TLS
    local body
    body=$(curl -s --max-time 2 "http://127.0.0.1:$1$2" 2>/dev/null || true)
    case "$body" in *'"UP"'*) return 0 ;; esac
    body=$(curl -sk --max-time 2 "https://127.0.0.1:$1$2" 2>/dev/null || true)
    case "$body" in *'"UP"'*) return 0 ;; esac
    return 1
}

registered_up() {  # Eureka port, app name -> number of UP instances in that peer
    local xml rest n=0
    xml=$(curl -s --max-time 2 -H 'Accept: application/xml' "http://127.0.0.1:$1/eureka/apps/$2" 2>/dev/null || true)
    rest=$xml
    while :; do
        case "$rest" in
            *'<status>UP</status>'*) rest=${rest#*'<status>UP</status>'}; n=$((n + 1)) ;;
            *) break ;;
        esac
    done
    printf '%s' "$n"
}

# HTTP status of a gateway request. The key goes to curl through a config on stdin,
# so it never shows up in `ps`.
gateway_status() {
    printf 'header = "X-API-Key: %s"\n' "$API_KEY" \
        | curl -s -o /dev/null -w '%{http_code}' --max-time 5 --cacert "$CERT_FILE" -K - \
               "https://localhost:$GATEWAY_PORT$1" 2>/dev/null || true
}

DEADLINE=0
LAST_PROGRESS=0
timed_out() { [ "$SECONDS" -ge "$DEADLINE" ]; }
progress() {  # prints at most every 5 s
    if [ $((SECONDS - LAST_PROGRESS)) -ge 5 ]; then
        LAST_PROGRESS=$SECONDS
        log "waiting: $*"
    fi
}
fail_timeout() {
    printf '[run-local] ERROR: not ready after %ss (STARTUP_TIMEOUT): %s\n' "$STARTUP_TIMEOUT" "$1" >&2
    printf '[run-local] Logs: %s\n' "$LOG_DIR" >&2
    exit 1
}

# Waits until all started processes report readiness.
wait_ready() {
    local idx pending
    while :; do
        check_alive "during startup"
        pending=""
        idx=0
        while [ "$idx" -lt "${#P_PID[@]}" ]; do
            if [ "${P_READY[$idx]}" = 0 ]; then
                if is_ready "${P_MGMT[$idx]}" "${P_HEALTH[$idx]}"; then
                    P_READY[idx]=1
                    log "${P_NAME[$idx]} is ready"
                else
                    pending="$pending ${P_NAME[$idx]}"
                fi
            fi
            idx=$((idx + 1))
        done
        [ -z "$pending" ] && return 0
        if timed_out; then
            for idx in $(seq_idx); do
                if [ "${P_READY[$idx]}" = 0 ]; then
                    printf '[run-local] %s is not ready; its log: %s\n' "${P_NAME[$idx]}" "${P_LOG[$idx]}" >&2
                fi
            done
            fail_timeout "not ready:$pending"
        fi
        progress "readiness of$pending"
        sleep 1
    done
}

# ---------------------------------------------------------------------------
# Start
# ---------------------------------------------------------------------------
log "Java $JAVA_MAJOR ($JAVA), JVM options: ${JVM_OPTS[*]}; start-up cache: $CACHE_NOTE"
log "API key $KEY_SOURCE; state in ${LOCAL_DIR#"$ROOT"/}/"
LAUNCH_START=$SECONDS
DEADLINE=$((LAUNCH_START + STARTUP_TIMEOUT))

# Traces: with --zipkin, every traced app reports its spans to the local Zipkin.
TRACE_ENV=()
if [ "$WITH_ZIPKIN" = 1 ]; then
    # In-memory storage; loopback only, like the services (the port list is replaced as
    # a whole, so it is given in full).
    START_ARGS=("--armeria.ports[0].port=$ZIPKIN_PORT" "--armeria.ports[0].ip=127.0.0.1"
                "--armeria.ports[0].protocols[0]=http")
    START_HEALTH=/health
    start_app zipkin "$ZIPKIN_JAR" "$ZIPKIN_PORT" "QUERY_PORT=$ZIPKIN_PORT"
    START_ARGS=(); START_HEALTH=""
    TRACE_ENV=("ZIPKIN_ENABLED=true" "ZIPKIN_ENDPOINT=http://127.0.0.1:$ZIPKIN_PORT/api/v2/spans")
fi
if [ "$EUREKA_PEERS_COUNT" = 2 ]; then
    # Two peers that replicate to each other, like eureka-1/eureka-2 in docker-compose.
    # Eureka skips a peer URL whose host is its own hostname, so the peers on this one host
    # get different hostnames (localhost, 127.0.0.1) and address each other by them.
    start_app eureka-server-1 "$JAR_EUREKA" "$EUREKA_PORT" "EUREKA_PORT=$EUREKA_PORT" \
        "EUREKA_HOSTNAME=localhost" "EUREKA_PEER_AWARE=true" \
        "EUREKA_PEERS=http://127.0.0.1:$EUREKA_PORT_2/eureka/"
    start_app eureka-server-2 "$JAR_EUREKA" "$EUREKA_PORT_2" "EUREKA_PORT=$EUREKA_PORT_2" \
        "EUREKA_HOSTNAME=127.0.0.1" "EUREKA_PEER_AWARE=true" \
        "EUREKA_PEERS=http://localhost:$EUREKA_PORT/eureka/"
else
    start_app eureka-server "$JAR_EUREKA" "$EUREKA_PORT"
fi
wait_ready   # Eureka and Zipkin, before any app that registers or reports spans

# Database: embedded H2 files under .local/data, or PostgreSQL with --postgres.
DB_ENV=("DATA_DIR=$DATA_DIR_ABS")
if [ "$WITH_POSTGRES" = 1 ]; then
    PG_HOST=${DB_HOST:-localhost}; PG_PORT=${DB_PORT:-5432}; PG_USER=${DB_USER:-postgres}
    for db in users orders $(for entry in $EXTRA_SERVICES; do printf '%s ' "${entry##*:}"; done); do
        if command -v psql >/dev/null 2>&1 && ! PGPASSWORD=${DB_PASSWORD:-} psql -h "$PG_HOST" -p "$PG_PORT" \
            -U "$PG_USER" -d "$db" -Atc 'select 1' >/dev/null 2>&1; then
            log "creating PostgreSQL database $db on $PG_HOST:$PG_PORT"
            PGPASSWORD=${DB_PASSWORD:-} createdb -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" "$db" \
                || die "cannot create database $db on $PG_HOST:$PG_PORT as $PG_USER (is PostgreSQL running?)"
        fi
    done
    DB_ENV=("SPRING_PROFILES_ACTIVE=local,postgres" "DB_HOST=$PG_HOST" "DB_PORT=$PG_PORT"
            "DB_USER=$PG_USER" "DB_PASSWORD=${DB_PASSWORD:-}")
    log "services use PostgreSQL at $PG_HOST:$PG_PORT (databases users, orders)"
fi

i=1
while [ "$i" -le "$INSTANCES" ]; do
    start_app "user-service-$i" "$JAR_USER" $((USER_MGMT_BASE + i - 1)) \
        "SERVER_PORT=$((USER_PORT_BASE + i - 1))" "MANAGEMENT_PORT=$((USER_MGMT_BASE + i - 1))" \
        "${DB_ENV[@]}" "EUREKA_URL=$EUREKA_URL" ${TRACE_ENV[@]+"${TRACE_ENV[@]}"}
    i=$((i + 1))
done
i=1
while [ "$i" -le "$INSTANCES" ]; do
    start_app "order-service-$i" "$JAR_ORDER" $((ORDER_MGMT_BASE + i - 1)) \
        "SERVER_PORT=$((ORDER_PORT_BASE + i - 1))" "MANAGEMENT_PORT=$((ORDER_MGMT_BASE + i - 1))" \
        "${DB_ENV[@]}" "EUREKA_URL=$EUREKA_URL" ${TRACE_ENV[@]+"${TRACE_ENV[@]}"}
    i=$((i + 1))
done
for entry in $EXTRA_SERVICES; do
    IFS=: read -r extra_name extra_port extra_mgmt extra_db <<< "$entry"
    start_app "$extra_name-1" "$(find_jar "$extra_name")" "$extra_mgmt" "SERVER_PORT=$extra_port" \
        "MANAGEMENT_PORT=$extra_mgmt" "${DB_ENV[@]}" "DB_NAME=$extra_db" "EUREKA_URL=$EUREKA_URL" \
        ${TRACE_ENV[@]+"${TRACE_ENV[@]}"}
done
start_app api-gateway "$JAR_GATEWAY" "$GATEWAY_MGMT_PORT" \
    "SERVER_PORT=$GATEWAY_PORT" "MANAGEMENT_PORT=$GATEWAY_MGMT_PORT" \
    "GATEWAY_API_KEYS=demo:$API_KEY_HASH" "GATEWAY_TLS_DIR=$CERT_DIR" "EUREKA_URL=$EUREKA_URL" \
    "GATEWAY_HSTS_MAX_AGE=${GATEWAY_HSTS_MAX_AGE:-5m}" \
    ${TRACE_ENV[@]+"${TRACE_ENV[@]}"}

wait_ready

# Every instance registered (and UP) in Eureka; with two peers, in each of them (the apps
# register with the first, replication copies them to the second).
while :; do
    check_alive "during startup"
    all_in=1; counts=""; status=""
    for port in $EUREKA_PORTS; do
        n_user=$(registered_up "$port" USER-SERVICE)
        n_order=$(registered_up "$port" ORDER-SERVICE)
        n_gw=$(registered_up "$port" API-GATEWAY)
        if [ "$n_user" -lt "$INSTANCES" ] || [ "$n_order" -lt "$INSTANCES" ] || [ "$n_gw" -lt 1 ]; then
            all_in=0
        fi
        extra_counts=""; extra_status=""
        for entry in $EXTRA_SERVICES; do
            extra_name=${entry%%:*}
            n_extra=$(registered_up "$port" "$(printf '%s' "$extra_name" | tr '[:lower:]' '[:upper:]')")
            [ "$n_extra" -ge 1 ] || all_in=0
            extra_counts="$extra_counts, $extra_name $n_extra"
            extra_status="$extra_status, $extra_name $n_extra/1"
        done
        peer=""
        [ "$EUREKA_PEERS_COUNT" = 1 ] || peer="peer :$port "
        counts="${counts:+$counts; }${peer}USER-SERVICE $n_user, ORDER-SERVICE $n_order, API-GATEWAY $n_gw$extra_counts"
        status="${status:+$status; }${peer}USER-SERVICE $n_user/$INSTANCES, ORDER-SERVICE $n_order/$INSTANCES, API-GATEWAY $n_gw/1$extra_status"
    done
    if [ "$all_in" = 1 ]; then
        log "registered in Eureka: $counts"
        break
    fi
    timed_out && fail_timeout "Eureka registry: $status"
    progress "Eureka registry: $status"
    sleep 1
done

# Routable through the gateway: 2N consecutive 200s on each route, so that the
# gateway's load balancer has seen (and reached) every instance.
USERS_PATH='/api/users?page=0&size=1'
ORDERS_PATH='/api/orders?userId=00000000-0000-0000-0000-000000000000'
NEEDED=$((2 * INSTANCES))
ok_users=0; ok_orders=0; code_users="-"; code_orders="-"
while :; do
    check_alive "during startup"
    if [ ! -s "$CERT_FILE" ]; then
        timed_out && fail_timeout "the gateway has not written $CERT_FILE"
        progress "gateway certificate ${CERT_FILE#"$ROOT"/}"
        sleep 1
        continue
    fi
    if [ "$ok_users" -lt "$NEEDED" ]; then
        code_users=$(gateway_status "$USERS_PATH")
        if [ "$code_users" = 200 ]; then ok_users=$((ok_users + 1)); else ok_users=0; fi
    fi
    if [ "$ok_orders" -lt "$NEEDED" ]; then
        code_orders=$(gateway_status "$ORDERS_PATH")
        if [ "$code_orders" = 200 ]; then ok_orders=$((ok_orders + 1)); else ok_orders=0; fi
    fi
    [ "$ok_users" -ge "$NEEDED" ] && [ "$ok_orders" -ge "$NEEDED" ] && break
    status="GET /api/users -> $code_users ($ok_users/$NEEDED ok in a row), GET /api/orders -> $code_orders ($ok_orders/$NEEDED)"
    timed_out && fail_timeout "routing through the gateway: $status"
    progress "routing: $status"
    if [ "$code_users" = 200 ] && [ "$code_orders" = 200 ]; then sleep 0.1; else sleep 0.5; fi
done
log "routable: ${NEEDED} consecutive 200s on /api/users and /api/orders"

# ---------------------------------------------------------------------------
# Ready
# ---------------------------------------------------------------------------
if [ "$(cd "$CALLER_DIR" 2>/dev/null && pwd -P)" = "$ROOT" ]; then
    CACERT=".local/certs/gateway.crt"
else
    CACERT=$(printf '%q' "$CERT_FILE")   # absolute, so the lines work from any directory
fi
GW="https://localhost:$GATEWAY_PORT"
BUILT_NOTE=""
[ "$BUILT" = 1 ] && BUILT_NOTE=", build included"
C="curl --cacert $CACERT -H \"X-API-Key: $API_KEY\""
J="-H 'Content-Type: application/json'"
EUREKA_NAME="Eureka"
EXTRA_NAMES=""
for entry in $EXTRA_SERVICES; do EXTRA_NAMES="$EXTRA_NAMES, 1x ${entry%%:*}"; done
EUREKA_LINES=""
if [ "$EUREKA_PEERS_COUNT" = 2 ]; then
    EUREKA_NAME="2x Eureka"
    EUREKA_LINES=$(printf '\n                   http://localhost:%s/\n Registry down:    %s   (the other peer carries on)' \
        "$EUREKA_PORT_2" "kill -9 \$(pgrep -f cloudref.local=eureka-server-1)")
fi
ZIPKIN_LINES=""
ZIPKIN_TRY=""
ZIPKIN_NAME=""
if [ "$WITH_ZIPKIN" = 1 ]; then
    ZIPKIN_NAME=", zipkin"
    ZIPKIN_LINES=$(printf '\n Zipkin UI:        %s\n                   look up a request by its X-Trace-Id header: %straces/<id>' \
        "$ZIPKIN_UI" "$ZIPKIN_UI")
    ZIPKIN_TRY=$(printf '\n\n   # the trace of one request (its X-Trace-Id response header), then open it in Zipkin:\n   %s' \
        "$C -s -o /dev/null -D - $GW/api/users/\$USER_ID/orders | grep -i '^x-trace-id'")
fi

cat <<EOF

================================================================================
 cloudref is up: ${EUREKA_NAME}, ${INSTANCES}x user-service, ${INSTANCES}x order-service${EXTRA_NAMES}, api-gateway${ZIPKIN_NAME}
 Routable $((SECONDS - SCRIPT_START))s after start (launch to routable $((SECONDS - LAUNCH_START))s${BUILT_NOTE})

 Gateway:          $GW
 API key:          $API_KEY   ($KEY_SOURCE)
 API docs:         $GW/swagger-ui.html   (Swagger UI; "Authorize" with the key to try requests)
 Eureka dashboard: http://localhost:$EUREKA_PORT/${EUREKA_LINES}
 Logs:             $LOG_DIR/${ZIPKIN_LINES}

 Try it (bash):
   $C $J -d '{"name":"Ada","email":"ada@example.com"}' $GW/api/users
   $C '$GW/api/users?page=0&size=20'

   USER_ID=\$($C -s $J -d "{\\"name\\":\\"Grace\\",\\"email\\":\\"grace-\$RANDOM@example.com\\"}" $GW/api/users | grep -o '"id":"[^"]*"' | cut -d'"' -f4); echo "\$USER_ID"
   $C $J -d "{\\"userId\\":\\"\$USER_ID\\",\\"sku\\":\\"BOOK-1\\",\\"quantity\\":2}" $GW/api/orders
   $C $GW/api/users/\$USER_ID/orders${ZIPKIN_TRY}

 Press Ctrl-C to stop everything.
================================================================================

EOF

# ---------------------------------------------------------------------------
# Foreground: watch the processes until Ctrl-C / TERM or one of them dies.
# ---------------------------------------------------------------------------
while :; do
    check_alive ""
    sleep 1 &
    SLEEP_PID=$!
    wait "$SLEEP_PID" 2>/dev/null || true
    SLEEP_PID=""
done
