#!/usr/bin/env bash
# bench/slow-stream-flood.sh - what a slow-POST flood over HTTP/2 costs the gateway
# (docs/benchmarks.md, "Slow-stream flood").
#
# Starts the local system (./run-local.sh --no-build, H2) with a second API key, "flood",
# whose token bucket is too large to matter, so that what bounds the flood is the
# gateway's limits on what a client holds open; then runs bench/SlowStreamFlood.java
# with that key: --connections TLS
# connections, each asking for --streams POSTs to --path that announce a 64 KiB body,
# send --sent bytes of it and never finish; all held open for --hold seconds (below the
# gateway's 30 s request-body timeout). Every second it records the gateway's Netty
# allocator memory (netty_allocator_memory_used_bytes, direct and heap), its JVM heap in
# use and its RSS; it prints the baseline and the peak of each.
#
# Meanwhile "another client" (the demo key) sends 20 GETs one at a time and the script
# records their statuses.
#
# --max-concurrent-streams N starts the gateway with GATEWAY_LIMITS_MAX_CONCURRENT_STREAMS=N
# (default: the gateway's own default, 100) to compare limits. --flood-max-in-flight N
# gives the flood key its own in-flight cap (default: the gateway's default, 32);
# 100000 reproduces the gateway before that cap existed.
# Raw output: bench/results/slow-stream-flood-<UTC timestamp>.txt. Loopback only;
# serialize with other users of run-local.sh's fixed ports:
#   flock /tmp/cloudref-run-local.lock bench/slow-stream-flood.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd -P)

CONNECTIONS=20
STREAMS=500
SENT=32768
HOLD=15
FLOOD_PATH=/api/orders
MAX_STREAMS=""
FLOOD_MAX_IN_FLIGHT=""
usage() {
    cat <<EOF
Usage: bench/slow-stream-flood.sh [--connections N] [--streams N] [--sent BYTES] [--hold S]
                                  [--path P] [--max-concurrent-streams N]
                                  [--flood-max-in-flight N]

  --connections N              HTTP/2 connections (default $CONNECTIONS)
  --streams N                  POSTs asked per connection (default $STREAMS)
  --sent BYTES                 body bytes sent per stream, of 65536 announced (default $SENT)
  --hold S                     seconds everything is held open (default $HOLD; keep < 30)
  --path P                     request path (default $FLOOD_PATH)
  --max-concurrent-streams N   the gateway's stream limit for this run (default: its own, 100)
  --flood-max-in-flight N      the flood key's in-flight cap (default: the gateway's, 32)
EOF
}
while [ $# -gt 0 ]; do
    case "$1" in
        --connections) CONNECTIONS=$2; shift 2 ;;
        --streams) STREAMS=$2; shift 2 ;;
        --sent) SENT=$2; shift 2 ;;
        --hold) HOLD=$2; shift 2 ;;
        --path) FLOOD_PATH=$2; shift 2 ;;
        --max-concurrent-streams) MAX_STREAMS=$2; shift 2 ;;
        --flood-max-in-flight) FLOOD_MAX_IN_FLIGHT=$2; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; exit 2 ;;
    esac
done

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
WORK="$ROOT/bench/results/.work-flood-$STAMP"
mkdir -p "$WORK"
OUT="$ROOT/bench/results/slow-stream-flood-$STAMP.txt"
note() { printf '[flood %s] %s\n' "$(date -u +%H:%M:%S)" "$*" | tee -a "$OUT" >&2; }
die() { note "error: $*"; exit 1; }

