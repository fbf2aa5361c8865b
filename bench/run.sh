#!/usr/bin/env bash
# bench/run.sh - the benchmark harness (docs/benchmarks.md, "The benchmark harness").
#
# Starts the local system (./run-local.sh, H2 or --postgres) with rate limits off, an
# nginx TLS reverse proxy in front of the user-service instances as the reference for a
# proxy hop, warms up, then per scenario measures saturation with wrk (HTTP/1.1 over TLS)
# and h2load (HTTP/2), and latency at a fixed arrival rate (open model) with Gatling.
# Samples CPU time and RSS of every process per measurement, reads each app's start-up
# time from its log. Raw output: bench/results/<name>-<UTC timestamp>.txt; a markdown
# summary is printed at the end (and appended to the raw file). See --help.
#
# Loopback only. On a machine where others also run the launcher (fixed ports), serialize:
#   flock /tmp/cloudref-run-local.lock bench/run.sh
set -euo pipefail
BENCH_ARGS="$*"
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd -P)

# ---------------------------------------------------------------------------
# Options
# ---------------------------------------------------------------------------
DURATION=15          # seconds per measurement
SYSTEM_WARMUP=240    # seconds of load through the gateway before the first scenario (JIT)
WARMUP=10            # seconds of warm-up before each scenario (wrk, and h2load on its own)
GATLING_WARMUP=5     # seconds at the fixed rate before each Gatling measurement
CONNECTIONS=32       # wrk connections; h2load: H2_CONNECTIONS x streams = the same concurrency
THREADS=2            # wrk / h2load threads
H2_CONNECTIONS=4
RATE_FRACTION=0.5    # fixed-rate runs at this share of the saturation throughput
ONLY="a,b,c,d,e"
POSTGRES=0
GATLING=1
SAMPLING=""          # TRACING_SAMPLING_PROBABILITY for the apps ("" = launcher default)
NAME=""

usage() {
    cat <<'EOF'
Usage: bench/run.sh [--postgres] [--duration S] [--warmup S] [--system-warmup S]
                    [--connections N] [--threads N]
                    [--h2-connections N] [--rate-fraction F] [--only a,b,c,d,e]
                    [--no-gatling] [--sampling P] [--name NAME] [-h|--help]

Starts the system with ./run-local.sh (rate limits off), an nginx TLS reverse proxy to the
user-service instances, and measures, each scenario in turn:
  a  GET /api/users/{id}        through the gateway (HTTPS :8443)
  b  GET /users/{id}            directly to user-service-1 (plain HTTP :8081)
  c  GET /api/users/{id}        through nginx (HTTPS, upstream keepalive to :8081, :8082)
  d  POST /api/orders           through the gateway (gateway -> order -> user -> DB)
  e  GET /api/users/{id}/orders through the gateway (gateway -> user -> order)
  f  GET /api/users/{id}        through a bare gateway on Spring Cloud Gateway WebFlux
  g  GET /api/users/{id}        through a bare gateway on Spring Cloud Gateway WebMVC with
                                virtual threads (f, g: bench/gateway-variants, one route,
                                the API key as a plain header compare like nginx's, no
                                observation; built and started only when asked for)
with
  wrk     saturation, HTTP/1.1 over TLS: -t THREADS -c CONNECTIONS -d DURATION (a-g)
  h2load  saturation, HTTP/2 over TLS: -c H2_CONNECTIONS -m CONNECTIONS/H2_CONNECTIONS (a, c, f, g)
  Gatling constant arrival rate (open model) for DURATION after 5 s at the same rate;
          a, b and c at RATE_FRACTION x the gateway's (a) wrk saturation (one rate for the
          three, so their latencies compare), d and e at RATE_FRACTION x their own.
and CPU seconds and peak RSS of every process during each measurement.

Options:
  --postgres          services on PostgreSQL (run-local.sh --postgres; DB_HOST, DB_PORT,
                      DB_USER, DB_PASSWORD, default localhost:5432 postgres) instead of H2
  --duration S        seconds per measurement (default 15)
  --warmup S          warm-up seconds per scenario, with the scenario's own tool (default 10)
  --system-warmup S   seconds of GET /api/users/{id} through the gateway (wrk) before the
                      first scenario, so that the JVMs' JIT has compiled the hot paths
                      (default 240; after 60 s the gateway still used twice the CPU per
                      request that it used after 240 s, docs/benchmarks.md)
  --connections N     wrk connections, and h2load's concurrent streams (default 32)
  --threads N         wrk and h2load threads (default 2)
  --h2-connections N  h2load connections (default 4; streams per connection = N/this)
  --rate-fraction F   fixed rate as a share of the saturation throughput (default 0.5)
  --only LIST         scenarios to run, e.g. a,b,c (default a,b,c,d,e; the rate of a, b and
                      c comes from a's wrk run, or from b's or c's if a is not run; f and g
                      run only when listed, e.g. --only a,c,f,g)
  --no-gatling        skip the fixed-rate runs
  --sampling P        TRACING_SAMPLING_PROBABILITY of the apps (default: the launcher's, 1.0)
  --name NAME         results file name prefix (default bench-h2 / bench-postgres)

Environment: STARTUP_TIMEOUT (seconds for the launcher to get routable, default 420 here,
for a busy shared machine), JAVA_HOME, DB_* (with --postgres) as for run-local.sh.

Needs: wrk, h2load (Debian nghttp2-client), nginx, openssl, curl, jq, a JDK >= 17; missing
Debian packages are installed with apt-get when running as root, otherwise the script
prints the apt-get line. Gatling comes from Maven Central through ./mvnw the first time.
Builds the jars (./mvnw -q package -DskipTests), and those of the bare gateways for f and g
(./mvnw -q -f bench/gateway-variants/pom.xml package), only if one is missing.
Ports: the launcher's (launcher/apps.conf: 8443, 8888, 8761, 8081-8082, 8091-8092, 9081-9082, 9091-9092, 9090), a
free one for nginx (18443-18499) and two for the bare gateways (18500-18599). A default run
takes 13-15 minutes on 2 cores.
EOF
}

