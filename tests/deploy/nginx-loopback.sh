#!/usr/bin/env bash
# Writes deploy/compose/nginx/nginx.conf as Debian's nginx runs it on loopback, outside a container: the replicas'
# service names become 127.0.0.1 ports, the listener a loopback port, the cache and temporary folders and the pid
# file a scratch folder; the cache directives stay exactly those of the given tile-cache.conf.
# Usage: nginx-loopback.sh OUT_DIR LISTEN_PORT REPLICA_A_PORT REPLICA_B_PORT [TILE_CACHE_CONF]
# then: nginx -p OUT_DIR -e OUT_DIR/error.log -c OUT_DIR/nginx.conf [-t]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=$1 listen=$2 a=$3 b=$4
cache_conf=$(realpath "${5:-$root/deploy/compose/nginx/tile-cache.conf}")
mkdir -p "$out/cache"
out=$(realpath "$out")
# As root, nginx's workers would run as nobody and could not write the scratch folder: keep them as this user.
user_line=""
[ "$(id -u)" -eq 0 ] && user_line="user root;"
sed -e "s#tiles-a:8080#127.0.0.1:$a#; s#tiles-b:8080#127.0.0.1:$b#" \
    -e "s#/etc/nginx/tile-cache.conf#$cache_conf#" \
    -e "s#/var/cache/nginx/tiles#$out/cache#" \
    -e "s#listen 80;#listen 127.0.0.1:$listen;#" \
    -e "s#access_log /dev/stdout#access_log $out/access.log#" \
    -e "s#error_log /dev/stderr#error_log $out/error.log#" \
    -e "s#^worker_processes auto;#$user_line\npid $out/nginx.pid;\nworker_processes 1;#" \
    -e "s#^http {#http {\n  client_body_temp_path $out/body; proxy_temp_path $out/proxy; fastcgi_temp_path $out/fastcgi; uwsgi_temp_path $out/uwsgi; scgi_temp_path $out/scgi;#" \
    "$root/deploy/compose/nginx/nginx.conf" > "$out/nginx.conf"
