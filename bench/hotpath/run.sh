#!/usr/bin/env bash
# Hot path: the same tiles served from the rendered-tile cache (memory tier hits) and by nginx from files on disk,
# one run, same wrk settings, both on 127.0.0.1. Needs: dotnet, nginx (nginx-light), wrk, curl.
# Usage: bench/hotpath/run.sh [seconds per run, default 10] [connections, default 16]
set -euo pipefail
cd "$(dirname "$0")/../.."
SECS="${1:-10}"; CONN="${2:-16}"
for tool in nginx wrk curl; do command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install nginx-light wrk curl"; exit 1; }; done
work="$(mktemp -d)"; trap 'kill $srv_pid $nginx_pid 2>/dev/null || true; rm -rf "$work"' EXIT
srv_pid=""; nginx_pid=""
dotnet build -c Release src/TileServer.Api -v q -nologo >/dev/null
api_port=18480; nginx_port=18481
dotnet src/TileServer.Api/bin/Release/net10.0/TileServer.Api.dll --urls=http://127.0.0.1:$api_port --Serilog:MinimumLevel:Default=Warning >"$work/server.log" 2>&1 &
srv_pid=$!
for _ in $(seq 300); do curl -sf "http://127.0.0.1:$api_port/readyz" >/dev/null && break; sleep 0.1; done
# Demo Blue Marble tiles z0-z3 (85 tiles): rendered once (this fills the memory tier), saved for nginx.
: >"$work/paths.txt"
for z in 0 1 2 3; do n=$((1 << z)); for x in $(seq 0 $((n - 1))); do for y in $(seq 0 $((n - 1))); do
  p="/tiles/demo/$z/$x/$y.png"; mkdir -p "$work/www/tiles/demo/$z/$x"
  curl -sf "http://127.0.0.1:$api_port$p" -o "$work/www$p"; echo "$p" >>"$work/paths.txt"
done; done; done
hit="$(curl -sI "http://127.0.0.1:$api_port/tiles/demo/3/4/2.png" | tr -d '\r' | grep -i '^server-timing' || true)"
case "$hit" in *'tile-cache;desc="memory"'*) ;; *) echo "expected a memory-tier hit, got: $hit"; exit 1;; esac
cat >"$work/nginx.conf" <<CONF
worker_processes auto; pid $work/nginx.pid; error_log $work/nginx-error.log; daemon off;
events { worker_connections 1024; }
http { access_log off; sendfile on; tcp_nopush on; keepalive_requests 100000; types { image/png png; }
  server { listen 127.0.0.1:$nginx_port; root $work/www; } }
CONF
nginx -c "$work/nginx.conf" -p "$work" &
nginx_pid=$!
sleep 1
export TILE_LIST="$work/paths.txt"
run() { nice wrk -t2 -c"$CONN" -d"${SECS}s" -s bench/hotpath/paths.lua "$1" | awk '/Requests\/sec/ {print $2} /Latency/ && !l {print $2; l=1}' | tr '\n' ' '; }
server=$(run "http://127.0.0.1:$api_port"); nginxr=$(run "http://127.0.0.1:$nginx_port")
s_rps=${server#* }; n_rps=${nginxr#* }
ratio=$(awk -v a="${s_rps% }" -v b="${n_rps% }" 'BEGIN { printf "%.2f", a / b }')
echo "tile server, memory-tier hits: ${s_rps% } req/s (mean latency ${server%% *})"
echo "nginx, same files from disk:   ${n_rps% } req/s (mean latency ${nginxr%% *})"
echo "ratio: $ratio (85 tiles z0-z3, wrk -t2 -c$CONN -d${SECS}s, load average $(cut -d' ' -f1 /proc/loadavg))"
