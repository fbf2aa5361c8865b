#!/usr/bin/env bash
# Profiles the API gateway under load with JDK Flight Recorder: starts the local system
# (./run-local.sh, rate limits off), warms up, records the gateway's JVM while wrk sends
# GET /api/users/{id} over TLS, then prints where the gateway's CPU samples fall: the
# hottest frames (self time) and the hottest packages among the top ten frames of each
# sample. The recording is kept for JDK Mission Control (jmc) or `jfr print`.
#
#   bench/profile-gateway.sh [seconds] [connections]
#
# Loopback only. On a machine where others also run the launcher (fixed ports), serialize:
#   flock /tmp/cloudref-run-local.lock bench/profile-gateway.sh
#
# Defaults: 30 s recorded, 32 connections (after a 20 s warm-up). Output:
# bench/results/profile-gateway-<UTC timestamp>.jfr and .txt.
set -euo pipefail
cd "$(dirname "$0")/.."

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

# Execution samples: top frame (self time) and the packages among each sample's top frames.
jfr print --events jdk.ExecutionSample --stack-depth 10 "$OUT.jfr" > "$OUT.samples"
{
    echo
    echo "## hottest frames (self), share of $(grep -c 'jdk.ExecutionSample' "$OUT.samples") samples"
    awk '/stackTrace = \[/ { getline; sub(/^[ \t]+/, ""); sub(/line:.*/, ""); print }' "$OUT.samples" \
        | sort | uniq -c | sort -rn | awk 'NR <= 40'
    echo
    echo "## packages in the top 10 frames (each package once per sample)"
    awk '/stackTrace = \[/ { inside = 1; delete seen; next }
         inside && /^[ \t]*\]/ { inside = 0; next }
         inside && /^[ \t]*[a-zA-Z]/ { sub(/^[ \t]+/, ""); n = split($1, parts, "."); pkg = parts[1];
                  for (i = 2; i < n - 1 && i <= 4; i++) pkg = pkg "." parts[i];
                  if (!(pkg in seen)) { seen[pkg] = 1; print pkg } }' "$OUT.samples" \
        | sort | uniq -c | sort -rn | awk 'NR <= 30'
} >> "$OUT.txt"
rm -f "$OUT.samples"
cat "$OUT.txt"
echo "recording: $OUT.jfr (jmc, or: jfr print --events jdk.ExecutionSample $OUT.jfr)"
