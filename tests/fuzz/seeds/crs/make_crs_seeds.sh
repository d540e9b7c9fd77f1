#!/usr/bin/env bash
# Writes the CRS seed texts with GDAL's gdalsrsinfo (Debian gdal-bin, GDAL 3.6.2 / PROJ 9.1): PROJJSON, WKT2:2019 and
# GDAL's WKT1 for a set of EPSG codes covering every projection family the server reads. Run from this folder.
set -euo pipefail
for code in 4326 4269 3857 3395 32633 32760 3035 2154 27700 3413 3031 5070 31985 4258; do
  gdalsrsinfo -o PROJJSON "EPSG:$code" > "epsg-$code.projjson"
  gdalsrsinfo -o wkt2_2019 --single-line "EPSG:$code" > "epsg-$code.wkt2"
  gdalsrsinfo -o wkt1 --single-line "EPSG:$code" > "epsg-$code.wkt1"
done