die() { printf 'bench: ERROR: %s\n' "$*" >&2; exit 1; }
need_num() { case "$2" in ''|*[!0-9]*) die "$1 needs a whole number, got '$2'" ;; esac; }

while [ $# -gt 0 ]; do
    case "$1" in
        --postgres) POSTGRES=1 ;;
        --duration) [ $# -ge 2 ] || die "--duration needs a value"; DURATION=$2; shift ;;
        --warmup) [ $# -ge 2 ] || die "--warmup needs a value"; WARMUP=$2; shift ;;
        --system-warmup) [ $# -ge 2 ] || die "--system-warmup needs a value"; SYSTEM_WARMUP=$2; shift ;;
        --connections) [ $# -ge 2 ] || die "--connections needs a value"; CONNECTIONS=$2; shift ;;
        --threads) [ $# -ge 2 ] || die "--threads needs a value"; THREADS=$2; shift ;;
        --h2-connections) [ $# -ge 2 ] || die "--h2-connections needs a value"; H2_CONNECTIONS=$2; shift ;;
        --rate-fraction) [ $# -ge 2 ] || die "--rate-fraction needs a value"; RATE_FRACTION=$2; shift ;;
        --only) [ $# -ge 2 ] || die "--only needs a list"; ONLY=$2; shift ;;
        --no-gatling) GATLING=0 ;;
        --sampling) [ $# -ge 2 ] || die "--sampling needs a value"; SAMPLING=$2; shift ;;
        --name) [ $# -ge 2 ] || die "--name needs a value"; NAME=$2; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown argument: $1" ;;
    esac
    shift
done
need_num --duration "$DURATION"; need_num --warmup "$WARMUP"; need_num --connections "$CONNECTIONS"
need_num --system-warmup "$SYSTEM_WARMUP"
need_num --threads "$THREADS"; need_num --h2-connections "$H2_CONNECTIONS"
if [ "$DURATION" -lt 1 ] || [ "$CONNECTIONS" -lt 1 ] || [ "$THREADS" -lt 1 ] || [ "$H2_CONNECTIONS" -lt 1 ]; then
    die "--duration, --connections, --threads and --h2-connections must be at least 1"
fi
[ "$CONNECTIONS" -ge "$THREADS" ] || die "--connections must be at least --threads (wrk)"
case "$RATE_FRACTION" in 0.[0-9]*|1|1.0) ;; *) die "--rate-fraction must be in (0, 1], got '$RATE_FRACTION'" ;; esac
case ",$ONLY," in *[!a-g,]*) die "--only takes a comma-separated list of a, b, c, d, e, f, g" ;; esac
H2_STREAMS=$(( (CONNECTIONS + H2_CONNECTIONS - 1) / H2_CONNECTIONS ))
runs() { case ",$ONLY," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }
VARIANTS=0   # the bare gateways of f and g (bench/gateway-variants)
if runs f || runs g; then VARIANTS=1; fi

# ---------------------------------------------------------------------------
# Tools
# ---------------------------------------------------------------------------
missing=""
for tool in wrk:wrk h2load:nghttp2-client nginx:nginx openssl:openssl curl:curl jq:jq; do
    command -v "${tool%%:*}" >/dev/null 2>&1 || missing="$missing ${tool#*:}"
done
if [ -n "$missing" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "bench: installing missing Debian packages:$missing"
        # shellcheck disable=SC2086  # the package list is split on purpose
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing >/dev/null \
            || die "apt-get install -y$missing failed (try apt-get update first)"
    else
        die "missing tools; install them with: sudo apt-get install -y$missing"
    fi
fi
command -v java >/dev/null 2>&1 || [ -n "${JAVA_HOME:-}" ] || die "no JDK: install a JDK >= 17"

# ---------------------------------------------------------------------------
# State and output
# ---------------------------------------------------------------------------
VARIANT=h2
[ "$POSTGRES" = 1 ] && VARIANT=postgres
[ -n "$NAME" ] || NAME="bench-$VARIANT"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p bench/results
OUT="bench/results/$NAME-$STAMP.txt"
WORK="$ROOT/.local/bench/$STAMP"          # git-ignored: nginx config, its key, samples
mkdir -p "$WORK"
chmod 700 "$ROOT/.local/bench" "$WORK"
LAUNCH_LOG="$WORK/run-local.log"
SUMMARY="$WORK/summary.tsv"               # scenario, tool, key, value
: > "$SUMMARY"

say() { printf '%s\n' "$*" | tee -a "$OUT"; }
raw() { tee -a "$OUT"; }
note() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" | tee -a "$OUT" >&2; }
record() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >> "$SUMMARY"; }
value() {  # SCENARIO TOOL KEY -> value or empty
    awk -F'\t' -v s="$1" -v t="$2" -v k="$3" '$1==s && $2==t && $3==k {v=$4} END {print v}' "$SUMMARY"
}

