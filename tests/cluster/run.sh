#!/usr/bin/env bash
# The compose topology (deploy/compose) on one machine without containers, all on 127.0.0.1: s3rver (npm, pinned
# in tests/tools) holding the demo stores (data/demo uploaded over the S3 API), two published replicas of the
# server reading them over S3, and Debian's nginx in front with the compose proxy's configuration
# (deploy/compose/nginx, rendered for loopback by tests/deploy/nginx-loopback.sh). Checks:
#   1. a tile through nginx: a miss, then a hit from nginx's cache with the same bytes and ETag;
#   2. a client's If-None-Match is answered 304 by the cache;
#   3. once the entry expires nginx revalidates with the replica (If-None-Match), which answers 304 (nothing
#      rendered), and the cache keeps serving the same bytes;
#   4. SIGTERM to one replica under a bounded load (distinct tiles, 8 at a time) loses no request through nginx,
#      and the replica exits within the Kubernetes grace period (45 s).
# Checks the server does not have everywhere yet are hooks, skipped unless asked for:
#   CLUSTER_REDIS=1          start redis-server (Debian) on loopback, give both replicas TileServer:TileCache:Redis
#                            and check that a tile rendered by one replica comes from Redis on the other
#                            (Server-Timing tile-cache;desc="redis");
#   CLUSTER_METRICS=1        both replicas' /metrics count the tiles they rendered (tileserver_tiles_rendered);
#   CLUSTER_CATALOG_FILE=1   configure the datasets with deploy/compose/catalog.json (TileServer:CatalogFile)
#                            instead of environment variables.
# CLUSTER_TILE_CACHE_CONF=FILE replaces deploy/compose/nginx/tile-cache.conf (to try a change, or as a control: with
# `proxy_next_upstream off;` the SIGTERM check must fail).
# Usage: tests/cluster/run.sh [PUBLISHED_DIR]   (without it: `dotnet publish -c Release` into a temporary folder)
# Needs: nginx-light, curl, node + `npm ci --prefix tests/tools`, /usr/bin/python3; redis-server for CLUSTER_REDIS.
# Prints PASS/FAIL/SKIP per check and a closing line in dotnet test's summary format; exit 1 when a check failed.
set -uo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  wait 2>/dev/null
  [ -n "${KEEP_WORK:-}" ] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT
