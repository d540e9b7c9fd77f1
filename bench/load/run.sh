#!/usr/bin/env bash
# The tile-server load benchmark. Starts our server (Release) on the repository's sample data and the GDAL-warp-per-tile
# baseline (bench/load/gdal_tile_server.py, the TiTiler/rio-tiler architecture) on the same pixels, and drives both
# with wrk (bench/load/load.sh, compare.sh). Every server binds 127.0.0.1; every run is bounded.
#
# Usage: bench/load/run.sh [compare|compare-field|latency|cold|rss|wms|all]     (default all)
#   env: SECONDS_PER_RUN (default 20), ROUNDS (default 2), N_URLS (default 3000), OUT (default /tmp/tileserver-bench),
#        TILE_CACHE_BYTES (default 0: the rendered-tile cache is off, so every request renders, as the baseline's do)
# Needs: wrk, gdal-bin, python3-gdal (apt-get install wrk gdal-bin python3-gdal; tests/run.sh installs the last two).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
OUT=${OUT:-/tmp/tileserver-bench}
SECS=${SECONDS_PER_RUN:-20}
ROUNDS=${ROUNDS:-2}
N=${N_URLS:-3000}
WHAT=${1:-all}
OURS_PORT=18180; BASE_PORT=18181
mkdir -p "$OUT"
for tool in wrk gdal_translate curl; do
  command -v "$tool" >/dev/null || { echo "$tool not found: apt-get install wrk gdal-bin python3-gdal curl"; exit 1; }
done

echo "== machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%FT%TZ)"
dotnet publish "$ROOT/src/TileServer.Api/TileServer.Api.csproj" -c Release -o "$OUT/app" --nologo >/dev/null

# The baseline reads the same Blue Marble pixels as a GeoTIFF: the JPEG both were made from, georeferenced the same way.
if [ ! -f "$OUT/blue-marble.tif" ]; then
  gdal_translate -q -of GTiff -a_srs EPSG:4326 -a_ullr -180 90 180 -90 -co TILED=YES "$ROOT/bench/data/earth.jpg" "$OUT/blue-marble.tif"
fi

# The scientific workload: a float32 global field (3600 x 1800), rescaled and colour-mapped by both servers, written
# once as Zarr for ours and as a GeoTIFF for the baseline by bench/load/make_field.py.
if [ ! -f "$OUT/field/field.tif" ] || [ ! -d "$OUT/field/field.zarr" ]; then
  /usr/bin/python3 "$HERE/make_field.py" "$OUT/field" > /dev/null
fi

start_ours() {
  (cd "$OUT/app" && exec dotnet TileServer.Api.dll --urls "http://127.0.0.1:$OURS_PORT" \
      --Serilog:MinimumLevel:Default=Warning \
      --TileServer:TileCache:MemoryBytes="${TILE_CACHE_BYTES:-0}" \
      --TileServer:Datasets:bluemarble:Path="$ROOT/tests/data/real/blue-marble/blue-marble.zarr" \
      --TileServer:Datasets:pyramid:Path="$ROOT/tests/data/geozarr/webmercator-pyramid/pyramid-geozarr.zarr" \
      --TileServer:Datasets:pyramid:Rendering:ColormapName=viridis \
      --TileServer:Datasets:pyramid:Rendering:Rescale=0,255 \
      --TileServer:Datasets:field:Path="$OUT/field/field.zarr" \
      --TileServer:Datasets:field:Rendering:ColormapName=viridis \
      --TileServer:Datasets:field:Rendering:Rescale=-5,35 "$@") > "$OUT/ours.log" 2>&1 &
  OURS_PID=$!
  for _ in $(seq 1 150); do curl -sf -o /dev/null "http://127.0.0.1:$OURS_PORT/readyz" && return 0; sleep 0.2; done
  echo "our server did not start"; cat "$OUT/ours.log"; exit 1
}
stop_ours() { kill "$OURS_PID" 2>/dev/null || true; wait "$OURS_PID" 2>/dev/null || true; }

urls() {
  /usr/bin/python3 "$HERE/urls.py" --bounds=-180,-85,180,85 --dataset "$1" -n "$2" --zooms "$3" --seed 42 -o "$4"
}

