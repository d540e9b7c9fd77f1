#!/usr/bin/env bash
# End-to-end time of POST /statistics over a polygon of about 1.1 million cells, warm (chunks cached):
# publishes the server (Release), serves the Blue Marble native grid (2048 x 1024, EPSG:4326) on 127.0.0.1, posts the
# polygon WARMUP times, then REQUESTS times one after another and prints the median and p90 of curl's total time and
# the server's CPU time per request (from /proc: on a busy shared host the wall clock mostly measures the wait for a core).
# Usage: bench/load/statistics.sh   (REQUESTS=50 WARMUP=5 PORT=5093 COVERAGE=center|cover)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
REQUESTS="${REQUESTS:-50}" WARMUP="${WARMUP:-5}" PORT="${PORT:-5093}" COVERAGE="${COVERAGE:-center}"
OUT="$(mktemp -d)"
trap 'kill "${PID:-0}" 2>/dev/null || true; rm -rf "$OUT"' EXIT
dotnet publish "$ROOT/src/TileServer.Api/TileServer.Api.csproj" -c Release -o "$OUT/app" --nologo -v q >/dev/null
dotnet "$OUT/app/TileServer.Api.dll" --urls "http://127.0.0.1:$PORT" --Serilog:MinimumLevel:Default=Warning \
  --TileServer:Datasets:bm:Path="$ROOT/tests/data/real/blue-marble/blue-marble.zarr" >"$OUT/server.log" 2>&1 &
PID=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.2; done
cat >"$OUT/hexagon.geojson" <<'JSON'
{"type":"Polygon","coordinates":[[[-140,-60],[140,-60],[150,0],[140,60],[-140,60],[-150,0],[-140,-60]]]}
JSON
URL="http://127.0.0.1:$PORT/datasets/bm/statistics?bidx=1&coverage_method=$COVERAGE"
post() { curl -sf -o "$OUT/last.json" -w '%{time_total}\n' -H 'Content-Type: application/geo+json' --data @"$OUT/hexagon.geojson" "$URL"; }
cpu() { awk '{print $14 + $15}' "/proc/$PID/stat"; }
for _ in $(seq 1 "$WARMUP"); do post >/dev/null; done
CPU0=$(cpu)
for _ in $(seq 1 "$REQUESTS"); do post; done | sort -n >"$OUT/times"
CPU1=$(cpu)
python3 - "$OUT/times" "$OUT/last.json" "$(( (CPU1 - CPU0) * 1000 / $(getconf CLK_TCK) ))" <<'PY'
import json, sys
t = [float(x) * 1000 for x in open(sys.argv[1])]
read = json.load(open(sys.argv[2]))["features"][0]["properties"]["statistics_read"]
print(f"statistics over {read['selected_pixels']:,} cells (window {read['width']}x{read['height']}, level {read['level']}, step {read['step']}, {read['coverage_method']}): "
      f"median {t[len(t) // 2]:.1f} ms, p90 {t[int(len(t) * 0.9)]:.1f} ms, min {t[0]:.1f} ms over {len(t)} requests; "
      f"server CPU {int(sys.argv[3]) / len(t):.1f} ms per request")
PY
