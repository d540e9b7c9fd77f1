#!/usr/bin/env bash
# Runs the Dockerfile's build and run steps without Docker: publish, start, probe, fetch a tile, stop.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$out"' EXIT
dotnet publish src/TileServer.Api/TileServer.Api.csproj -c Release -o "$out" --nologo >/dev/null
port=${PORT:-18080}
(cd "$out" && ASPNETCORE_HTTP_PORTS=$port ASPNETCORE_URLS=http://127.0.0.1:$port dotnet TileServer.Api.dll) > "$out/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do curl -sf -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.2; done
(cd "$out" && ASPNETCORE_HTTP_PORTS=$port dotnet TileServer.Api.dll healthcheck) && echo "PASS: healthcheck command"
curl -sf "http://127.0.0.1:$port/tiles/demo/1/0/0.png" -o "$out/tile.png" && file "$out/tile.png" | grep -q PNG && echo "PASS: demo tile from the published app"
echo "published size: $(du -sh "$out" | cut -f1)"
