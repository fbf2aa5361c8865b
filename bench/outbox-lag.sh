#!/usr/bin/env bash
# Outbox lag under steady load: how long an OrderPlaced event waits between its commit
# (with the order) and the broker's confirm, read from order-service's
# cloudref_outbox_lag_seconds histogram (docs/events.md). Also checks that every order
# placed reached user-service's statistics once.
#
#   bench/outbox-lag.sh [ORDERS] [CONCURRENCY]      (defaults 1000 and 8)
#
# Needs a running system: ./run-local.sh (or ./run-local.sh --postgres) in another shell,
# and curl and python3. Requests go to https://localhost:8443 only.
set -euo pipefail
cd "$(dirname "$0")/.."

ORDERS=${1:-1000}
CONCURRENCY=${2:-8}
GW=https://localhost:8443
KEY=$(cat .local/api-key)
CURL=(curl -s --cacert .local/certs/gateway.crt -H "X-API-Key: $KEY")
OUT_DIR=bench/results
OUT="$OUT_DIR/outbox-lag-$(date -u +%Y%m%dT%H%M%SZ).txt"
mkdir -p "$OUT_DIR"

# The order-service instances' management ports, from the launcher's state file
# (lines "instance NAME PID PORT MANAGEMENT_PORT ...").
PORTS=$(awk '$1 == "instance" && $2 ~ /^order-service/ {print $5}' .local/launcher.state 2>/dev/null | tr '\n' ' ')
[ -n "$PORTS" ] || { echo "no order-service in .local/launcher.state: is ./run-local.sh running?" >&2; exit 1; }

histogram() {  # prints "le count" lines summed over the instances
  for port in $PORTS; do
    curl -s "localhost:$port/actuator/prometheus" | grep '^cloudref_outbox_lag_seconds_bucket' || true
  done | sed -E 's/.*le="([^"]+)".* ([0-9.eE+-]+)$/\1 \2/' \
    | awk '{sum[$1] += $2} END {for (le in sum) print le, sum[le]}'
}

USER_ID=$("${CURL[@]}" -H 'Content-Type: application/json' \
  -d "{\"name\":\"Outbox Lag\",\"email\":\"lag-$(date +%s%N)@example.com\"}" "$GW/api/users" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
histogram > .local/outbox-lag-before.txt
START=$(date +%s.%N)
STATUSES=$(seq "$ORDERS" | xargs -P "$CONCURRENCY" -I{} "${CURL[@]}" -o /dev/null -w '%{http_code}\n' \
  -H 'Content-Type: application/json' -d "{\"userId\":\"$USER_ID\",\"sku\":\"LAG-{}\",\"quantity\":1}" \
  "$GW/api/orders" | sort | uniq -c | tr '\n' ' ')
END=$(date +%s.%N)
sleep 3
histogram > .local/outbox-lag-after.txt
COUNTED=$("${CURL[@]}" "$GW/api/users/$USER_ID/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["orderCount"])')

{
  echo "outbox-lag $(date -u +%Y-%m-%dT%H:%M:%SZ) commit $(git rev-parse --short HEAD) $(nproc) cores"
  echo "orders $ORDERS, concurrency $CONCURRENCY, statuses: $STATUSES"
  python3 - "$START" "$END" "$COUNTED" <<'PY'
import sys
start, end, counted = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
def load(name):
    out = {}
    for line in open(name):
        le, count = line.split()
        out[float("inf") if le == "+Inf" else float(le)] = float(count)
    return out
before, after = load(".local/outbox-lag-before.txt"), load(".local/outbox-lag-after.txt")
buckets = sorted((le, after[le] - before.get(le, 0.0)) for le in after)
total = buckets[-1][1] if buckets else 0
def quantile(q):
    for le, cumulative in buckets:
        if cumulative >= q * total:
            return le
    return float("nan")
print(f"events published {total:.0f} in {end - start:.1f} s ({total / (end - start):.0f}/s); "
      f"user-service counted {counted}")
for q in (0.5, 0.9, 0.99):
    print(f"lag p{int(q * 100)} <= {quantile(q) * 1000:.1f} ms (histogram bucket bound)")
PY
} | tee "$OUT"