LAUNCHER_PID=""
cleanup() {
    set +e
    trap '' INT TERM
    if [ -n "$LAUNCHER_PID" ] && kill -0 "$LAUNCHER_PID" 2>/dev/null; then
        note "stopping the system"
        kill -TERM "$LAUNCHER_PID"; wait "$LAUNCHER_PID" 2>/dev/null
    fi
    rm -rf "$WORK"
    note "raw output: ${OUT#"$ROOT"/}"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

{
    echo "# cloudref slow-stream flood, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "# command: bench/slow-stream-flood.sh --connections $CONNECTIONS --streams $STREAMS --sent $SENT --hold $HOLD --path $FLOOD_PATH${MAX_STREAMS:+ --max-concurrent-streams $MAX_STREAMS}${FLOOD_MAX_IN_FLIGHT:+ --flood-max-in-flight $FLOOD_MAX_IN_FLIGHT}"
    echo "# commit: $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)')"
    echo "# machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} >> "$OUT"

LAUNCH_LOG="$WORK/run-local.log"
note "starting the system (./run-local.sh --no-build)"
if [ -n "$MAX_STREAMS" ]; then export GATEWAY_LIMITS_MAX_CONCURRENT_STREAMS=$MAX_STREAMS; fi
# Two keys: the demo key (the launcher's, for "another client") and "flood". Both are
# handed to the gateway in SPRING_APPLICATION_JSON, which Spring Boot ranks above the
# launcher's GATEWAY_API_KEYS; the flood key's bucket holds a million requests.
sha256() { printf %s "$1" | sha256sum | cut -d' ' -f1; }
DEMO_KEY=${DEMO_API_KEY:-$(cat .local/api-key 2>/dev/null || openssl rand -hex 24)}
FLOOD_KEY=$(openssl rand -hex 24)
FLOOD_POLICY='"capacity":1000000,"refill-tokens":1000000,"refill-period":"1s"'
if [ -n "$FLOOD_MAX_IN_FLIGHT" ]; then FLOOD_POLICY="$FLOOD_POLICY,\"max-in-flight\":$FLOOD_MAX_IN_FLIGHT"; fi
export DEMO_API_KEY=$DEMO_KEY
export SPRING_APPLICATION_JSON="{\"gateway\":{\"api-keys\":\"demo:$(sha256 "$DEMO_KEY"),flood:$(sha256 "$FLOOD_KEY")\",\"rate-limit\":{\"keys\":{\"flood\":{$FLOOD_POLICY}}}}}"
STARTUP_TIMEOUT=${STARTUP_TIMEOUT:-420} ./run-local.sh --no-build > "$LAUNCH_LOG" 2>&1 &
LAUNCHER_PID=$!
until grep -qs "Press Ctrl-C" "$LAUNCH_LOG"; do
    kill -0 "$LAUNCHER_PID" 2>/dev/null || { tail -n 30 "$LAUNCH_LOG" >&2; die "run-local.sh exited"; }
    sleep 1
done
GATEWAY_PID=$(pgrep -P "$LAUNCHER_PID" -f -- "-Dcloudref.local=api-gateway " | head -n 1 || true)
[ -n "$GATEWAY_PID" ] || die "no gateway process"

# One sample: netty direct, netty heap, JVM heap used (bytes), RSS (KiB).
sample() {
    curl -s --max-time 2 http://127.0.0.1:9090/actuator/prometheus | awk -v rss="$(awk '/VmRSS/ {print $2}' "/proc/$GATEWAY_PID/status")" '
        /^netty_allocator_memory_used\{/ && /memory_type="direct"/ { direct += $NF }
        /^netty_allocator_memory_used\{/ && /memory_type="heap"/ { nheap += $NF }
        /^jvm_memory_used_bytes/ && /area="heap"/ { heap += $NF }
        END { printf "%d %d %d %d\n", direct, nheap, heap, rss }'
}
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }

read -r base_direct base_nheap base_heap base_rss < <(sample)
curl -s --max-time 2 http://127.0.0.1:9090/actuator/prometheus | grep '^netty_allocator' | sed 's/^/# /' >> "$OUT"
note "baseline: netty direct $(mib "$base_direct"), netty heap $(mib "$base_nheap"), JVM heap used $(mib "$base_heap"), RSS $((base_rss / 1024)) MiB"

FLOOD_START=$(date -u +%Y-%m-%dT%H:%M:%S)
java bench/SlowStreamFlood.java localhost 8443 .local/certs/gateway.crt "$FLOOD_KEY" "$FLOOD_PATH" \
    "$CONNECTIONS" "$STREAMS" 65536 "$SENT:$HOLD" > "$WORK/flood.log" 2>&1 &
FLOOD_PID=$!
peak_direct=0; peak_nheap=0; peak_heap=0; peak_rss=0
# Another client during the flood: 20 GETs, one at a time, once the flood holds its streams.
(
    until grep -qs '^opened' "$WORK/flood.log"; do sleep 0.5; done
    for _ in $(seq 20); do
        curl -s -o /dev/null -w '%{http_code}\n' --max-time 10 --cacert .local/certs/gateway.crt \
            -H "X-API-Key: $DEMO_KEY" "https://localhost:8443/api/users?size=1"
    done > "$WORK/other-client.txt"
) &
OTHER_PID=$!
while kill -0 "$FLOOD_PID" 2>/dev/null; do
    read -r d n h r < <(sample)
    [ "$d" -gt "$peak_direct" ] && peak_direct=$d
    [ "$n" -gt "$peak_nheap" ] && peak_nheap=$n
    [ "$h" -gt "$peak_heap" ] && peak_heap=$h
    [ "$r" -gt "$peak_rss" ] && peak_rss=$r
    echo "sample: netty direct $d, netty heap $n, JVM heap $h, RSS KiB $r" >> "$OUT"
    sleep 1
done
wait "$OTHER_PID" || true
note "another client's 20 GETs during the flood: $(sort "$WORK/other-client.txt" | uniq -c | awk '{ printf "%s x%d  ", $2, $1 }')"
wait "$FLOOD_PID" || die "the flood client failed: $(tail -n 5 "$WORK/flood.log")"
sed 's/^/flood: /' "$WORK/flood.log" >> "$OUT"
grep -E '^(opened|summary)' "$WORK/flood.log" | while read -r line; do note "$line"; done
note "peak: netty direct $(mib "$peak_direct"), netty heap $(mib "$peak_nheap"), JVM heap used $(mib "$peak_heap"), RSS $((peak_rss / 1024)) MiB"
sleep 3
read -r d n h r < <(sample)
note "3 s after the flood: netty direct $(mib "$d"), JVM heap used $(mib "$h"), RSS $((r / 1024)) MiB"
# Still serving: one request through the gateway after the flood.
code=$(curl -s -o /dev/null -w '%{http_code}' --cacert .local/certs/gateway.crt -H "X-API-Key: $DEMO_KEY" \
    "https://localhost:8443/api/users?size=1")
note "GET /api/users?size=1 after the flood: $code"
# The gateway's answers to the flood, from its access log (one line per request).
answers=$(grep -h " dev.cloudref.gateway.access .*: POST $FLOOD_PATH " .local/logs/api-gateway*.log 2>/dev/null \
    | awk -v since="$FLOOD_START" '$1 >= since { n[$(NF-2)]++ } END { for (s in n) printf "%s x%d  ", s, n[s] }')
note "gateway's answers to the flood by status (access log): ${answers:-none logged}"