# ---------------------------------------------------------------------------
# Cleanup: nginx, samplers, the launcher (which stops every JVM it started)
# ---------------------------------------------------------------------------
LAUNCHER_PID=""
NGINX_PID=""
SAMPLER_PID=""
VARIANT_PIDS=""   # "name:pid ..." of the bare gateways (f, g)
APP_PIDS=""   # "name:pid ..." of the launcher's JVMs, to check nothing is left behind
CLEANED=0
cleanup() {
    [ "$CLEANED" = 1 ] && return 0
    CLEANED=1
    set +e
    trap '' INT TERM
    local entry
    [ -n "$SAMPLER_PID" ] && kill "$SAMPLER_PID" 2>/dev/null && wait "$SAMPLER_PID" 2>/dev/null
    if [ -n "$NGINX_PID" ] && kill -0 "$NGINX_PID" 2>/dev/null; then
        kill -TERM "$NGINX_PID"; wait "$NGINX_PID" 2>/dev/null
        note "nginx stopped"
    fi
    for entry in $VARIANT_PIDS; do
        kill -TERM "${entry#*:}" 2>/dev/null && wait "${entry#*:}" 2>/dev/null
    done
    [ -n "$VARIANT_PIDS" ] && note "bare gateways stopped"
    if [ -n "$LAUNCHER_PID" ] && kill -0 "$LAUNCHER_PID" 2>/dev/null; then
        note "stopping the system (SIGTERM to run-local.sh, pid $LAUNCHER_PID)"
        kill -TERM "$LAUNCHER_PID"; wait "$LAUNCHER_PID" 2>/dev/null
    fi
    local left=""
    for entry in $APP_PIDS; do
        kill -0 "${entry#*:}" 2>/dev/null && left="$left $entry"
    done
    if [ -n "$left" ]; then
        note "WARNING: still running after the launcher stopped:$left (sending SIGKILL)"
        for entry in $left; do kill -KILL "${entry#*:}" 2>/dev/null; done
    elif [ -n "$APP_PIDS" ]; then
        note "all processes of the run stopped"
    fi
    [ -f "$OUT" ] && note "raw output: $OUT"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------------------
# Build (only what is missing), Gatling project compiled before the system runs
# ---------------------------------------------------------------------------
jar_missing() {
    local m f
    for m in eureka-server user-service order-service api-gateway; do
        f=$(find "$m/target" -maxdepth 1 -name "$m-*.jar" ! -name '*-plain.jar' 2>/dev/null | head -n 1)
        [ -n "$f" ] || return 0
    done
    return 1
}
if jar_missing; then
    note "building the jars: ./mvnw -q package -DskipTests"
    ./mvnw -q package -DskipTests
fi
VARIANT_JARS="bench/gateway-variants/bare-webflux/target/bare-webflux-0.1.0-SNAPSHOT.jar bench/gateway-variants/bare-webmvc/target/bare-webmvc-0.1.0-SNAPSHOT.jar"
if [ "$VARIANTS" = 1 ]; then
    for jar in $VARIANT_JARS; do
        if [ ! -f "$jar" ]; then
            note "building the bare gateways: ./mvnw -q -f bench/gateway-variants/pom.xml package"
            ./mvnw -B -q -f bench/gateway-variants/pom.xml package
            break
        fi
    done
fi
if [ "$GATLING" = 1 ]; then
    note "compiling the Gatling simulation: ./mvnw -q -f bench/gatling/pom.xml test-compile"
    ./mvnw -B -q -f bench/gatling/pom.xml test-compile
fi

# The launcher checks the system's ports (launcher/apps.conf) itself and ends with the
# busy port and its owner; nginx takes the first free port from 18443.
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
NGINX_PORT=""
for p in $(seq 18443 18499); do
    port_busy "$p" || { NGINX_PORT=$p; break; }
done
[ -n "$NGINX_PORT" ] || die "no free port for nginx in 18443-18499"

# ---------------------------------------------------------------------------
# Header: machine, commit, command
# ---------------------------------------------------------------------------
{
    echo "# cloudref benchmark ($VARIANT), $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "# command: bench/run.sh ${BENCH_ARGS:-}"
    echo "# commit: $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)')"
    echo "# machine: $(nproc) cores, $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n 1),"\
         "$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), load average at start:$(cut -d' ' -f1-3 /proc/loadavg | sed 's/^/ /')"
    echo "# tools: java on PATH (Gatling) $(java -version 2>&1 | head -n 1); $(wrk -v 2>&1 | head -n 1 | cut -d' ' -f1-2);" \
         "h2load $(h2load --version 2>&1 | awk '{print $NF}' | head -n 1); $(nginx -v 2>&1 | cut -d' ' -f3)"
    echo "# settings: duration ${DURATION}s, system warm-up ${SYSTEM_WARMUP}s, warm-up ${WARMUP}s per scenario, wrk -t$THREADS -c$CONNECTIONS," \
         "h2load -t$THREADS -c$H2_CONNECTIONS -m$H2_STREAMS, fixed rate $RATE_FRACTION x saturation," \
         "scenarios $ONLY, tracing sampling ${SAMPLING:-launcher default}"
} | raw

# ---------------------------------------------------------------------------
# Start the system
# ---------------------------------------------------------------------------
LAUNCH_ARGS=(--no-build)
[ "$POSTGRES" = 1 ] && LAUNCH_ARGS+=(--postgres)
STARTUP_TIMEOUT=${STARTUP_TIMEOUT:-420}   # the launcher's is 180 s; a shared, busy machine needs more
# Tokens live an hour here: b and c (past the gateway) send one token of the demo client
# for the whole run; the apps renew their own as always.
ENV_ARGS=(GATEWAY_RATE_LIMIT_ENABLED=false "STARTUP_TIMEOUT=$STARTUP_TIMEOUT" AUTH_ACCESS_TOKEN_TTL=60m)
[ -n "$SAMPLING" ] && ENV_ARGS+=("TRACING_SAMPLING_PROBABILITY=$SAMPLING")
note "starting the system: ${ENV_ARGS[*]} ./run-local.sh ${LAUNCH_ARGS[*]} (log: ${LAUNCH_LOG#"$ROOT"/})"
: > "$LAUNCH_LOG"
T0=$(date +%s%N)
env "${ENV_ARGS[@]}" ./run-local.sh "${LAUNCH_ARGS[@]}" > "$LAUNCH_LOG" 2>&1 &
LAUNCHER_PID=$!
for _ in $(seq 1 $(( (STARTUP_TIMEOUT + 30) * 5 ))); do
    grep -q 'Press Ctrl-C' "$LAUNCH_LOG" && break
    kill -0 "$LAUNCHER_PID" 2>/dev/null || { tail -n 30 "$LAUNCH_LOG" >&2; die "run-local.sh exited"; }
    sleep 0.2
done
grep -q 'Press Ctrl-C' "$LAUNCH_LOG" || { tail -n 30 "$LAUNCH_LOG" >&2; die "the system did not become routable in $STARTUP_TIMEOUT s"; }
ROUTABLE_S=$(awk -v t0="$T0" -v t1="$(date +%s%N)" 'BEGIN {printf "%.1f", (t1 - t0) / 1e9}')
note "routable after ${ROUTABLE_S}s"
grep -m 1 'JVM options' "$LAUNCH_LOG" | sed 's/^\[[^]]*\] */# apps: /' | raw

APPS="eureka-server user-service-1 user-service-2 order-service-1 order-service-2 api-gateway"
for app in $APPS; do
    pid=$(pgrep -P "$LAUNCHER_PID" -f -- "-Dcloudref.local=$app " | head -n 1 || true)   # the launcher execs each JVM in a child
    [ -n "$pid" ] || die "no process for $app (pgrep -f cloudref.local=$app)"
    APP_PIDS="$APP_PIDS $app:$pid"
done

KEY=$(cat .local/api-key)
CACERT=.local/certs/gateway.crt
GW=https://localhost:8443
CURL=(curl -sS --max-time 10 --cacert "$CACERT" -H "X-API-Key: $KEY" -H 'Content-Type: application/json')
json_id() { grep -o '"id":"[^"]*"' | head -n 1 | cut -d'"' -f4; }
USER_ID=$("${CURL[@]}" -d "{\"name\":\"Bench Reader\",\"email\":\"bench-r-$STAMP-$RANDOM@example.com\"}" "$GW/api/users" | json_id)
ORDER_USER_ID=$("${CURL[@]}" -d "{\"name\":\"Bench Writer\",\"email\":\"bench-w-$STAMP-$RANDOM@example.com\"}" "$GW/api/users" | json_id)
if [ -z "$USER_ID" ] || [ -z "$ORDER_USER_ID" ]; then die "could not create the benchmark users"; fi
ORDER_ID=$("${CURL[@]}" -d "{\"userId\":\"$USER_ID\",\"sku\":\"BENCH-1\",\"quantity\":1}" "$GW/api/orders" | json_id)
[ -n "$ORDER_ID" ] || die "could not create the benchmark order"
ORDER_BODY="{\"userId\":\"$ORDER_USER_ID\",\"sku\":\"BENCH-2\",\"quantity\":1}"
note "user $USER_ID (one order, read by a, b, c, e); orders of d go to user $ORDER_USER_ID"
# The services accept no request without a token (docs/security.md): b (direct) sends one,
# and nginx (c) adds it as the gateway adds its own.
TOKEN=$(curl -sS --max-time 10 --cacert "$CACERT" -u "demo:$(cat .local/demo-client-secret)" \
    -d grant_type=client_credentials -d scope=users:read "$GW/oauth2/token" \
    | grep -o '"access_token":"[^"]*"' | cut -d'"' -f4)
[ -n "$TOKEN" ] || die "could not get a token of the demo client"

# ---------------------------------------------------------------------------
# nginx: TLS (self-signed, made now), HTTP/2, upstream keepalive to user-service
# ---------------------------------------------------------------------------
NGINX_DIR="$WORK/nginx"
mkdir -p "$NGINX_DIR/logs" "$NGINX_DIR/tmp"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
    -subj /CN=localhost -addext 'subjectAltName=DNS:localhost,IP:127.0.0.1' \
    -keyout "$NGINX_DIR/nginx.key" -out "$NGINX_DIR/nginx.crt" 2>/dev/null
chmod 600 "$NGINX_DIR/nginx.key"
cat > "$NGINX_DIR/nginx.conf" <<EOF
# generated by bench/run.sh; holds the API key: stays under .local/ (mode 700)
daemon off;
worker_processes auto;
pid $NGINX_DIR/nginx.pid;
error_log $NGINX_DIR/logs/error.log warn;
events { worker_connections 4096; }
http {
    access_log $NGINX_DIR/logs/access.log combined buffer=64k flush=1s;
    client_body_temp_path $NGINX_DIR/tmp/body;
    proxy_temp_path $NGINX_DIR/tmp/proxy;
    fastcgi_temp_path $NGINX_DIR/tmp/fastcgi;
    uwsgi_temp_path $NGINX_DIR/tmp/uwsgi;
    scgi_temp_path $NGINX_DIR/tmp/scgi;
    keepalive_requests 100000;
    upstream user_service {
        server 127.0.0.1:8081;
        server 127.0.0.1:8082;
        keepalive 64;
    }
    server {
        listen 127.0.0.1:$NGINX_PORT ssl http2;
        ssl_certificate $NGINX_DIR/nginx.crt;
        ssl_certificate_key $NGINX_DIR/nginx.key;
        ssl_protocols TLSv1.2 TLSv1.3;
        location /api/users/ {
            if (\$http_x_api_key != "$KEY") { return 401; }
            proxy_pass http://user_service/users/;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header X-API-Key "";
            proxy_set_header Authorization "Bearer $TOKEN";
        }
        location / { return 404; }
    }
}
EOF
chmod 600 "$NGINX_DIR/nginx.conf"
nginx -t -q -p "$NGINX_DIR" -c "$NGINX_DIR/nginx.conf" -e "$NGINX_DIR/logs/error.log" \
    || die "nginx rejected its generated config ($NGINX_DIR/nginx.conf)"
nginx -p "$NGINX_DIR" -c "$NGINX_DIR/nginx.conf" -e "$NGINX_DIR/logs/error.log" &
NGINX_PID=$!
NX=https://localhost:$NGINX_PORT
for _ in $(seq 1 50); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' --cacert "$NGINX_DIR/nginx.crt" -H "X-API-Key: $KEY" "$NX/api/users/$USER_ID")" = 200 ] && break
    kill -0 "$NGINX_PID" 2>/dev/null || die "nginx exited (see $NGINX_DIR/logs/error.log)"
    sleep 0.2
done
note "nginx (pid $NGINX_PID) on $NX -> 127.0.0.1:8081, :8082"
{
    echo "# ALPN: gateway $(curl -s -o /dev/null -w '%{http_version}' --http2 --cacert "$CACERT" -H "X-API-Key: $KEY" "$GW/api/users/$USER_ID"),"\
         "nginx $(curl -s -o /dev/null -w '%{http_version}' --http2 --cacert "$NGINX_DIR/nginx.crt" -H "X-API-Key: $KEY" "$NX/api/users/$USER_ID") (HTTP version curl --http2 gets)"
    echo "# gateway TLS: $(echo | openssl s_client -connect 127.0.0.1:8443 -servername localhost 2>/dev/null | grep -E '^New,' | head -n 1)"
    echo "# nginx TLS:   $(echo | openssl s_client -connect 127.0.0.1:"$NGINX_PORT" -servername localhost 2>/dev/null | grep -E '^New,' | head -n 1)"
} | raw

# ---------------------------------------------------------------------------
# The bare gateways of f and g: the same JDK and JVM options as the real gateway, its
# certificate and key, the registry for lb://user-service (they do not register)
# ---------------------------------------------------------------------------
BF="" BM=""
if [ "$VARIANTS" = 1 ]; then
    GATEWAY_PID=""
    for entry in $APP_PIDS; do [ "${entry%%:*}" = api-gateway ] && GATEWAY_PID=${entry#*:}; done
    # java and its options from the gateway's command line, up to the launcher's marker
    read -r -a GATEWAY_JVM <<< "$(tr '\0' '\n' < "/proc/$GATEWAY_PID/cmdline" | awk '/^-Dcloudref.local=/ {exit} {printf "%s ", $0}')"
    variant_ports=()
    for p in $(seq 18500 18599); do
        port_busy "$p" || variant_ports+=("$p")
        [ "${#variant_ports[@]}" = 2 ] && break
    done
    [ "${#variant_ports[@]}" = 2 ] || die "no two free ports for the bare gateways in 18500-18599"
    BF=https://localhost:${variant_ports[0]}
    BM=https://localhost:${variant_ports[1]}
    i=0
    for jar in $VARIANT_JARS; do
        name=$(basename "$jar" -0.1.0-SNAPSHOT.jar)
        # The launcher's registry is closed: its password is in .local/registry-password
        # (or EUREKA_PASSWORD).
        env CERT_DIR="$ROOT/.local/certs" BENCH_API_KEY="$KEY" SERVER_PORT="${variant_ports[$i]}" \
            EUREKA_URL="http://${EUREKA_USER:-registry}:${EUREKA_PASSWORD:-$(cat "$ROOT/.local/registry-password")}@localhost:8761/eureka/" \
            "${GATEWAY_JVM[@]}" "-Dcloudref.local=$name" -jar "$jar" > "$WORK/$name.log" 2>&1 &
        VARIANT_PIDS="$VARIANT_PIDS $name:$!"
        i=$((i + 1))
    done
    for url in "$BF" "$BM"; do
        for _ in $(seq 1 300); do
            [ "$(curl -s -o /dev/null -w '%{http_code}' --cacert "$CACERT" -H "X-API-Key: $KEY" "$url/api/users/$USER_ID")" = 200 ] && break
            sleep 0.5
        done
        [ "$(curl -s -o /dev/null -w '%{http_code}' --cacert "$CACERT" -H "X-API-Key: $KEY" "$url/api/users/$USER_ID")" = 200 ] \
            || die "the bare gateway at $url does not route (logs: $WORK/bare-*.log)"
    done
    note "bare gateways: WebFlux on $BF, WebMVC with virtual threads on $BM (${VARIANT_PIDS# })"
    echo "# bare gateways: ${GATEWAY_JVM[*]} -jar $VARIANT_JARS" | raw
fi

# ---------------------------------------------------------------------------
# CPU and RSS of every process during a measurement
# ---------------------------------------------------------------------------
TRACKED=""   # "name:pid ..." (nginx: master and workers, summed)
track_pids() {
    TRACKED="$APP_PIDS $VARIANT_PIDS nginx:$NGINX_PID"
    local w
    for w in $(pgrep -P "$NGINX_PID" || true); do TRACKED="$TRACKED nginx:$w"; done
}
CLK_TCK=$(getconf CLK_TCK)
cpu_ticks() {  # PID -> utime+stime (ticks), 0 if gone
    awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2>/dev/null || echo 0
}
cpu_snapshot() {  # -> lines "name ticks" (summed per name)
    local e
    for e in $TRACKED; do printf '%s %s\n' "${e%%:*}" "$(cpu_ticks "${e#*:}")"; done \
        | awk '{t[$1] += $2} END {for (n in t) print n, t[n]}'
}
rss_sampler() {  # FILE: "name kB" every 0.5 s until killed (nginx summed)
    local e pid
    while :; do
        for e in $TRACKED; do
            pid=${e#*:}
            printf '%s %s\n' "${e%%:*}" "$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)"
        done | awk '{t[$1] += $2} END {for (n in t) print n, t[n]}' >> "$1"
        sleep 0.5
    done
}
MEASURE_CPU0=""
measure_start() {
    track_pids
    MEASURE_CPU0=$(cpu_snapshot)
    : > "$WORK/rss.samples"
    rss_sampler "$WORK/rss.samples" &
    SAMPLER_PID=$!
}
measure_stop() {  # SCENARIO TOOL REQUESTS: records cpu and rss per process
    local scenario=$1 tool=$2 requests=$3 cpu1
    kill "$SAMPLER_PID" 2>/dev/null; wait "$SAMPLER_PID" 2>/dev/null || true
    SAMPLER_PID=""
    cpu1=$(cpu_snapshot)
    {
        echo "# CPU seconds used during the measurement, peak RSS (MiB), CPU ms per 1000 requests"
        printf '%s\n' "$MEASURE_CPU0" | sed 's/^/0 /'
        printf '%s\n' "$cpu1" | sed 's/^/1 /'
        sed 's/^/r /' "$WORK/rss.samples"
    } | awk -v hz="$CLK_TCK" -v req="$requests" '
        $1 == "0" { c0[$2] = $3 } $1 == "1" { c1[$2] = $3 }
        $1 == "r" && $3 > rss[$2] { rss[$2] = $3 }
        /^#/ { print }
        END {
            n = split("api-gateway bare-webflux bare-webmvc nginx user-service-1 user-service-2 order-service-1 order-service-2 eureka-server", order, " ")
            for (i = 1; i <= n; i++) {
                p = order[i]
                if (!(p in c1)) continue   # not running in this run (the bare gateways)
                cpu = (c1[p] - c0[p]) / hz
                printf "%-16s cpu %6.2f s  rss %5.0f MiB  cpu/1k req %7.1f ms\n", p, cpu, rss[p] / 1024, (req > 0 ? cpu * 1e6 / req : 0)
            }
        }' > "$WORK/measure.txt"
    raw < "$WORK/measure.txt"
    awk -v s="$scenario" -v t="$tool" '!/^#/ { printf "%s\t%s\tcpu:%s\t%s\n%s\t%s\trss:%s\t%s\n", s, t, $1, $3, s, t, $1, $6 }' \
        "$WORK/measure.txt" >> "$SUMMARY"
}

# ---------------------------------------------------------------------------
# Load tools
# ---------------------------------------------------------------------------
POST_LUA="$WORK/post-order.lua"
printf 'wrk.method = "POST"\nwrk.body = %s\nwrk.headers["Content-Type"] = "application/json"\n' \
    "'$ORDER_BODY'" > "$POST_LUA"

# scenario -> url, method, key header
scenario_url() {
    case "$1" in
        a) echo "$GW/api/users/$USER_ID" ;;
        b) echo "http://127.0.0.1:8081/users/$USER_ID" ;;
        c) echo "$NX/api/users/$USER_ID" ;;
        d) echo "$GW/api/orders" ;;
        e) echo "$GW/api/users/$USER_ID/orders" ;;
        f) echo "$BF/api/users/$USER_ID" ;;
        g) echo "$BM/api/users/$USER_ID" ;;
    esac
}
scenario_title() {
    case "$1" in
        a) echo "a: GET /api/users/{id} via gateway (TLS)" ;;
        b) echo "b: GET /users/{id} direct to user-service-1 (HTTP)" ;;
        c) echo "c: GET /api/users/{id} via nginx (TLS)" ;;
        d) echo "d: POST /api/orders via gateway (TLS)" ;;
        e) echo "e: GET /api/users/{id}/orders via gateway (TLS)" ;;
        f) echo "f: GET /api/users/{id} via bare WebFlux gateway (TLS)" ;;
        g) echo "g: GET /api/users/{id} via bare WebMVC gateway, virtual threads (TLS)" ;;
    esac
}