passed=0 failed=0 skipped=0
pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1"; [ -n "${2:-}" ] && sed 's/^/    /' <<<"$2" | head -30; failed=$((failed + 1)); }
skip() { echo "SKIP $1 ($2)"; skipped=$((skipped + 1)); }
summary() {
  local verdict="Passed!"; [ "$failed" -eq 0 ] || verdict="Failed!"
  printf '%s - Failed: %5d, Passed: %5d, Skipped: %5d, Total: %5d - tests/cluster/run.sh (two replicas behind nginx)\n' \
    "$verdict" "$failed" "$passed" "$skipped" $((passed + failed + skipped))
  [ "$failed" -eq 0 ]
}
abort() { fail "$1" "${2:-}"; summary; exit 1; }
free_port() { /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_http() { # url, seconds
  for _ in $(seq 1 $(($2 * 5))); do curl -sf -o /dev/null "$1" && return 0; sleep 0.2; done
  return 1
}

for tool in nginx curl node; do
  command -v "$tool" >/dev/null || abort "set-up" "$tool not found (apt-get install nginx-light curl; Node.js 20 for node)"
done
s3rver=tests/tools/node_modules/s3rver/bin/s3rver.js
[ -f "$s3rver" ] || abort "set-up" "s3rver missing: npm ci --prefix tests/tools"

# ---- the published server ------------------------------------------------------------------------------------
published=${1:-}
if [ -z "$published" ]; then
  published=$work/published
  echo "publishing the server (Release) into $published"
  nice dotnet publish src/TileServer.Api/TileServer.Api.csproj -c Release -o "$published" --nologo >"$work/publish.log" 2>&1 \
    || abort "set-up" "dotnet publish failed: $(tail -20 "$work/publish.log")"
fi
[ -f "$published/TileServer.Api.dll" ] || abort "set-up" "$published/TileServer.Api.dll not found"
published=$(realpath "$published")

# ---- S3: s3rver with the demo stores -------------------------------------------------------------------------
s3_port=$(free_port)
mkdir -p "$work/s3"
node "$s3rver" -d "$work/s3" -a 127.0.0.1 -p "$s3_port" --no-vhost-buckets --configure-bucket zarr >"$work/s3rver.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do grep -q "listening" "$work/s3rver.log" && break; sleep 0.2; done
s3=http://127.0.0.1:$s3_port
upload() { curl -sf -X PUT --aws-sigv4 "aws:amz:us-east-1:s3" -u S3RVER:S3RVER -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" --data-binary "@data/demo/$1" -o /dev/null "$s3/zarr/$1"; }
export -f upload; export s3
(cd data/demo && find . -mindepth 2 -type f -printf '%P\n') | xargs -P 4 -I{} bash -c 'upload "$@" || echo "upload failed: $1"' _ {} >"$work/upload.log" 2>&1
count=$( (cd data/demo && find . -mindepth 2 -type f) | wc -l)
listed=$(curl -sf --aws-sigv4 "aws:amz:us-east-1:s3" -u S3RVER:S3RVER -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" "$s3/zarr?list-type=2&max-keys=1000" | grep -o '<Key>' | wc -l)
if [ -s "$work/upload.log" ] || [ "$listed" -ne "$count" ]; then
  abort "set-up: demo stores uploaded to s3rver" "$listed of $count objects listed; $(head -5 "$work/upload.log")"
fi
echo "uploaded $count objects of data/demo to $s3/zarr"

# ---- optional Redis ------------------------------------------------------------------------------------------
redis_env=()
if [ "${CLUSTER_REDIS:-0}" = 1 ]; then
  command -v redis-server >/dev/null || abort "set-up" "redis-server not found: apt-get install redis-server"
  redis_port=$(free_port)
  redis-server --bind 127.0.0.1 --port "$redis_port" --save "" --appendonly no --maxmemory 256mb \
    --maxmemory-policy allkeys-lru >"$work/redis.log" 2>&1 &
  pids+=($!)
  redis_env=("TileServer__TileCache__Redis=127.0.0.1:$redis_port,abortConnect=false")
fi

# ---- two replicas --------------------------------------------------------------------------------------------
if [ "${CLUSTER_CATALOG_FILE:-0}" = 1 ]; then
  catalog_env=("TileServer__CatalogFile=$root/deploy/compose/catalog.json")
else
  catalog_env=(
    "TileServer__Datasets__demo__Path=s3://zarr/blue-marble-webmercatorquad.zarr"
    "TileServer__Datasets__demo__DefaultVariable=rgb"
    "TileServer__Datasets__sst__Path=s3://zarr/oisst.zarr"
    "TileServer__Datasets__sst__DefaultVariable=sst"
    "TileServer__Datasets__sst__Rendering__Rescale=-2,32"
    "TileServer__Datasets__sst__Rendering__ColormapName=turbo"
  )
fi
start_replica() { # name, port
  (cd "$published" && exec env "${catalog_env[@]}" "${redis_env[@]}" \
    ASPNETCORE_URLS="http://127.0.0.1:$2" \
    TileServer__S3__ServiceUrl="$s3" TileServer__S3__Region=us-east-1 TileServer__S3__ForcePathStyle=true \
    TileServer__S3__AccessKey=S3RVER TileServer__S3__SecretKey=S3RVER \
    TileServer__HttpCaching__TileMaxAgeSeconds=3 TileServer__HttpCaching__TileSharedMaxAgeSeconds=3 \
    TileServer__HttpCaching__TileStaleWhileRevalidateSeconds=0 TileServer__Proxy__KnownProxies__0=127.0.0.1 \
    Serilog__MinimumLevel__Default=Warning \
    dotnet TileServer.Api.dll) >"$work/$1.log" 2>&1 &
}
port_a=$(free_port); port_b=$(free_port)
start_replica tiles-a "$port_a"; pid_a=$!; pids+=($pid_a)
start_replica tiles-b "$port_b"; pid_b=$!; pids+=($pid_b)
for port in "$port_a" "$port_b"; do
  wait_http "http://127.0.0.1:$port/readyz" 90 || abort "set-up: replicas ready" "replica on $port not ready: $(tail -20 "$work"/tiles-*.log)"
done
echo "replicas on 127.0.0.1:$port_a (tiles-a) and 127.0.0.1:$port_b (tiles-b)"

# ---- nginx with the compose proxy's configuration ------------------------------------------------------------
nginx_port=$(free_port)
bash tests/deploy/nginx-loopback.sh "$work/nginx" "$nginx_port" "$port_a" "$port_b" "${CLUSTER_TILE_CACHE_CONF:-deploy/compose/nginx/tile-cache.conf}"
nginx -p "$work/nginx" -e "$work/nginx/error.log" -c "$work/nginx/nginx.conf" -g "daemon off;" >"$work/nginx.out" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$nginx_port/healthz" 20 || abort "set-up: nginx" "$(cat "$work/nginx.out" "$work/nginx/error.log" 2>/dev/null)"
proxy=http://127.0.0.1:$nginx_port

header() { grep -i "^$1:" "$2" | head -1 | cut -d' ' -f2- | tr -d '\r'; }
get() { # url, name: body in $work/$name.body, headers in $work/$name.h, prints the status
  curl -s -D "$work/$2.h" -o "$work/$2.body" -w '%{http_code}' "${@:3}" "$1"
}

# ---- 1. repeats come from nginx's cache ----------------------------------------------------------------------
tile=/tiles/demo/3/4/2.png
s1=$(get "$proxy$tile" first); c1=$(header X-Cache-Status "$work/first.h"); e1=$(header ETag "$work/first.h")
s2=$(get "$proxy$tile" second); c2=$(header X-Cache-Status "$work/second.h"); e2=$(header ETag "$work/second.h")
if [ "$s1$s2" = 200200 ] && [ "$c1" = MISS ] && [ "$c2" = HIT ] && [ -n "$e1" ] && [ "$e1" = "$e2" ] && cmp -s "$work/first.body" "$work/second.body"; then
  pass "nginx serves a repeated tile from its cache (MISS then HIT, same ETag $e1 and bytes)"
else
  fail "nginx serves a repeated tile from its cache" "first: $s1 $c1 $e1; second: $s2 $c2 $e2; Cache-Control: $(header Cache-Control "$work/first.h")"
fi

# ---- 2. a client's If-None-Match is answered by the cache ----------------------------------------------------
s_cond=$(get "$proxy$tile" conditional -H "If-None-Match: $e1"); c3=$(header X-Cache-Status "$work/conditional.h")
if [ "$s_cond" = 304 ] && [ "$c3" = HIT ] && [ ! -s "$work/conditional.body" ]; then
  pass "If-None-Match with the tile's ETag gets 304 from nginx's cache"
else
  fail "If-None-Match with the tile's ETag gets 304 from nginx's cache" "status $s_cond, cache $c3"
fi

# ---- 3. an expired entry is revalidated with the replica (304, nothing rendered) -----------------------------
# The replicas give tiles s-maxage=3 here. After that nginx answers the next request at once from the expired
# entry (STALE: proxy_cache_use_stale updating) or after revalidating (REVALIDATED), and revalidates with the
# replica: If-None-Match, 304, the entry refreshed; the request after it is a HIT on the same bytes.
sleep 4
s4=$(get "$proxy$tile" expired); c4=$(header X-Cache-Status "$work/expired.h"); e4=$(header ETag "$work/expired.h")
revalidation=""
for _ in $(seq 1 50); do
  revalidation=$(grep -F "GET $tile " "$work/nginx/access.log" | grep "upstream_status=304" | tail -1)
  [ -n "$revalidation" ] && break; sleep 0.1
done
s5=$(get "$proxy$tile" refreshed); c5=$(header X-Cache-Status "$work/refreshed.h"); e5=$(header ETag "$work/refreshed.h")
if [ "$s4" = 200 ] && { [ "$c4" = STALE ] || [ "$c4" = REVALIDATED ]; } && [ -n "$revalidation" ] \
   && [ "$s5" = 200 ] && [ "$c5" = HIT ] && [ "$e4" = "$e1" ] && [ "$e5" = "$e1" ] \
   && cmp -s "$work/first.body" "$work/expired.body" && cmp -s "$work/first.body" "$work/refreshed.body"; then
  pass "an expired tile is revalidated: the replica answers 304, nginx keeps serving the same bytes ($c4, then HIT)"
else
  fail "an expired tile is revalidated" "after expiry: $s4 $c4 $e4; then: $s5 $c5 $e5 (first ETag $e1); replica 304 in the log: ${revalidation:-none}; log: $(grep -F "GET $tile " "$work/nginx/access.log")"
fi

# ---- hook: Redis tier shared by the replicas -----------------------------------------------------------------
if [ "${CLUSTER_REDIS:-0}" = 1 ]; then
  shared=/tiles/demo/4/9/5.png
  get "http://127.0.0.1:$port_a$shared" on-a >/dev/null; get "http://127.0.0.1:$port_b$shared" on-b >/dev/null
  ta=$(header Server-Timing "$work/on-a.h"); tb=$(header Server-Timing "$work/on-b.h")
  if grep -q 'tile-cache;desc="miss"' <<<"$ta" && grep -q 'tile-cache;desc="redis"' <<<"$tb" && cmp -s "$work/on-a.body" "$work/on-b.body"; then
    pass "a tile rendered by tiles-a comes from Redis on tiles-b (same bytes)"
  else
    fail "a tile rendered by tiles-a comes from Redis on tiles-b" "tiles-a Server-Timing: $ta; tiles-b: $tb"
  fi
else
  skip "a tile rendered by one replica comes from Redis on the other" "CLUSTER_REDIS=1 enables it"
fi

# ---- 4. SIGTERM to one replica under load loses no request ---------------------------------------------------
/usr/bin/python3 - "$proxy" >"$work/urls" <<'EOF'
import random, sys
# Distinct tiles (each a cache miss, so every request reaches a replica), in a fixed random order.
urls = [f"{sys.argv[1]}/tiles/demo/{z}/{x}/{y}.png" for z in (4, 5) for x in range(2 ** z) for y in range(2 ** z)]
urls += [f"{sys.argv[1]}/tiles/sst/{z}/{x}/{y}.png" for z in (3, 4) for x in range(2 ** z) for y in range(2 ** z)]
random.Random(13).shuffle(urls)
print("\n".join(urls[:900]))
EOF
total=$(wc -l <"$work/urls")
xargs -P 8 -n 1 curl -s -o /dev/null -w '%{http_code} %{url_effective}\n' <"$work/urls" >"$work/load.out" 2>&1 &
load=$!
for _ in $(seq 1 300); do [ "$(wc -l <"$work/load.out")" -ge $((total / 4)) ] && break; sleep 0.1; done
before=$(wc -l <"$work/load.out")
term_at=$(date +%s.%N)
kill -TERM "$pid_a"
exited=""
for _ in $(seq 1 450); do kill -0 "$pid_a" 2>/dev/null || { exited=$(date +%s.%N); break; }; sleep 0.1; done
wait "$pid_a"; code_a=$?
wait "$load"
answered=$(wc -l <"$work/load.out")
bad=$(grep -vc '^200 ' "$work/load.out")
after_on_b=$(awk -v p="127.0.0.1:$port_b" 'index($0, p)' "$work/nginx/access.log" | grep -c '/tiles/.*cache=MISS')
on_a=$(awk -v p="127.0.0.1:$port_a" 'index($0, p)' "$work/nginx/access.log" | grep -c '/tiles/.*cache=MISS')
retried=$(grep -c "upstream=127.0.0.1:$port_a, 127.0.0.1:$port_b\|upstream=127.0.0.1:$port_b, 127.0.0.1:$port_a" "$work/nginx/access.log")
if [ -n "$exited" ]; then drain=$(/usr/bin/python3 -c "print(round($exited - $term_at, 2))"); else drain="more than 45"; fi
detail="$answered of $total answered, $bad not 200, $before answered before SIGTERM; tiles-a exited $drain s after SIGTERM with code $code_a; misses served by tiles-a $on_a, by tiles-b $after_on_b, retried on the other replica $retried"
if [ "$answered" -eq "$total" ] && [ "$bad" -eq 0 ] && [ -n "$exited" ] && [ "$on_a" -gt 0 ] && [ "$after_on_b" -gt 0 ]; then
  pass "SIGTERM to tiles-a under load loses no request through nginx ($detail)"
else
  fail "SIGTERM to tiles-a under load loses no request through nginx" "$detail; $(grep -v '^200 ' "$work/load.out" | head -5)"
fi

# ---- hook: metrics of both replicas --------------------------------------------------------------------------
if [ "${CLUSTER_METRICS:-0}" = 1 ]; then
  rendered() { curl -sf "http://127.0.0.1:$1/metrics" | awk '/^tileserver_tiles_rendered[_a-z]*(\{| )/ { s += $NF } END { print s + 0 }'; }
  # tiles-a was stopped above: its counters went with it, so it is restarted and asked for one tile.
  start_replica tiles-a2 "$port_a"; pids+=($!)
  wait_http "http://127.0.0.1:$port_a/readyz" 90
  curl -sf -o /dev/null "http://127.0.0.1:$port_a/tiles/sst/2/1/1.png"
  ra=$(rendered "$port_a"); rb=$(rendered "$port_b")
  if [ "${ra%.*}" -ge 1 ] && [ "${rb%.*}" -ge 1 ]; then
    pass "both replicas' /metrics count the tiles they rendered (tiles-a $ra, tiles-b $rb)"
  else
    fail "both replicas' /metrics count the tiles they rendered" "tiles-a $ra, tiles-b $rb"
  fi
else
  skip "both replicas' /metrics count the tiles they rendered" "CLUSTER_METRICS=1 enables it"
fi

summary
