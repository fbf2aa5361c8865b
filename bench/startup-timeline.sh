#!/usr/bin/env bash
# bench/startup-timeline.sh [LOG_DIR] - where the time to "routable" goes, read from the
# timestamps in the logs of one ./run-local.sh start (default .local/logs). Prints, per
# process, seconds since the first process logged "Starting": its "Starting" line,
# Spring's "Started ... in X seconds (process running for Y)", its first successful
# Eureka registration (204), and for the gateway its first 200 on /api/users and
# /api/orders. Run it right after a start, before requests add lines.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
dir=${1:-.local/logs}

ts() {  # FILE PATTERN: epoch seconds (ms precision) of the first line matching PATTERN
    local line
    line=$(grep -m1 -E "$2" "$1" 2>/dev/null | cut -c1-23 || true)
    [ -n "$line" ] && date -u -d "$line" +%s.%3N || true
}

t0=""
for f in "$dir"/*.log; do
    s=$(ts "$f" ' : Starting [A-Za-z]+ v')
    [ -n "$s" ] || continue
    if [ -z "$t0" ] || awk -v a="$s" -v b="$t0" 'BEGIN { exit !(a < b) }'; then t0=$s; fi
done
rel() { [ -n "$1" ] && awk -v a="$1" -v b="$t0" 'BEGIN { printf "%6.1f", a - b }' || printf '%6s' '-'; }

printf '%-16s %8s %8s %14s %10s %10s %10s\n' process starting started 'spring(jvm)' registered 'users 200' 'orders 200'
for f in "$dir"/*.log; do
    name=$(basename "$f" .log)
    spring=$(grep -m1 -oE 'Started [A-Za-z]+ in [0-9.]+ seconds \(process running for [0-9.]+\)' "$f" \
        | sed -E 's/.* in ([0-9.]+) seconds \(process running for ([0-9.]+)\)/\1 (\2)/' || true)
    users=""; orders=""
    if [ "$name" = api-gateway ]; then
        users=$(ts "$f" 'access .*GET /api/users 200')
        orders=$(ts "$f" 'access .*GET /api/orders 200')
    fi
    printf '%-16s %8s %8s %14s %10s %10s %10s\n' "$name" "$(rel "$(ts "$f" ' : Starting [A-Za-z]+ v')")" \
        "$(rel "$(ts "$f" ' : Started [A-Za-z]+ in')")" "${spring:--}" \
        "$(rel "$(ts "$f" 'registration status: 204')")" "$(rel "$users")" "$(rel "$orders")"
done
