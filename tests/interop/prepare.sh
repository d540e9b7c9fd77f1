#!/usr/bin/env bash
# Makes the real-client interop harness runnable: copies ../shared/clients (beside the repository) into
# tests/interop/.clients/ (read-only in CI, and the scripts need node_modules beside them), installs the apt
# packages the clients need and runs npm install in the copy.  Idempotent and quick when already done.
#
# Usage: tests/interop/prepare.sh          env: SHARED_CLIENTS=/path/to/clients  SKIP_APT=1  SKIP_NPM=1
# Then:  tests/interop/.clients/check_all.sh http://127.0.0.1:8080 demo
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
SRC=${SHARED_CLIENTS:-$ROOT/../shared/clients}
DEST=$HERE/.clients
[ -f "$SRC/check_all.sh" ] || { echo "prepare.sh: no client scripts at $SRC (expected ../shared/clients beside the repository)"; exit 1; }

# 1. Copy the scripts (small; node_modules of the source, if any, are not copied).
mkdir -p "$DEST"
tar -C "$SRC" --exclude=node_modules --exclude=interop-out -cf - . | tar -C "$DEST" -xf -
chmod -R u+w "$DEST"

# 2. apt packages the clients drive (install.sh would also want wrk and MapServer; the checks do not need them).
APT_PKGS="gdal-bin python3-gdal python3-owslib python3-numpy python3-pil chromium curl"
if [ "${SKIP_APT:-0}" != 1 ]; then
  missing=""
  for p in $APT_PKGS; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
  if [ -n "$missing" ]; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
    echo "apt-get install:$missing"
    $SUDO apt-get -o DPkg::Lock::Timeout=900 update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends $missing >/dev/null
  fi
fi

# 3. npm install in the copy, only when the pinned versions changed since the last run.
if [ "${SKIP_NPM:-0}" != 1 ]; then
  stamp="$DEST/node_modules/.prepared-lock"
  if [ ! -f "$stamp" ] || ! cmp -s "$DEST/package-lock.json" "$stamp"; then
    (cd "$DEST" && SKIP_APT=1 bash ./install.sh) || true   # its own summary also wants wrk/mapserv; checked below
    [ -f "$DEST/node_modules/maplibre-gl/dist/maplibre-gl.mjs" ] && cp "$DEST/package-lock.json" "$stamp"
  fi
fi

# 4. What the checks need, so a missing piece is named here rather than deep inside a client log.
fail=0
need() { if eval "$2" >/dev/null 2>&1; then echo "ok: $1"; else echo "MISSING: $1"; fail=1; fi; }
need "gdalinfo with WMTS and OGCAPI drivers" "gdalinfo --formats | grep -q WMTS && gdalinfo --formats | grep -q OGCAPI"
need "python3 osgeo, numpy, owslib, PIL" "/usr/bin/python3 -c 'import osgeo.gdal, numpy, owslib.wmts, PIL'"
need "/usr/bin/chromium" "test -x /usr/bin/chromium"
need "node >= 20" "node -e 'process.exit(+process.versions.node.split(\".\")[0] >= 20 ? 0 : 1)'"
need "node_modules (maplibre-gl, ol, playwright-core)" "test -f '$DEST/node_modules/maplibre-gl/dist/maplibre-gl.mjs' -a -f '$DEST/node_modules/ol/dist/ol.js' -a -d '$DEST/node_modules/playwright-core'"
need "curl" "command -v curl"
[ "$fail" -eq 0 ] && echo "interop clients ready in $DEST" || { echo "prepare.sh: some clients are missing (see above)"; exit 1; }
