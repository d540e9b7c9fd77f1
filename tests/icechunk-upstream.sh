#!/usr/bin/env bash
# Compatibility tests against upstream Icechunk's own test repositories (format 1, format 2, migrated, split
# manifests, expired histories). Those repositories are not part of this repository (tests/data/icechunk/README.md
# says where to get them and why), so these tests live outside TileServer.sln, in tests/TileServer.Icechunk.UpstreamTests.
# Usage: tests/icechunk-upstream.sh DIR [extra dotnet test arguments]
#   DIR: a copy of icechunk-python/tests/data of github.com/earth-mover/icechunk (the folders test-repo-v1, ...).
# Needs the .NET 10 SDK and Node.js 20 (s3rver for the S3 tests; installed here from tests/tools when missing).
set -euo pipefail
if [ $# -lt 1 ] || [ ! -d "$1" ]; then
  echo "usage: $0 DIR [dotnet test arguments]   (DIR: a copy of upstream icechunk's icechunk-python/tests/data)" >&2
  exit 2
fi
data="$(cd "$1" && pwd)"
shift
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

missing=""
for repo in test-repo-v1 test-repo-v2 test-repo-v2-migrated split-repo-v1 split-repo-v2 split-repo-v2-migrated \
            expire-repo-v1-by-1.1.21 expire-repo-v1-by-2.0.5 expire-repo-v1-by-working-copy \
            expire-repo-v2-by-2.0.5 expire-repo-v2-by-working-copy; do
  [ -d "$data/$repo" ] || missing="$missing $repo"
done
if [ -n "$missing" ]; then
  echo "$data lacks:$missing (is it icechunk-python/tests/data at the commit tests/data/icechunk/README.md names?)" >&2
  exit 2
fi

stamp=tests/tools/node_modules/.installed-package-lock.json
if [ ! -f "$stamp" ] || ! cmp -s tests/tools/package-lock.json "$stamp"; then
  echo "setup: npm ci --prefix tests/tools"
  npm ci --prefix tests/tools --no-audit --no-fund --loglevel=error
  cp tests/tools/package-lock.json "$stamp"
fi

ICECHUNK_UPSTREAM_DATA="$data" dotnet test tests/TileServer.Icechunk.UpstreamTests "$@"
