#!/usr/bin/env bash
# Overload benchmark: many connections on tiles that must be rendered, while /healthz is probed from the side.
# Reports the status mix (only 200 and 503 are acceptable), socket errors and timeouts, peak RSS of the server and
# /healthz latency (p50, p99, max) under the load.
#
# Usage: bench/load/overload.sh [connections=256] [seconds=20] [kind=4x]   kind: 4x | 1x | npy4x | preview
#   env: OUT (default /tmp/tileserver-overload), APP (a published server folder; default: publish Release to $OUT/app),
#        HEAP_LIMIT (bytes, hex or decimal, passed as DOTNET_GCHeapHardLimit), PORT (default 18190),
#        SERVER_ARGS (extra server arguments, e.g. "--TileServer:Renders:MaxConcurrent=4")
# The server binds 127.0.0.1 with its built-in demo datasets; the run is bounded in time and stops the server.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CONNECTIONS=${1:-256}
SECS=${2:-20}
KIND=${3:-4x}
OUT=${OUT:-/tmp/tileserver-overload}
PORT=${PORT:-18190}
BASE=http://127.0.0.1:$PORT
command -v wrk >/dev/null || { echo "wrk not found: apt-get install wrk"; exit 1; }
mkdir -p "$OUT"
if [ -z "${APP:-}" ]; then
  dotnet publish "$ROOT/src/TileServer.Api/TileServer.Api.csproj" -c Release -o "$OUT/app" --nologo >/dev/null
  APP=$OUT/app
fi

# Every tile of the demo pyramids (Blue Marble RGB z0-3, SST z0-3 colour-mapped): 170 paths, rendered on each request
# (the rendered-tile cache is off unless TILE_CACHE_BYTES is given).
URLS=$OUT/urls-$KIND.txt
: > "$URLS"
for z in 0 1 2 3; do
  n=$((1 << z))
  for x in $(seq 0 $((n - 1))); do
    for y in $(seq 0 $((n - 1))); do
      case "$KIND" in
        4x) echo "/tiles/demo/$z/$x/$y@4x.png"; echo "/tiles/sst/$z/$x/$y@4x.png?colormap_name=thermal&rescale=-2,32" ;;
        1x) echo "/tiles/demo/$z/$x/$y.png"; echo "/tiles/sst/$z/$x/$y.png?colormap_name=thermal&rescale=-2,32" ;;
        npy4x) echo "/tiles/demo/$z/$x/$y@4x.npy"; echo "/tiles/sst/$z/$x/$y@4x.npy" ;;
        preview) echo "/datasets/demo/preview.webp?max_size=$((256 + 64 * (x + y)))"; echo "/datasets/sst/preview.webp?max_size=$((256 + 64 * (x + y)))" ;;
        *) echo "unknown kind $KIND"; exit 1 ;;
      esac
    done
  done
done >> "$URLS"

env ${HEAP_LIMIT:+DOTNET_GCHeapHardLimit=$HEAP_LIMIT} dotnet "$APP/TileServer.Api.dll" --urls "$BASE" \
  --Serilog:MinimumLevel:Default=Warning --Serilog:MinimumLevel:Override:Serilog.AspNetCore.RequestLoggingMiddleware=Error \
  --TileServer:TileCache:MemoryBytes="${TILE_CACHE_BYTES:-0}" ${SERVER_ARGS:-} > "$OUT/server.log" 2>&1 &
PID=$!
trap 'kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do curl -sf -o /dev/null "$BASE/readyz" && break; sleep 0.2; done
curl -sf -o /dev/null "$BASE/readyz" || { echo "server did not start"; cat "$OUT/server.log"; exit 1; }
rss_start=$(awk '/^VmRSS:/ {print $2}' /proc/$PID/status)

# Side probes: RSS every 0.2 s, /healthz every 0.1 s (5 s cap per probe), both for the length of the run.
( end=$(( $(date +%s) + SECS + 2 )); while [ "$(date +%s)" -lt "$end" ] && [ -r /proc/$PID/status ]; do
    awk '/^VmRSS:/ {print $2}' /proc/$PID/status; sleep 0.2; done ) > "$OUT/rss.txt" &
RSS_SAMPLER=$!
( sleep 1; end=$(( $(date +%s) + SECS - 2 )); while [ "$(date +%s)" -lt "$end" ]; do
    curl -s -o /dev/null --max-time 5 -w '%{http_code} %{time_total}\n' "$BASE/healthz" || echo "000 5"; sleep 0.1; done ) > "$OUT/healthz.txt" &
PROBE=$!

export URLFILE=$URLS WRK_THREADS=2 MAX_REQUESTS=10000000
timeout $((SECS + 60)) wrk -t2 -c"$CONNECTIONS" -d"${SECS}s" --timeout 30s -s "$HERE/status.lua" "$BASE" > "$OUT/wrk.txt" 2>&1 || true
wait "$RSS_SAMPLER" "$PROBE" || true
alive=yes; kill -0 "$PID" 2>/dev/null || alive=no

result=$(grep '^RESULT' "$OUT/wrk.txt" | tail -1)
peak=$(sort -n "$OUT/rss.txt" | tail -1)
hwm=$(awk '/^VmHWM:/ {print $2}' /proc/$PID/status 2>/dev/null || echo 0)
health=$(awk '$1 != "200" { bad++ } END { printf "probes=%d not200=%d ", NR, bad + 0 }' "$OUT/healthz.txt"
  awk '{ print $2 * 1000 }' "$OUT/healthz.txt" | sort -n | awk '{ t[NR] = $1 } END {
    p99 = int(NR * 0.99); if (p99 < 1) p99 = 1; printf "p50_ms=%.1f p99_ms=%.1f max_ms=%.1f", t[int(NR * 0.5) + 1], t[p99], t[NR] }')
echo "== overload: $KIND tiles, $CONNECTIONS connections, ${SECS}s, heap limit ${HEAP_LIMIT:-none}, $(nproc) CPUs, $(date -u +%FT%TZ)"
echo "wrk:     ${result#RESULT }"
echo "rss:     start $((rss_start / 1024)) MiB, peak $((peak / 1024)) MiB, VmHWM $((hwm / 1024)) MiB"
echo "healthz: $health"
echo "server:  alive=$alive, 500s in its log: $(grep -c 'responded 500' "$OUT/server.log" || true)"