to_ms() {  # wrk latency (e.g. 1.23ms, 456.00us, 1.20s) -> ms
    awk -v v="$1" 'BEGIN {
        if (v ~ /us$/) { sub(/us$/, "", v); printf "%.2f", v / 1000 }
        else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.2f", v }
        else if (v ~ /m$/) { sub(/m$/, "", v); printf "%.2f", v * 60000 }
        else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.2f", v * 1000 }
        else print "" }'
}

run_wrk() {  # SCENARIO SECONDS [record]
    local s=$1 args=(-t"$THREADS" -c"$CONNECTIONS" -d"${2}s" --latency --timeout 5s)
    [ "$2" -gt 0 ] || return 0
    if [ "$s" = b ]; then args+=(-H "Authorization: Bearer $TOKEN"); else args+=(-H "X-API-Key: $KEY"); fi
    [ "$s" = d ] && args+=(-s "$POST_LUA")
    if [ "${3:-}" != record ]; then
        wrk "${args[@]}" "$(scenario_url "$s")" > "$WORK/warmup.txt" 2>&1 || true
        return 0
    fi
    local shown="${args[*]//$KEY/<key>}"
    say "## $(scenario_title "$s") - wrk ${shown//$TOKEN/<token>} $(scenario_url "$s")"
    measure_start
    wrk "${args[@]}" "$(scenario_url "$s")" > "$WORK/wrk.txt" 2>&1 || true
    raw < "$WORK/wrk.txt"
    local rps total non2xx sockerr p50 p99
    rps=$(awk '/^Requests\/sec:/ {print $2}' "$WORK/wrk.txt")
    total=$(awk '/requests in/ {print $1}' "$WORK/wrk.txt")
    non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$WORK/wrk.txt")
    sockerr=$(awk '/Socket errors:/ {gsub(/,/, ""); print $4 + $6 + $8 + $10}' "$WORK/wrk.txt")
    p50=$(to_ms "$(awk '$1 == "50%" {print $2}' "$WORK/wrk.txt")")
    p99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$WORK/wrk.txt")")
    measure_stop "$s" wrk "${total:-0}"
    record "$s" wrk rps "${rps:-0}"; record "$s" wrk requests "${total:-0}"
    record "$s" wrk errors "$(( ${non2xx:-0} + ${sockerr:-0} ))"
    record "$s" wrk p50 "$p50"; record "$s" wrk p99 "$p99"
}

