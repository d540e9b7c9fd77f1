#!/usr/bin/env bash
# The cold-path benchmark: writes the 4096 x 4096 store with zarr-python (bench/coldpath/make_store.py, Debian's
# python3-zarr), publishes the server (Release) and runs bench/coldpath/run.py: the same tiles cold over HTTP with
# 0, 20 and 50 ms added per answer and cold from local disk; prints remote minus local per tile, GETs, bytes and peak
# reads in flight per tile, and the time of the first tile with no configured stretch. Binds 127.0.0.1 only.
#
# Usage: bench/coldpath/run.sh     env: OUT (default /tmp/tileserver-coldpath), LATENCIES (default 0,20,50),
#                                       TILES (default 30), ROUNDS (default 3)
# Needs: python3-zarr, python3-numpy (apt-get install python3-zarr python3-numpy)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
OUT=${OUT:-/tmp/tileserver-coldpath}
mkdir -p "$OUT"
/usr/bin/python3 -c "import zarr, numcodecs, numpy" 2>/dev/null || { echo "python3-zarr not found: apt-get install python3-zarr python3-numpy"; exit 1; }
echo "== machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
[ -f "$OUT/store.zarr/.zmetadata" ] || /usr/bin/python3 "$HERE/make_store.py" "$OUT/store.zarr"
dotnet publish "$ROOT/src/TileServer.Api/TileServer.Api.csproj" -c Release -o "$OUT/app" --nologo >/dev/null
/usr/bin/python3 "$HERE/run.py" --app "$OUT/app" --store "$OUT/store.zarr" --out "$OUT" \
  --latencies "${LATENCIES:-0,20,50}" --tiles "${TILES:-30}" --rounds "${ROUNDS:-3}"
