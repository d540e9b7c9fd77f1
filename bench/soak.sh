#!/usr/bin/env bash
# Soak: a mixed load (tiles at 1x/@2x/@4x, WMTS KVP and REST, point values, metadata, conditional requests answered
# 304, bad requests) for a set time, one wrk run per minute, recording per minute: requests/s, p99, the status mix,
# RSS, the open handle count and the bytes held by the chunk and rendered-tile caches. Memory must plateau: RSS at the
# end within 10 % of RSS at 5 minutes, with the chunk cache full. The caches are sized below what the mixed load
# touches (the decoded demo chunks the load touches are about 17 MiB, its distinct tiles about 9 MiB) so both evict all the time, as they do in production.
#
# Usage: bench/soak.sh [minutes=30] [connections=32]
#   env: OUT (default /tmp/tileserver-soak), APP (published server folder; default: publish Release), PORT (18191),
#        CHUNK_CACHE_BYTES (8388608), TILE_CACHE_BYTES (4194304), SERVER_ARGS (more server arguments)
# Writes $OUT/soak.csv (minute,rps,p99_ms,s200,s304,s4xx,s503,s5xx,socket_errors,rss_kb,handles,chunk_cache_bytes,
# tile_cache_bytes) and a verdict.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
MINUTES=${1:-30}
CONNECTIONS=${2:-32}
OUT=${OUT:-/tmp/tileserver-soak}
PORT=${PORT:-18191}
BASE=http://127.0.0.1:$PORT
command -v wrk >/dev/null || { echo "wrk not found: apt-get install wrk"; exit 1; }
mkdir -p "$OUT"
if [ -z "${APP:-}" ]; then
  dotnet publish "$ROOT/src/TileServer.Api/TileServer.Api.csproj" -c Release -o "$OUT/app" --nologo >/dev/null
  APP=$OUT/app
fi

URLS=$OUT/urls.txt
{
  for z in 0 1 2 3; do n=$((1 << z)); for x in $(seq 0 $((n - 1))); do for y in $(seq 0 $((n - 1))); do
    echo "/tiles/demo/$z/$x/$y.png"
    echo "/tiles/demo/$z/$x/$y@2x.webp"
    echo "/tiles/sst/$z/$x/$y@4x.png?colormap_name=thermal&rescale=-2,32"
    echo "/tiles/landsat/$z/$x/$y.png"
    echo "/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=sst.sst&STYLE=default&FORMAT=image/png&TILEMATRIXSET=WebMercatorQuad&TILEMATRIX=$z&TILEROW=$y&TILECOL=$x"
    echo "/datasets/sst/point?lon=$((x * 40 - 170))&lat=$((y * 20 - 60))"
  done; done; done
  for _ in 1 2 3 4; do
    echo "/datasets"; echo "/datasets/demo"; echo "/tiles/demo/tilejson.json"; echo "/wmts/1.0.0/WMTSCapabilities.xml"
    echo "/tiles/demo/0/0/0.png?tilesize=9"; echo "/tiles/nope/0/0/0.png"; echo "/tiles/demo/0/0/0.png?quality=1&quality=2"
  done
} | shuf --random-source=<(yes) > "$URLS"

dotnet "$APP/TileServer.Api.dll" --urls "$BASE" --Serilog:MinimumLevel:Default=Warning \
  --Serilog:MinimumLevel:Override:Serilog.AspNetCore.RequestLoggingMiddleware=Error \
  --TileServer:Cache:ChunkCacheBytes="${CHUNK_CACHE_BYTES:-8388608}" \
  --TileServer:TileCache:MemoryBytes="${TILE_CACHE_BYTES:-4194304}" ${SERVER_ARGS:-} > "$OUT/server.log" 2>&1 &
PID=$!
trap 'kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do curl -sf -o /dev/null "$BASE/readyz" && break; sleep 0.2; done
curl -sf -o /dev/null "$BASE/readyz" || { echo "server did not start"; cat "$OUT/server.log"; exit 1; }

echo "minute,rps,p99_ms,s200,s304,s4xx,s503,s5xx,socket_errors,rss_kb,handles,chunk_cache_bytes,tile_cache_bytes" > "$OUT/soak.csv"
# One gauge's value from the Prometheus exposition (summed over its series; 0 when absent).
gauge() { curl -s --max-time 5 "$BASE/metrics" | awk -v n="$1" '$1 == n || index($1, n "{") == 1 { s += $2 } END { printf "%d", s }'; }
export URLFILE=$URLS WRK_THREADS=2 MAX_REQUESTS=100000000 CONDITIONAL_EVERY=10
for minute in $(seq 1 "$MINUTES"); do
  timeout 120 wrk -t2 -c"$CONNECTIONS" -d60s --timeout 30s -s "$HERE/load/status.lua" "$BASE" > "$OUT/wrk.txt" 2>&1 || true
  r=$(grep '^RESULT' "$OUT/wrk.txt" | tail -1)
  v() { echo "$r" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
  rss=$(awk '/^VmRSS:/ {print $2}' /proc/$PID/status)
  handles=$(ls /proc/$PID/fd | wc -l)
  line="$minute,$(v rps),$(v p99_ms),$(v s200),$(v s304),$(v s4xx),$(v s503),$(v s5xx),$(v socket_errors),$rss,$handles,$(gauge tileserver_chunk_cache_size_bytes),$(gauge tileserver_tile_cache_size_bytes)"
  echo "$line" | tee -a "$OUT/soak.csv"
done

rss_at() { awk -F, -v m="$1" '$1 == m { print $10 }' "$OUT/soak.csv"; }
five=$(rss_at 5); last=$(rss_at "$MINUTES")
if [ -n "$five" ] && [ -n "$last" ]; then
  growth=$(awk -v a="$five" -v b="$last" 'BEGIN { printf "%.1f", (b - a) * 100 / a }')
  echo "RSS at 5 min $((five / 1024)) MiB, at $MINUTES min $((last / 1024)) MiB: ${growth} %"
  awk -v g="$growth" 'BEGIN { exit !(g <= 10 && g >= -10) }' && echo "PASS: RSS plateaued (within 10 %)" || { echo "FAIL: RSS grew by ${growth} %"; exit 1; }
else
  echo "(shorter than 5 minutes: no plateau verdict)"
fi
