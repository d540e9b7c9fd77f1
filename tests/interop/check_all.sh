#!/usr/bin/env bash
# Runs every third-party client in this folder against one running server and sums their results.
#
# Usage: tests/interop/check_all.sh BASE DATASET        e.g. tests/interop/check_all.sh http://127.0.0.1:8080 demo
#   env: OUT_DIR  folder for each client's log and the images it saw (default: a new temporary folder)
#        ONLY     a subset of: gdal_wmts gdal_ogcapi owslib gdal_wms owslib_wms tilejson maplibre openlayers
# The clients come from Debian (GDAL, OWSLib, Chromium) and npm (MapLibre GL JS, OpenLayers, playwright-core in
# tests/tools); tests/run.sh installs them. Prints each client's closing line, then 'N passed, N failed' for all;
# exits 1 when any check failed or a client printed no closing line.
set -u
BASE=${1:?usage: check_all.sh BASE DATASET}
DATASET=${2:?usage: check_all.sh BASE DATASET}
BASE=${BASE%/}
HERE=$(cd "$(dirname "$0")" && pwd)
OUT_DIR=${OUT_DIR:-$(mktemp -d -t interop.XXXXXX)}
mkdir -p "$OUT_DIR" && OUT_DIR=$(cd "$OUT_DIR" && pwd)
ONLY=${ONLY:-"gdal_wmts gdal_ogcapi owslib gdal_wms owslib_wms tilejson maplibre openlayers"}
PYTHON=/usr/bin/python3
passed=0 failed=0 summary=()

if ! curl -s -o /dev/null --max-time 10 "$BASE/"; then
  echo "FAIL: nothing answers at $BASE"
  echo "0 passed, 1 failed"
  exit 1
fi

run() {
  local name=$1; shift
  case " $ONLY " in *" $name "*) ;; *) return ;; esac
  local log="$OUT_DIR/$name.log" start=$SECONDS
  echo "== $name"
  timeout 600 "$@" > "$log" 2>&1
  local rc=$? closing p f
  closing=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -1)
  if [ -z "$closing" ]; then
    p=0 f=1 closing="no closing line (exit $rc); last lines: $(tail -3 "$log" | tr '\n' ' ')"
  else
    read -r p _ f _ <<< "${closing//,/}"
    [ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
  fi
  passed=$((passed + p)) failed=$((failed + f))
  grep -E '^FAIL' "$log" | head -10 | sed 's/^/   /'
  summary+=("$(printf '%-12s %-40s %4ss' "$name" "$closing" "$((SECONDS - start))")")
}

run gdal_wmts   "$PYTHON" "$HERE/gdal_wmts.py" "$BASE" --out "$OUT_DIR/gdal_wmts"
run gdal_ogcapi "$PYTHON" "$HERE/gdal_ogcapi.py" "$BASE" "$DATASET" --out "$OUT_DIR/gdal_ogcapi"
run owslib      "$PYTHON" "$HERE/owslib_wmts.py" "$BASE" --out "$OUT_DIR/owslib"
run gdal_wms    "$PYTHON" "$HERE/gdal_wms.py" "$BASE" --out "$OUT_DIR/gdal_wms"
run owslib_wms  "$PYTHON" "$HERE/owslib_wms.py" "$BASE" --out "$OUT_DIR/owslib_wms"
run tilejson    "$PYTHON" "$HERE/tilejson_check.py" "$BASE" "$DATASET" --out "$OUT_DIR/tilejson"
run maplibre    node "$HERE/maplibre.mjs" "$BASE" "$DATASET" --out "$OUT_DIR/maplibre.png"
run openlayers  node "$HERE/openlayers.mjs" "$BASE" --out "$OUT_DIR/openlayers.png"

echo "== summary ($BASE, dataset $DATASET; logs in $OUT_DIR)"
for row in "${summary[@]}"; do echo "  $row"; done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