run_h2load() {  # SCENARIO
    local s=$1 args=(-t"$THREADS" -c"$H2_CONNECTIONS" -m"$H2_STREAMS" -H "x-api-key: $KEY")
    # warm-up of the HTTP/2 path first, outside the CPU sampling window
    [ "$WARMUP" -gt 0 ] && { h2load "${args[@]}" -D"$WARMUP" "$(scenario_url "$s")" > "$WORK/warmup.txt" 2>&1 || true; }
    args+=(-D"$DURATION")
    say "## $(scenario_title "$s") - h2load ${args[*]//$KEY/<key>} $(scenario_url "$s")"
    measure_start
    h2load "${args[@]}" "$(scenario_url "$s")" > "$WORK/h2load.txt" 2>&1 || true
    raw < "$WORK/h2load.txt"
    local rps finished failed proto
    rps=$(awk '/^finished in/ {for (i = 1; i <= NF; i++) if ($(i+1) ~ /^req\/s/) print $i}' "$WORK/h2load.txt" | tr -d ',')
    finished=$(awk '/^requests:/ {print $6}' "$WORK/h2load.txt")
    failed=$(awk '/^requests:/ {print $10 + $14}' "$WORK/h2load.txt")   # failed (not 2xx, or errored) + timeout
    proto=$(awk '/^Application protocol:/ {print $3}' "$WORK/h2load.txt")
    measure_stop "$s" h2load "${finished:-0}"
    record "$s" h2load rps "${rps:-0}"; record "$s" h2load requests "${finished:-0}"
    record "$s" h2load errors "${failed:-0}"; record "$s" h2load proto "${proto:-?}"
    local mean
    mean=$(awk '/^time for request:/ {print $6}' "$WORK/h2load.txt")
    record "$s" h2load mean "$(to_ms "${mean:-}")"
}

