#!/usr/bin/env bash
# Profiles the API gateway under load with JDK Flight Recorder: starts the local system
# (./run-local.sh, rate limits off), warms up, records the gateway's JVM while wrk sends
# GET /api/users/{id} over TLS, then prints where the gateway's CPU samples fall: the
# hottest frames (self time), and each sample charged to the component that was working
# (TLS, a gateway filter, observation, logging, Netty, a Spring package: the first frame
# from the top that belongs to one). The recording is kept for JDK Mission Control (jmc)
# or `jfr print`. WARMUP=240 (seconds) matches bench/run.sh's system warm-up.
#
#   bench/profile-gateway.sh [seconds] [connections]
#   bench/profile-gateway.sh --analyse bench/results/profile-gateway-<stamp>.jfr   (tables again)
#
# Loopback only. On a machine where others also run the launcher (fixed ports), serialize:
#   flock /tmp/cloudref-run-local.lock bench/profile-gateway.sh
#
# Defaults: 30 s recorded, 32 connections (after a 20 s warm-up). Output:
# bench/results/profile-gateway-<UTC timestamp>.jfr and .txt.
set -euo pipefail
cd "$(dirname "$0")/.."

# Execution samples: top frame (self time), and each sample charged to the component that
# was working: the first frame from the top that belongs to one (TLS, a gateway filter,
# observation, LoadBalancer, ...), passing over the JDK, Reactor core and Netty buffers,
# which every component calls.
analyse() {  # RECORDING.jfr -> the two tables on standard output
    local samples
    samples=$(mktemp)
    jfr print --events jdk.ExecutionSample --stack-depth 64 "$1" > "$samples"
    echo
    echo "## hottest frames (self), share of $(grep -c 'jdk.ExecutionSample' "$samples") samples"
    awk '/stackTrace = \[/ { getline; sub(/^[ \t]+/, ""); sub(/line:.*/, ""); print }' "$samples" \
        | sort | uniq -c | sort -rn | awk 'NR <= 40'
    echo
    echo "## samples by component (the first frame from the top that belongs to one, in 64 frames)"
    awk '
        function component(frame,    cls, n, parts, i) {
            if (frame ~ /^(io\.netty\.handler\.ssl|io\.netty\.internal\.tcnative|sun\.security|javax\.crypto|com\.sun\.crypto)\./) return "TLS (Netty SSL handler, BoringSSL, JDK crypto)"
            if (frame ~ /^dev\.cloudref\./ || frame ~ /^org\.springframework\.cloud\.gateway\.filter\./) {
                cls = frame; sub(/\.[^.]*\(.*$/, "", cls); sub(/\$.*$/, "", cls)
                n = split(cls, parts, "."); return (frame ~ /^dev/ ? "cloudref " : "SCG ") parts[n]
            }
            if (frame ~ /^(io\.micrometer\.(observation|tracing)|brave)\./) return "observation and tracing (Micrometer, Brave)"
            if (frame ~ /^io\.micrometer\./) return "metrics (Micrometer)"
            if (frame ~ /^org\.springframework\.cloud\.gateway\./) return "SCG routing (route lookup, predicates, handler)"
            if (frame ~ /^org\.springframework\.cloud\.(loadbalancer|client)\./) return "Spring Cloud LoadBalancer"
            if (frame ~ /^(ch\.qos\.logback|org\.slf4j)\./) return "logging"
            if (frame ~ /^reactor\.netty\.http\.client\./) return "Reactor Netty HTTP client"
            if (frame ~ /^reactor\.netty\.(http\.server|http\.HttpOperations)/) return "Reactor Netty HTTP server"
            if (frame ~ /^reactor\.netty\./) return "Reactor Netty (pool, channel operations)"
            if (frame ~ /^io\.netty\.handler\.codec\.http2?\./) return "Netty HTTP/1.1 and HTTP/2 codecs"
            if (frame ~ /^(io\.netty\.channel|sun\.nio|java\.nio|io\.netty\.util\.concurrent)\./) return "Netty I/O and event loop"
            if (frame ~ /^org\.springframework\./) {
                n = split(frame, parts, "."); cls = parts[3]
                for (i = 4; i < n - 1 && i <= 5; i++) if (parts[i] ~ /^[a-z]/) cls = cls "." parts[i]
                return "Spring " cls
            }
            return ""
        }
        /stackTrace = \[/ { inside = 1; owner = ""; next }
        inside && /^[ \t]*\]/ { inside = 0; total++; counts[owner == "" ? "JDK, Reactor core, Netty buffers only" : owner]++; next }
        inside && owner == "" && /^[ \t]*[a-zA-Z]/ { sub(/^[ \t]+/, ""); owner = component($0) }
        END { for (c in counts) printf "%6d  %5.1f%%  %s\n", counts[c], 100 * counts[c] / total, c }' "$samples" \
        | sort -rn
    rm -f "$samples"
}

if [ "${1:-}" = --analyse ]; then
    [ -f "${2:-}" ] || { echo "usage: bench/profile-gateway.sh --analyse RECORDING.jfr" >&2; exit 2; }
    analyse "$2"
    exit 0
fi

SECONDS_RECORDED=${1:-30}
CONNECTIONS=${2:-32}
WARMUP=${WARMUP:-20}
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=bench/results/profile-gateway-$STAMP
mkdir -p bench/results .local
LAUNCH_LOG=.local/profile-run-local.log

for tool in wrk jcmd jfr curl; do
    command -v "$tool" >/dev/null 2>&1 || {
        echo "profile-gateway: $tool is missing (wrk: apt-get install wrk; jcmd/jfr: a JDK's bin/ on PATH)" >&2
        exit 1
    }
done

GATEWAY_RATE_LIMIT_ENABLED=false ./run-local.sh --no-build > "$LAUNCH_LOG" 2>&1 &
LAUNCHER=$!
stop() {
    kill -TERM "$LAUNCHER" 2>/dev/null || true
    wait "$LAUNCHER" 2>/dev/null || true
}
trap stop EXIT INT TERM

for _ in $(seq 1 400); do
    grep -q 'cloudref is up' "$LAUNCH_LOG" && break
    kill -0 "$LAUNCHER" 2>/dev/null || { tail -n 30 "$LAUNCH_LOG" >&2; exit 1; }
    sleep 1
done
grep -q 'cloudref is up' "$LAUNCH_LOG" || { echo "profile-gateway: the system did not start" >&2; exit 1; }

KEY=$(cat .local/api-key)
C=(curl -sS --cacert .local/certs/gateway.crt -H "X-API-Key: $KEY")
USER_ID=$("${C[@]}" -H 'Content-Type: application/json' \
    -d "{\"name\":\"Bench\",\"email\":\"bench-$STAMP@example.com\"}" https://localhost:8443/api/users \
    | sed -n 's/.*"id":"\([^"]*\)".*/\1/p')
[ -n "$USER_ID" ] || { echo "profile-gateway: could not create a user" >&2; exit 1; }
URL="https://localhost:8443/api/users/$USER_ID"
GATEWAY_PID=$(pgrep -f 'cloudref.local=api-gateway')

echo "warm-up: wrk -t2 -c$CONNECTIONS -d${WARMUP}s $URL"
wrk -t2 -c"$CONNECTIONS" -d"${WARMUP}s" -H "X-API-Key: $KEY" "$URL" > /dev/null
jcmd "$GATEWAY_PID" JFR.start name=bench settings=profile duration="${SECONDS_RECORDED}s" \
    filename="$PWD/$OUT.jfr" > /dev/null
{
    echo "# gateway profile, $STAMP, commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores"
    echo "# load: wrk -t2 -c$CONNECTIONS -d${SECONDS_RECORDED}s GET /api/users/{id} (TLS, rate limits off)"
    echo "# uptime: $(uptime)"
    wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_RECORDED}s" --latency -H "X-API-Key: $KEY" "$URL"
} > "$OUT.txt"
sleep 3   # the recording ends with the duration; let it be written

analyse "$OUT.jfr" >> "$OUT.txt"
cat "$OUT.txt"
echo "recording: $OUT.jfr (jmc, or: jfr print --events jdk.ExecutionSample $OUT.jfr)"
