#!/usr/bin/env bash
# One-time setup for the test suite on a fresh Debian 12 machine with the .NET 10 SDK and Node.js 20:
# the S3-compatible test server (npm s3rver) and the third-party interop clients (GDAL, OWSLib, Chromium,
# MapLibre, OpenLayers). Idempotent; re-running does only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d tests/tools/node_modules/s3rver ]; then
  npm ci --prefix tests/tools --no-audit --no-fund --loglevel=error
fi

if [ -x tests/interop/prepare.sh ]; then
  tests/interop/prepare.sh
fi