run_gatling() {  # SCENARIO RATE
    local s=$1 rate=$2 results=bench/gatling/target/gatling base path method=GET body="" key="$KEY" bearer=""
    case "$s" in
        a|d|e) base=$GW ;;
        b) base=http://127.0.0.1:8081; key=""; bearer=$TOKEN ;;
        c) base=$NX ;;
        f) base=$BF ;;
        g) base=$BM ;;
    esac
    path=$(scenario_url "$s"); path=${path#"$base"}
    [ "$s" = d ] && { method=POST; body=$ORDER_BODY; }
    say "## $(scenario_title "$s") - Gatling, constant arrival rate $rate/s for ${DURATION}s (after ${GATLING_WARMUP}s at the same rate), HTTP/1.1, shared keep-alive pool"
    rm -rf "$results"
    measure_start
    ./mvnw -B -q -f bench/gatling/pom.xml gatling:test \
        -Dbench.name=measure -Dbench.baseUrl="$base" -Dbench.path="$path" -Dbench.method="$method" \
        -Dbench.bodyBase64="$(printf %s "$body" | base64 -w0)" -Dbench.apiKey="$key" -Dbench.bearer="$bearer" -Dbench.rate="$rate" \
        -Dbench.duration="$DURATION" -Dbench.warmup="$GATLING_WARMUP" > "$WORK/gatling.txt" 2>&1 || true
    local page
    page=$(find "$results" -name 'req_measure-*.html' 2>/dev/null | head -n 1)
    cp "$WORK/gatling.txt" "$WORK/gatling-$s.txt"
    if [ -z "$page" ]; then
        raw < "$WORK/gatling.txt"
        measure_stop "$s" gatling 0
        note "Gatling produced no report for $s (output above)"
        return 0
    fi
    cp "$page" "$WORK/gatling-$s.html"
    # The report's page of the measured request (the console's global figures include the warm-up).
    gatling_stat() { awk -v t="$1" 'index($0, "<td class=\"title\">" t) { f = 1; next }
        f && /class="total"/ { gsub(/.*class="total">|<.*/, ""); print; exit }' "$page"; }
    local total ko p50 p90 p99 p999 rps
    total=$(gatling_stat 'Total count'); rps=$(gatling_stat 'Mean count/s')
    ko=$(awk 'index($0, "<td class=\"title\">Total count") { f = 1 } f && /class="ko"/ { gsub(/.*class="ko">|<.*/, ""); print; exit }' "$page")
    p50=$(gatling_stat '50th percentile'); p90=$(gatling_stat '90th percentile')
    p99=$(gatling_stat '99th percentile'); p999=$(gatling_stat '99.9th percentile')
    # Gatling's final console summary (its global figures include the warm-up requests)
    awk '/---- Global Information/ { buf = "" } { buf = buf $0 "\n" } END { printf "%s", buf }' "$WORK/gatling.txt" | raw
    say "measure: $total requests, $ko KO, $rps req/s; response time ms (all): p50 $p50, p90 $p90, p99 $p99, p99.9 $p999"
    measure_stop "$s" gatling "${total:-0}"
    record "$s" gatling rate "$rate"; record "$s" gatling requests "$total"; record "$s" gatling errors "$ko"
    record "$s" gatling p50 "$p50"; record "$s" gatling p99 "$p99"; record "$s" gatling p999 "$p999"
}

# ---------------------------------------------------------------------------
# Scenarios
# ---------------------------------------------------------------------------
rate_of() {  # SCENARIO -> fixed rate (req/s, whole) from a wrk saturation
    awk -v r="$(value "$1" wrk rps)" -v f="$RATE_FRACTION" 'BEGIN {x = int(r * f); print (x < 1 ? 1 : x)}'
}
ABC_RATE=""
if [ "$SYSTEM_WARMUP" -gt 0 ]; then
    note "system warm-up: ${SYSTEM_WARMUP}s of GET /api/users/{id} through the gateway (wrk, not measured)"
    # The bare gateways warm up at the same time, so each JVM gets its JIT work done.
    warmups=()
    for s in f g; do
        if runs "$s"; then
            run_wrk "$s" "$SYSTEM_WARMUP" &
            warmups+=($!)
        fi
    done
    run_wrk a "$SYSTEM_WARMUP"
    [ "${#warmups[@]}" = 0 ] || wait "${warmups[@]}"
fi
for s in a b c d e f g; do
    runs "$s" || continue
    note "scenario $(scenario_title "$s"): warm-up ${WARMUP}s"
    run_wrk "$s" "$WARMUP"
    note "scenario $s: wrk ${DURATION}s"
    run_wrk "$s" "$DURATION" record
    case "$s" in a|c|f|g)
        note "scenario $s: h2load ${DURATION}s"
        run_h2load "$s" ;;
    esac