# One side-by-side run: ours and the baseline (started with the given arguments) on the same URL list, alternated.
compare_with() {
  local name=$1 urlfile=$2; shift 2
  start_ours
  /usr/bin/python3 "$HERE/gdal_tile_server.py" "$@" --port $BASE_PORT --quiet > "$OUT/baseline.log" 2>&1 &
  BASELINE_PID=$!
  for _ in $(seq 1 50); do curl -sf -o /dev/null "http://127.0.0.1:$BASE_PORT/readyz" && break; sleep 0.2; done
  OURS_PID=$OURS_PID BASELINE_PID=$BASELINE_PID ROUNDS=$ROUNDS WARMUP=5 \
    "$HERE/compare.sh" "http://127.0.0.1:$OURS_PORT" "http://127.0.0.1:$BASE_PORT" "$urlfile" 16 "$SECS" | tee "$OUT/$name.txt"
  kill $BASELINE_PID 2>/dev/null || true
  stop_ours
}

if [[ $WHAT == compare || $WHAT == all ]]; then
  echo "== compare: $N distinct WebMercatorQuad tiles z1-z6 of Blue Marble (EPSG:4326), PNG, 16 connections"
  urls bluemarble "$N" 1-6 "$OUT/urls-bm.txt"
  compare_with compare "$OUT/urls-bm.txt" --dataset "bluemarble=$OUT/blue-marble.tif"
fi

if [[ $WHAT == compare-field || $WHAT == all ]]; then
  echo "== compare-field: $N distinct WebMercatorQuad tiles z1-z6 of a float32 field (EPSG:4326), rescaled, viridis, PNG, 16 connections"
  urls field "$N" 1-6 "$OUT/urls-field.txt"
  compare_with compare-field "$OUT/urls-field.txt" --dataset "field=$OUT/field/field.tif" --rescale=-5,35 --colormap viridis
fi

if [[ $WHAT == latency || $WHAT == all ]]; then
  echo "== latency: 1 connection, 256 px palette PNG (viridis) from a WebMercatorQuad pyramid level, chunks warm"
  urls pyramid 1000 0-3 "$OUT/urls-pyr.txt"
  start_ours
  SERVER_PID=$OURS_PID WARMUP=5 "$HERE/load.sh" "http://127.0.0.1:$OURS_PORT" "$OUT/urls-pyr.txt" 1 "$SECS" | tee "$OUT/latency.txt"
  stop_ours
fi

if [[ $WHAT == cold || $WHAT == all ]]; then
  echo "== cold: process just started, OS page cache dropped where allowed, first 200 distinct tiles, 1 connection"
  urls bluemarble 200 2-6 "$OUT/urls-cold.txt"
  sync; (echo 3 > /proc/sys/vm/drop_caches) 2>/dev/null && echo "(page cache dropped)" || echo "(page cache could not be dropped)"
  start_ours
  MAX_REQUESTS=200 SERVER_PID=$OURS_PID WARMUP=0 "$HERE/load.sh" "http://127.0.0.1:$OURS_PORT" "$OUT/urls-cold.txt" 1 "$SECS" | tee "$OUT/cold.txt"
  stop_ours
fi

if [[ $WHAT == rss || $WHAT == all ]]; then
  echo "== rss: 64 connections, default cache settings"
  start_ours
  SERVER_PID=$OURS_PID WARMUP=3 "$HERE/load.sh" "http://127.0.0.1:$OURS_PORT" "$OUT/urls-bm.txt" 64 "$SECS" | tee "$OUT/rss.txt"
  stop_ours
fi
if [[ $WHAT == wms || $WHAT == all ]]; then
  echo "== wms: 1 connection, 1024x1024 WMS GetMap PNG (viridis) in EPSG:3857 from the WebMercatorQuad pyramid, chunks warm"
  /usr/bin/python3 "$HERE/wms_urls.py" --layer pyramid.band -n 200 --size 1024 --seed 42 -o "$OUT/urls-wms.txt"
  start_ours
  SERVER_PID=$OURS_PID WARMUP=5 "$HERE/load.sh" "http://127.0.0.1:$OURS_PORT" "$OUT/urls-wms.txt" 1 "$SECS" | tee "$OUT/wms.txt"
  stop_ours
fi
echo "results in $OUT"
