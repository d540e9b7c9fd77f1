#!/usr/bin/env bash
# The whole test suite in one command, set-up included, on Debian 12 with the .NET 10 SDK and Node.js 20:
#   1. Debian packages the tests drive (GDAL, OWSLib, Chromium, pngcheck, numpy, ...), installed when missing, as
#      root or through sudo;
#   2. npm packages pinned in tests/tools/package-lock.json (s3rver, MapLibre GL JS, OpenLayers, playwright-core,
#      kubernetes-types with typescript for the Kubernetes manifests, pmtiles for the seed command's archives),
#      installed with `npm ci` when the lock file changed since the last install;
#   3. `dotnet test TileServer.sln`, tests/deploy/check.sh (the deployment files against docker-compose, promtool,
#      nginx and the Kubernetes API types) and tests/cluster/run.sh (two replicas on s3rver behind nginx, on loopback),
#      then one closing line for all: 'N passed, N failed, N skipped'.
# Re-running skips what is installed. Exits non-zero when dotnet test, the deployment checks or the set-up failed.
# Usage: tests/run.sh [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Wmts]
set -uo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

# Debian packages: the interop clients (GDAL's WMTS/OGCAPI/WMS drivers, OWSLib, Pillow, numpy, Chromium, curl), the
# independent checkers of the rendering and document tests (pngcheck, numpy, xmllint from libxml2-utils) and a font
# for text drawn into images (WMS EXCEPTIONS=INIMAGE, legend labels); the readers of the deployment files
# (docker-compose, promtool from prometheus, nginx, python3-yaml); the operations tests' real redis-server and
# Prometheus, and wrk for bench/hotpath.
APT_PACKAGES="gdal-bin python3-gdal python3-owslib python3-numpy python3-pil chromium curl pngcheck libxml2-utils fonts-dejavu-core docker-compose prometheus nginx-light python3-yaml redis-server wrk"
setup_ok=1
missing=""
for p in $APT_PACKAGES; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ]; then
  if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else sudo="none"; fi
  if [ "$sudo" = none ]; then
    echo "setup: missing Debian packages:$missing (run tests/run.sh as root or with sudo available to install them)"
    setup_ok=0
  else
    echo "setup: apt-get install$missing"
    $sudo apt-get -o DPkg::Lock::Timeout=600 update -qq \
      && DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends $missing >/dev/null \
      || { echo "setup: apt-get install$missing failed"; setup_ok=0; }
  fi
fi

# npm packages, only when the lock file differs from the one last installed.
stamp=tests/tools/node_modules/.installed-package-lock.json
if ! command -v npm >/dev/null; then
  echo "setup: npm not found: install Node.js 20 (it runs s3rver and the web map clients)"
  setup_ok=0
elif [ ! -f "$stamp" ] || ! cmp -s tests/tools/package-lock.json "$stamp"; then
  echo "setup: npm ci --prefix tests/tools"
  if npm ci --prefix tests/tools --no-audit --no-fund --loglevel=error; then
    cp tests/tools/package-lock.json "$stamp"
  else
    echo "setup: npm ci --prefix tests/tools failed"
    setup_ok=0
  fi
fi

mkdir -p TestResults
log=TestResults/test.log
dotnet test TileServer.sln "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# The deployment files (deploy/), checked by the tools that read them, and the compose topology on loopback
# (tests/cluster/run.sh) with the server dotnet test just built; their closing lines count like a test project's.
# CLUSTER_REDIS=1 and CLUSTER_METRICS=1 add the checks of the shared Redis tier and of both replicas' /metrics.
bash tests/deploy/check.sh 2>&1 | tee -a "$log"
[ "${PIPESTATUS[0]}" -eq 0 ] || [ "$status" -ne 0 ] || status=1
api_build=$(ls -td src/TileServer.Api/bin/*/net10.0 2>/dev/null | head -1)
CLUSTER_REDIS=1 CLUSTER_METRICS=1 bash tests/cluster/run.sh "${api_build:-src/TileServer.Api/bin/Debug/net10.0}" 2>&1 | tee -a "$log"
[ "${PIPESTATUS[0]}" -eq 0 ] || [ "$status" -ne 0 ] || status=1

[ "$setup_ok" -eq 1 ] || { echo "set-up was incomplete: see the setup: lines above"; [ "$status" -ne 0 ] || status=1; }
# One closing line for the whole suite, summed over the test projects' own summaries.
awk '/^(Passed|Failed)!/ { for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit "$status"