done
if [ "$GATLING" = 1 ]; then
    for s in a b c; do
        if runs "$s" && [ -z "$ABC_RATE" ]; then ABC_RATE=$(rate_of "$s"); fi
    done
    for s in a b c d e f g; do
        runs "$s" || continue
        rate=$ABC_RATE
        case "$s" in d|e) rate=$(rate_of "$s") ;; esac
        note "scenario $s: Gatling at $rate/s"
        run_gatling "$s" "$rate"
    done
fi

# ---------------------------------------------------------------------------
# Start-up, RSS at the end
# ---------------------------------------------------------------------------
say "## start-up"
say "system routable (bench/run.sh's clock, launcher start to its 'Press Ctrl-C'): ${ROUTABLE_S}s"
grep -E 'Routable [0-9]+s after start' "$LAUNCH_LOG" | sed 's/^ *//' | raw || true
for app in $APPS; do
    line=$(grep -E 'Started [A-Za-z]+ in [0-9.]+ seconds' ".local/logs/$app.log" | tail -n 1 || true)
    st=$(printf '%s' "$line" | sed -nE 's/.*Started [A-Za-z]+ in ([0-9.]+) seconds.*/\1/p')
    pr=$(printf '%s' "$line" | sed -nE 's/.*process running for ([0-9.]+)\).*/\1/p')
    say "$app: started in ${st:-?} s (process running for ${pr:-?} s)"
    record start "$app" started "${st:-}"; record start "$app" process "${pr:-}"
