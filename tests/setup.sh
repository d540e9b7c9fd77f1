#!/usr/bin/env bash
# One-time setup for the test suite on a fresh Debian 12 machine with the .NET 10 SDK and Node.js 20:
# the S3-compatible test server (npm s3rver) and the third-party interop clients (GDAL, OWSLib, Chromium,
# MapLibre, OpenLayers). Idempotent; re-running does only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# Independent decoders the image tests check our files with.
missing=""
for p in pngcheck python3-numpy; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
fi

if [ ! -d tests/tools/node_modules/s3rver ]; then
  npm ci --prefix tests/tools --no-audit --no-fund --loglevel=error
fi

if [ -x tests/interop/prepare.sh ]; then
  tests/interop/prepare.sh
fi
