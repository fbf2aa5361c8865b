#!/usr/bin/env bash
# Gateway throughput with tracing off vs on (100% sampling), measured in one run so the
# variants share the machine's state. Starts the system with ./run-local.sh for each
# variant, warms up, then runs wrk against GET /api/users/{id} through the gateway (TLS).
#
#   bench/tracing-overhead.sh [DURATION_SECONDS] [CONNECTIONS]
#
# Needs wrk (Debian: apt-get install wrk) and built jars (./mvnw package -DskipTests).
# Rate limits are switched off for the run (they would cap the throughput). Loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${1:-30}
CONNECTIONS=${2:-32}
OUT_DIR=bench/results
OUT="$OUT_DIR/tracing-overhead-$(date -u +%Y%m%dT%H%M%SZ).txt"
mkdir -p "$OUT_DIR"
command -v wrk >/dev/null || { echo "wrk is required (apt-get install wrk)" >&2; exit 1; }

GW=https://localhost:8443
LAUNCHER_PID=

stop_system() {
  if [ -n "$LAUNCHER_PID" ] && kill -0 "$LAUNCHER_PID" 2>/dev/null; then
    kill -TERM "$LAUNCHER_PID"
    wait "$LAUNCHER_PID" 2>/dev/null || true
  fi
  LAUNCHER_PID=
}
trap stop_system EXIT

run_variant() {  # NAME SAMPLING [--zipkin]
  local name=$1 sampling=$2 log=".local/bench-launcher.log"
  shift 2
  echo "== $name (sampling $sampling $*)" | tee -a "$OUT"
  GATEWAY_RATE_LIMIT_ENABLED=false TRACING_SAMPLING_PROBABILITY=$sampling \
    ./run-local.sh --no-build "$@" > "$log" 2>&1 &
  LAUNCHER_PID=$!
  for _ in $(seq 1 240); do
    grep -q 'Press Ctrl-C' "$log" && break
    kill -0 "$LAUNCHER_PID" 2>/dev/null || { tail -20 "$log"; exit 1; }
    sleep 1
  done
  local key id
  key=$(cat .local/api-key)
  id=$(curl -s --cacert .local/certs/gateway.crt -H "X-API-Key: $key" -H 'Content-Type: application/json' \
        -d "{\"name\":\"Bench\",\"email\":\"bench-$RANDOM$RANDOM@example.com\"}" "$GW/api/users" \
        | grep -o '"id":"[^"]*"' | cut -d'"' -f4)
  wrk -t2 -c"$CONNECTIONS" -d10s -H "X-API-Key: $key" "$GW/api/users/$id" > /dev/null   # warm-up
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "X-API-Key: $key" "$GW/api/users/$id" | tee -a "$OUT"
  stop_system
}

{
  echo "# Tracing overhead at the gateway: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "# commit $(git rev-parse --short HEAD), $(nproc) cores, $(java -version 2>&1 | head -n 1)"
  echo "# wrk -t2 -c$CONNECTIONS -d${DURATION}s GET /api/users/{id} over TLS, 2 instances per service"
} | tee "$OUT"
run_variant "tracing off" 0.0
run_variant "tracing on, 100%, no export" 1.0
run_variant "tracing on, 100%, exported to Zipkin" 1.0 --zipkin
echo "Results: $OUT"