done
say "## RSS at the end (MiB)"
track_pids
for e in $TRACKED; do
    printf '%s %s\n' "${e%%:*}" "$(awk '/^VmRSS/ {print $2}' "/proc/${e#*:}/status" 2>/dev/null || echo 0)"
done | awk '{t[$1] += $2} END {for (n in t) printf "%s %.0f\n", n, t[n] / 1024}' | sort > "$WORK/rss-end.txt"
raw < "$WORK/rss-end.txt"
while read -r n m; do record end "$n" rss "$m"; done < "$WORK/rss-end.txt"

# ---------------------------------------------------------------------------
# Summary (markdown)
# ---------------------------------------------------------------------------
PROCESSES="api-gateway nginx user-service-1 user-service-2 order-service-1 order-service-2 eureka-server"
[ "$VARIANTS" = 1 ] && PROCESSES="api-gateway bare-webflux bare-webmvc ${PROCESSES#api-gateway }"
ratio() { awk -v x="$1" -v y="$2" 'BEGIN { if (x == "" || y == "" || y + 0 == 0) print "—"; else printf "%.2f", x / y }'; }
or_dash() { if [ -n "$1" ]; then printf '%s' "$1"; else printf '—'; fi; }
{
    echo
    echo "## Summary ($VARIANT, $(date -u +%Y-%m-%d), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'))"
    echo
    echo "Saturation: wrk -t$THREADS -c$CONNECTIONS (HTTP/1.1), h2load -c$H2_CONNECTIONS -m$H2_STREAMS (HTTP/2), ${DURATION}s each."
    echo "Fixed rate: Gatling, open model, $RATE_FRACTION x saturation (a, b, c at the rate from a), ${DURATION}s."
    echo
    echo "| scenario | wrk req/s | wrk p50 / p99 ms | wrk errors | h2load req/s | h2load errors | fixed rate /s | p50 / p99 / p99.9 ms | errors |"
    echo "|---|---|---|---|---|---|---|---|---|"
    for s in a b c d e f g; do
        runs "$s" || continue
        printf '| %s | %s | %s / %s | %s | %s | %s | %s | %s / %s / %s | %s |\n' "$(scenario_title "$s")" \
            "$(or_dash "$(value "$s" wrk rps)")" "$(or_dash "$(value "$s" wrk p50)")" "$(or_dash "$(value "$s" wrk p99)")" \
            "$(or_dash "$(value "$s" wrk errors)")" "$(or_dash "$(value "$s" h2load rps)")" "$(or_dash "$(value "$s" h2load errors)")" \
            "$(or_dash "$(value "$s" gatling rate)")" "$(or_dash "$(value "$s" gatling p50)")" "$(or_dash "$(value "$s" gatling p99)")" \
            "$(or_dash "$(value "$s" gatling p999)")" "$(or_dash "$(value "$s" gatling errors)")"
    done
    echo
    echo "| ratio (same run) | wrk req/s | h2load req/s | fixed-rate p50 | fixed-rate p99 |"
    echo "|---|---|---|---|---|"
    for pair in a:c:gateway/nginx a:b:gateway/direct c:b:nginx/direct f:c:bare-webflux/nginx g:c:bare-webmvc/nginx \
        g:f:bare-webmvc/bare-webflux a:f:gateway/bare-webflux; do
        x=${pair%%:*}; rest=${pair#*:}; y=${rest%%:*}; label=${rest#*:}
        if ! runs "$x" || ! runs "$y"; then continue; fi
        printf '| %s | %s | %s | %s | %s |\n' "$label" \
            "$(ratio "$(value "$x" wrk rps)" "$(value "$y" wrk rps)")" "$(ratio "$(value "$x" h2load rps)" "$(value "$y" h2load rps)")" \
            "$(ratio "$(value "$x" gatling p50)" "$(value "$y" gatling p50)")" "$(ratio "$(value "$x" gatling p99)" "$(value "$y" gatling p99)")"
    done
    echo
    echo "CPU seconds during each wrk run (${DURATION}s; 2 cores = $((2 * DURATION)) CPU s at most) and CPU ms per 1000 requests:"
    echo
    if [ "$VARIANTS" = 1 ]; then
        echo "| scenario | gateway | bare-webflux | bare-webmvc | nginx | user-1 | user-2 | order-1 | order-2 | eureka |"
        echo "|---|---|---|---|---|---|---|---|---|---|"
    else
        echo "| scenario | gateway | nginx | user-1 | user-2 | order-1 | order-2 | eureka |"
        echo "|---|---|---|---|---|---|---|---|"
    fi
    for s in a b c d e f g; do
        runs "$s" || continue
        printf '| %s' "$s"
        req=$(value "$s" wrk requests)
        for p in $PROCESSES; do
            c=$(value "$s" wrk "cpu:$p")
            printf ' | %s' "$(awk -v c="$c" -v r="$req" 'BEGIN { if (c == "") print "—"; else if (r > 0) printf "%.1f s (%.0f ms/1k)", c, c * 1e6 / r; else printf "%.1f s", c }')"
        done
        echo ' |'
    done
    echo
    echo "Peak RSS (MiB) over all measurements, RSS at the end, start-up (Spring's 'Started ... in'; process running for):"
    echo
    echo "| process | peak RSS | RSS at end | started in s | JVM up s |"
    echo "|---|---|---|---|---|"
    for p in $PROCESSES; do
        peak=$(awk -F'\t' -v k="rss:$p" '$3 == k && $4 + 0 > m { m = $4 + 0 } END { if (m) print m }' "$SUMMARY")
        printf '| %s | %s | %s | %s | %s |\n' "$p" "$(or_dash "$peak")" "$(or_dash "$(value end "$p" rss)")" \
            "$(or_dash "$(value start "$p" started)")" "$(or_dash "$(value start "$p" process)")"
    done
    echo
    echo "System start to routable: ${ROUTABLE_S}s. Raw output: $OUT"
} | raw
