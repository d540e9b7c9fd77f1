#!/usr/bin/env bash
# Operations figures for the README's "Deploying" section, measured on one machine, everything on 127.0.0.1.
#
#   replicas [SECONDS=20]  tiles/s of two published replicas behind nginx (plain round robin, proxy cache off: the
#                          stream of CDN misses) without and with the shared Redis tier (Debian's redis-server,
#                          TileServer:TileCache:Redis=127.0.0.1:PORT). The in-process tile tier is off
#                          (TileServer:TileCache:MemoryBytes=0, TILE_CACHE_BYTES to change it), so a repeat is
#                          either a render or a Redis hit. Distinct Blue Marble tiles z1-z8, each requested twice
#                          within about 1,000 requests, in a list longer than a run walks. Same paths, connections
#                          and duration in both runs; wrk through bench/load/load.sh and paths.lua; the replicas'
#                          /metrics counted before and after each run.
#   etag [N=5]             the time from a changed store to a changed tile ETag (live data:
#                          TileServer:Catalog:RefreshSeconds, 1 and 5 s by default). One published server over a
#                          copy of data/demo/oisst.zarr; N times: take a tile's ETag, wait a random part of the
#                          interval, add an attribute to the root .zattrs and .zmetadata (each replaced atomically,
#                          as a producer appending data would), poll the tile every POLL_MS until its ETag differs.
#                          Then If-None-Match with the old ETag must get 200 and the new ETag, with the new one 304.
#
# Usage: bench/ops/run.sh replicas [SECONDS] | bench/ops/run.sh etag [N]
#   env: OUT (default /tmp/tileserver-ops), APP (a published server folder; default: publish Release to $OUT/app),
#        KEEP_WORK=1 (keep the scratch folder with the logs)
#   replicas: CONNECTIONS (16), N_TILES (distinct tiles in the list, 60000: raise it when a run walks it all),
#        REPEATS (2: requests per tile), WARMUP (3 s, on other tiles), TILE_CACHE_BYTES (0 = in-process tier off),
#        REDIS_MAXMEMORY (1gb, allkeys-lru)
#   etag: REFRESH ("1 5": RefreshSeconds values, one server each), POLL_MS (50)
# Prints wrk's reports, the replicas' counters, a 'RESULT key=value ...' line and 'N passed, N failed'; exit 1 when a
# check failed.
# Needs: wrk, redis-server, nginx-light, curl, /usr/bin/python3 (apt-get install wrk redis-server nginx-light curl).
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
LOAD=$ROOT/bench/load
MODE=${1:-}
OUT=${OUT:-/tmp/tileserver-ops}
case "$MODE" in
  replicas) SECS=${2:-20} ;;
  etag) TRIALS=${2:-5} ;;
  *) echo "usage: bench/ops/run.sh replicas [SECONDS] | bench/ops/run.sh etag [N]"; exit 2 ;;
esac
tools="curl /usr/bin/python3"; [ "$MODE" = replicas ] && tools="wrk redis-server nginx $tools"
for tool in $tools; do
  command -v "$tool" >/dev/null || { echo "$tool not found: apt-get install wrk redis-server nginx-light curl python3"; exit 1; }
done

mkdir -p "$OUT"
work=$(mktemp -d -t ops.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done
  if [ -n "${KEEP_WORK:-}" ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
forget() { local keep=() p; for p in "${pids[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done; pids=("${keep[@]}"); }
stop() { kill "$1" 2>/dev/null; wait "$1" 2>/dev/null; forget "$1"; }
passed=0 failed=0
check() { if [ "$1" = 0 ]; then passed=$((passed + 1)); echo "PASS: $2"; else failed=$((failed + 1)); echo "FAIL: $2"; fi; }
finish() { echo "$passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }
die() { echo "FAIL: $1"; [ -n "${2:-}" ] && tail -20 "$2" | sed 's/^/    /'; failed=$((failed + 1)); finish; }
free_port() { /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_http() { # url, seconds
  local _
  for _ in $(seq 1 $(($2 * 5))); do curl -sf -o /dev/null "$1" && return 0; sleep 0.2; done
  return 1
}
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

echo "== machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
if [ -z "${APP:-}" ]; then
  echo "publishing the server (Release) into $OUT/app"
  nice dotnet publish "$ROOT/src/TileServer.Api/TileServer.Api.csproj" -c Release -o "$OUT/app" --nologo >"$work/publish.log" 2>&1 \
    || die "dotnet publish failed" "$work/publish.log"
  APP=$OUT/app
fi
APP=$(realpath "$APP")
[ -f "$APP/TileServer.Api.dll" ] || die "$APP/TileServer.Api.dll not found"

# start_server NAME PORT ARGS...: a published server on 127.0.0.1:PORT; its pid in $server_pid. It stops at once on
# SIGTERM (no drain: nothing is in flight when the script stops a server).
start_server() {
  local name=$1 port=$2; shift 2
  (cd "$APP" && exec dotnet TileServer.Api.dll --urls "http://127.0.0.1:$port" --Serilog:MinimumLevel:Default=Warning \
     --TileServer:Shutdown:DrainSeconds=0 "$@") \
    >"$work/$name.log" 2>&1 &
  server_pid=$!
  pids+=("$server_pid")
  wait_http "http://127.0.0.1:$port/readyz" 90 || die "$name did not become ready on 127.0.0.1:$port" "$work/$name.log"
}

# ==== replicas ====================================================================================================
if [ "$MODE" = replicas ]; then
  CONNECTIONS=${CONNECTIONS:-16}
  WARMUP=${WARMUP:-3}
  TILE_CACHE_BYTES=${TILE_CACHE_BYTES:-0}
  N_TILES=${N_TILES:-60000}
  REPEATS=${REPEATS:-2}
  dataset="--TileServer:Datasets:bluemarble:Path=$ROOT/tests/data/real/blue-marble/blue-marble.zarr"

  # The paths: Blue Marble (2048 x 1024, EPSG:4326) warped to WebMercatorQuad PNG, z1-z8, drawn without repetition
  # (bench/load/urls.py, seed 42) and shuffled; the last 3,000 are the warm-up's, the first N_TILES the measured
  # list's, so warming up never puts a measured tile in Redis. The measured list takes the tiles 500 at a time and
  # lists each of them REPEATS times in shuffled order within its block: every tile reaches the replicas REPEATS
  # times within about REPEATS x 500 requests (the misses of REPEATS CDN caches, say). The list is longer than a run
  # walks, so any prefix of it has the same share of repeats, and both runs see the same share however fast they go.
  /usr/bin/python3 "$LOAD/urls.py" --bounds=-180,-85,180,85 --dataset bluemarble -n $((N_TILES + 3000)) --zooms 1-8 \
    --seed 42 -o "$work/pool.txt" 2>/dev/null || die "urls.py failed"
  tail -n 3000 "$work/pool.txt" >"$work/warm.txt"
  head -n "$N_TILES" "$work/pool.txt" | /usr/bin/python3 -c '
import random, sys
repeats, rng, tiles = int(sys.argv[1]), random.Random(7), sys.stdin.read().split()
for start in range(0, len(tiles), 500):
    block = tiles[start:start + 500] * repeats
    rng.shuffle(block)
    sys.stdout.write("".join(t + "\n" for t in block))
' "$REPEATS" >"$work/paths.txt"
  LINES=$(wc -l <"$work/paths.txt")

  # nginx: a plain round-robin load balancer over the two replicas, no proxy cache, no retries of its own.
  nginx_port=$(free_port); port_a=$(free_port); port_b=$(free_port)
  user_line=""; [ "$(id -u)" -eq 0 ] && user_line="user root;"
  mkdir -p "$work/nginx"
  cat >"$work/nginx/nginx.conf" <<CONF
$user_line
worker_processes auto; pid $work/nginx/nginx.pid; error_log $work/nginx/error.log warn; daemon off;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx/body; proxy_temp_path $work/nginx/proxy; fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi; scgi_temp_path $work/nginx/scgi;
  upstream replicas { server 127.0.0.1:$port_a; server 127.0.0.1:$port_b; keepalive 64; }
  server {
    listen 127.0.0.1:$nginx_port;
    location / {
      proxy_pass http://replicas;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$http_host;
      proxy_buffers 32 16k;
      proxy_max_temp_file_size 0;
      proxy_next_upstream off;
    }
  }
}
CONF
  nginx -p "$work/nginx" -e "$work/nginx/error.log" -c "$work/nginx/nginx.conf" >"$work/nginx.out" 2>&1 &
  pids+=($!)
  proxy=http://127.0.0.1:$nginx_port

  # metrics PORT: this replica's tile counters, one 'name{tier,result} value' per line, the other labels summed.
  metrics() {
    curl -sf "http://127.0.0.1:$1/metrics" | awk '
      /^tileserver_(tiles_rendered|tile_cache_lookups|tile_cache_joined)_total[{ ]/ {
        name = $1; sub(/\{.*/, "", name); sub(/^tileserver_/, "", name); sub(/_total$/, "", name)
        key = name
        if (match($1, /tier="[^"]*"/)) key = key " " substr($1, RSTART + 6, RLENGTH - 7)
        if (match($1, /result="[^"]*"/)) key = key "/" substr($1, RSTART + 8, RLENGTH - 9)
        sum[key] += $NF
      }
      END { for (k in sum) print k, sum[k] }' | sort
  }
  # delta BEFORE AFTER: counters of AFTER minus BEFORE.
  delta() { awk 'NR == FNR { before[$1 " " ($3 == "" ? "" : $2)] = $NF; next }
                 { k = $1 " " ($3 == "" ? "" : $2); printf "%s %d\n", k, $NF - before[k] }' "$1" "$2" | sed 's/  */ /g'; }
  count() { awk -v k="$2" '$1 " " $2 == k || ($1 == k && NF == 2) { s += $NF } END { print s + 0 }' "$1"; }
  cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }

  # one_run LABEL REDIS_SETTING: fresh replicas, warm-up, the measured run; sets r_* variables.
  one_run() {
    local label=$1 redis=$2 args=("$dataset" "--TileServer:TileCache:MemoryBytes=$TILE_CACHE_BYTES")
    [ -n "$redis" ] && args+=("--TileServer:TileCache:Redis=$redis")
    start_server "replica-a-$label" "$port_a" "${args[@]}"; pid_a=$server_pid
    start_server "replica-b-$label" "$port_b" "${args[@]}"; pid_b=$server_pid
    wait_http "$proxy/readyz" 20 || die "nginx does not answer on $proxy" "$work/nginx/error.log"

    # Warm-up (JIT, connections, chunks: the source is 2.5 MB and fits the chunk cache) on tiles that are not
    # measured, the same in both runs.
    echo "-- $label: warm-up ${WARMUP}s on 3,000 other tiles, $CONNECTIONS connections"
    "$LOAD/load.sh" "$proxy" "$work/warm.txt" "$CONNECTIONS" "$WARMUP" >"$work/warmup-$label.txt" 2>&1

    metrics "$port_a" >"$work/a-before"; metrics "$port_b" >"$work/b-before"
    local cpu_before=$(( $(cpu_ticks "$pid_a") + $(cpu_ticks "$pid_b") ))
    echo "-- $label: measured run, ${SECS}s, $CONNECTIONS connections, through nginx"
    WARMUP=0 "$LOAD/load.sh" "$proxy" "$work/paths.txt" "$CONNECTIONS" "$SECS" >"$work/run-$label.txt" 2>&1
    local cpu_after=$(( $(cpu_ticks "$pid_a") + $(cpu_ticks "$pid_b") ))
    metrics "$port_a" >"$work/a-after"; metrics "$port_b" >"$work/b-after"
    sed -n '/^Running/,/^---- summary/p' "$work/run-$label.txt" | grep -v '^---- summary' | sed 's/^/   /'
    local result; result=$(grep '^RESULT' "$work/run-$label.txt" | tail -1)
    [ -n "$result" ] || die "$label: wrk gave no result" "$work/run-$label.txt"
    value() { echo "$result" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
    r_rps=$(value rps); r_p50=$(value p50_ms); r_p99=$(value p99_ms); r_req=$(value requests)
    r_non2xx=$(value non2xx); r_errors=$(value socket_errors)
    delta "$work/a-before" "$work/a-after" >"$work/a-delta"; delta "$work/b-before" "$work/b-after" >"$work/b-delta"
    r_rendered=$(( $(count "$work/a-delta" tiles_rendered) + $(count "$work/b-delta" tiles_rendered) ))
    r_hits=$(( $(count "$work/a-delta" "tile_cache_lookups redis/hit") + $(count "$work/b-delta" "tile_cache_lookups redis/hit") ))
    r_cpu=$(awk -v t=$(( cpu_after - cpu_before )) -v hz="$(getconf CLK_TCK)" -v n="$r_req" 'BEGIN { printf "%.2f", (n > 0 ? t * 1000 / hz / n : 0) }')
    echo "   tiles/s $r_rps, p50 $r_p50 ms, p99 $r_p99 ms; $r_req requests: $(awk -v r="$r_req" -v n="$LINES" 'BEGIN { printf "%.0f", 100 * r / n }') % of the list's $LINES; non-2xx $r_non2xx, socket errors $r_errors"
    echo "   both replicas: $r_rendered tiles rendered ($(awk -v a="$r_rendered" -v r="$r_req" 'BEGIN { printf "%.2f", (r > 0 ? a / r : 0) }') per request), $r_hits Redis hits, ${r_cpu} ms replica CPU per request (user + system, both replicas)"
    local side
    for side in a b; do
      echo "   replica $side: $(awk '{ printf "%s%s %s", (NR > 1 ? ", " : ""), $1 ($3 == "" ? "" : " " $2), $NF }' "$work/$side-delta")"
    done
    r_result=$result
    stop "$pid_a"; stop "$pid_b"
  }

  echo "== paths: $N_TILES distinct tiles, $(head -n "$N_TILES" "$work/pool.txt" | awk -F/ '{ z[$4]++ } END { for (k in z) printf "z%s:%d ", k, z[k] }' | tr ' ' '\n' | sort -t: -k1.2n | xargs), each listed $REPEATS times within blocks of $((REPEATS * 500)): $LINES requests"
  echo "== replicas: two replicas (TileServer:TileCache:MemoryBytes=$TILE_CACHE_BYTES$([ "$TILE_CACHE_BYTES" = 0 ] && echo ': in-process tier off')) behind nginx round robin, proxy cache off, $CONNECTIONS connections, ${SECS}s per run"
  one_run no-redis ""
  n_rps=$r_rps n_p50=$r_p50 n_p99=$r_p99 n_req=$r_req n_rendered=$r_rendered n_hits=$r_hits n_cpu=$r_cpu n_bad=$((r_non2xx + r_errors))

  redis_port=$(free_port)
  redis-server --bind 127.0.0.1 --port "$redis_port" --save "" --appendonly no --maxmemory "${REDIS_MAXMEMORY:-1gb}" \
    --maxmemory-policy allkeys-lru >"$work/redis.log" 2>&1 &
  redis_pid=$!; pids+=("$redis_pid")
  for _ in $(seq 1 50); do (exec 3<>"/dev/tcp/127.0.0.1/$redis_port") 2>/dev/null && break; sleep 0.1; done
  redis_cpu_before=$(cpu_ticks "$redis_pid")
  one_run redis "127.0.0.1:$redis_port"
  w_rps=$r_rps w_p50=$r_p50 w_p99=$r_p99 w_req=$r_req w_rendered=$r_rendered w_hits=$r_hits w_cpu=$r_cpu w_bad=$((r_non2xx + r_errors))
  redis_cpu=$(awk -v t=$(( $(cpu_ticks "$redis_pid") - redis_cpu_before )) -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", t / hz }')
  keys=$(command -v redis-cli >/dev/null && redis-cli -h 127.0.0.1 -p "$redis_port" dbsize 2>/dev/null || echo "?")
  mem=$(command -v redis-cli >/dev/null && redis-cli -h 127.0.0.1 -p "$redis_port" info memory 2>/dev/null | tr -d '\r' | sed -n 's/^used_memory_human://p' || echo "?")
  echo "   redis-server: $keys keys, ${mem:-?} used, ${redis_cpu} s CPU over warm-up and run"

  per() { awk -v a="$1" -v r="$2" 'BEGIN { printf "%.2f", (r > 0 ? a / r : 0) }'; }
  echo "== summary ($N_TILES distinct tiles listed $REPEATS times each, $CONNECTIONS connections, ${SECS}s each, memory tier $TILE_CACHE_BYTES B, load average $(cut -d' ' -f1-3 /proc/loadavg))"
  printf '   %-22s %10s %9s %9s %12s %14s %11s\n' run tiles/s "p50 ms" "p99 ms" rendered "renders/req" "Redis hits"
  printf '   %-22s %10s %9s %9s %12s %14s %11s\n' "without shared tier" "$n_rps" "$n_p50" "$n_p99" "$n_rendered" "$(per "$n_rendered" "$n_req")" "$n_hits"
  printf '   %-22s %10s %9s %9s %12s %14s %11s\n' "with Redis" "$w_rps" "$w_p50" "$w_p99" "$w_rendered" "$(per "$w_rendered" "$w_req")" "$w_hits"
  ratio=$(awk -v a="$w_rps" -v b="$n_rps" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
  echo "RESULT mode=replicas seconds=$SECS connections=$CONNECTIONS distinct_tiles=$N_TILES repeats=$REPEATS memory_tier_bytes=$TILE_CACHE_BYTES" \
       "no_redis_rps=$n_rps no_redis_p50_ms=$n_p50 no_redis_p99_ms=$n_p99 no_redis_requests=$n_req no_redis_rendered=$n_rendered no_redis_cpu_ms_per_request=$n_cpu" \
       "redis_rps=$w_rps redis_p50_ms=$w_p50 redis_p99_ms=$w_p99 redis_requests=$w_req redis_rendered=$w_rendered redis_hits=$w_hits redis_cpu_ms_per_request=$w_cpu" \
       "rps_ratio=$ratio"
  [ "$n_bad" -eq 0 ] && [ "$w_bad" -eq 0 ]; check $? "no non-2xx answers or socket errors (without Redis: $n_bad, with: $w_bad)"
  [ "$n_rendered" -gt 0 ] && [ "$w_req" -gt 0 ]; check $? "both runs served tiles"
  awk -v a="$w_rendered" -v ar="$w_req" -v b="$n_rendered" -v br="$n_req" 'BEGIN { exit !(ar > 0 && br > 0 && a / ar < b / br) }'
  check $? "renders per request fell with the shared tier ($(per "$n_rendered" "$n_req") -> $(per "$w_rendered" "$w_req"))"
  [ "$w_hits" -gt 0 ]; check $? "tiles came from Redis ($w_hits hits)"
  [ "$n_req" -le "$LINES" ] && [ "$w_req" -le "$LINES" ]
  check $? "neither run walked past the end of the list ($n_req and $w_req of $LINES requests; else raise N_TILES)"
  finish
fi

# ==== etag ========================================================================================================
REFRESH=${REFRESH:-1 5}
POLL_MS=${POLL_MS:-50}
store=$work/live/oisst.zarr
mkdir -p "$work/live"
cp -r "$ROOT/data/demo/oisst.zarr" "$store"
tile=/tiles/live/1/1/0.png
poll_s=$(awk -v m="$POLL_MS" 'BEGIN { printf "%.3f", m / 1000 }')
# etag URL [curl args]: the response's status and ETag, 'STATUS ETAG'.
etag() {
  curl -s -o /dev/null -D - -w '%{http_code}\n' "${@:2}" "$1" | tr -d '\r' \
    | awk 'tolower($1) == "etag:" { e = $2 } /^[0-9][0-9][0-9]$/ { s = $1 } END { print s, e }'
}
# change STORE VALUE: a new root attribute in .zattrs and in .zmetadata, each file replaced at once (write + rename);
# prints the clock (ms since the epoch) when the second rename was done.
change() {
  /usr/bin/python3 - "$1" "$2" <<'EOF'
import json, os, sys, time
store, value = sys.argv[1], sys.argv[2]
for name, select in ((".zattrs", lambda d: d), (".zmetadata", lambda d: d["metadata"][".zattrs"])):
    path = os.path.join(store, name)
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    select(doc)["ops_bench_change"] = value
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=4)
    os.replace(path + ".tmp", path)
print(time.time_ns() // 1000000)
EOF
}
summary_parts=()
echo "== etag: changed store -> changed ETag; $TRIALS changes per RefreshSeconds value ($REFRESH), tile polled every ${POLL_MS} ms"
for refresh in $REFRESH; do
  port=$(free_port)
  start_server "etag-refresh-$refresh" "$port" "--TileServer:Datasets:live:Path=$store" \
    "--TileServer:Datasets:live:DefaultVariable=sst" "--TileServer:Catalog:RefreshSeconds=$refresh"
  pid=$server_pid
  url=http://127.0.0.1:$port$tile
  echo "-- TileServer:Catalog:RefreshSeconds=$refresh ($tile of a copy of data/demo/oisst.zarr)"
  times=()
  cond_ok=0
  deadline_polls=$(( (refresh * 3 + 10) * 1000 / POLL_MS ))
  for trial in $(seq 1 "$TRIALS"); do
    read -r status old <<<"$(etag "$url")"
    [ "$status" = 200 ] && [ -n "$old" ] || { check 1 "refresh $refresh, change $trial: tile answered $status with ETag '$old'"; continue; }
    # Start at a random point of the refresh period (the previous change was seen just after a refresh).
    sleep "$(awk -v r="$RANDOM" -v p="$refresh" 'BEGIN { printf "%.3f", r / 32768 * p }')"
    written=$(change "$store" "$refresh-$trial-$RANDOM")
    new="" seen=""
    for _ in $(seq 1 "$deadline_polls"); do
      read -r status e <<<"$(etag "$url")"
      if [ "$status" = 200 ] && [ -n "$e" ] && [ "$e" != "$old" ]; then seen=$(now_ms); new=$e; break; fi
      sleep "$poll_s"
    done
    if [ -z "$seen" ]; then
      check 1 "refresh $refresh, change $trial: the ETag did not change within $((refresh * 3 + 10)) s"
      continue
    fi
    elapsed=$((seen - written))
    times+=("$elapsed")
    read -r s_old e_old <<<"$(etag "$url" -H "If-None-Match: $old")"
    read -r s_new _ <<<"$(etag "$url" -H "If-None-Match: $new")"
    echo "   change $trial: new ETag after $elapsed ms ($old -> $new); If-None-Match old: $s_old $e_old; If-None-Match new: $s_new"
    if [ "$s_old" = 200 ] && [ "$e_old" = "$new" ] && [ "$s_new" = 304 ]; then cond_ok=$((cond_ok + 1)); fi
  done
  changes=$(curl -sf "http://127.0.0.1:$port/metrics" | awk '/^tileserver_dataset_version_changes_total[{ ]/ { s += $NF } END { print s + 0 }')
  stop "$pid"
  n=${#times[@]}
  if [ "$n" -gt 0 ]; then
    read -r median max min <<<"$(printf '%s\n' "${times[@]}" | sort -n | awk '{ v[NR] = $1 } END { m = (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2); print m, v[NR], v[1] }')"
    echo "   RefreshSeconds=$refresh: changed store -> changed ETag median $median ms, max $max ms, min $min ms over $n changes; dataset_version_changes_total $changes"
    late=$(printf '%s\n' "${times[@]}" | awk -v limit=$((refresh * 1000 + 500)) '$1 > limit { n++ } END { print n + 0 }')
    [ "$late" -gt 0 ] && echo "   note: $late of $n changes took longer than RefreshSeconds + 0.5 s (a refresh came late or was skipped)"
    summary_parts+=("refresh_${refresh}s_median_ms=$median refresh_${refresh}s_max_ms=$max refresh_${refresh}s_min_ms=$min refresh_${refresh}s_changes=$n refresh_${refresh}s_late=$late")
  fi
  [ "$n" -eq "$TRIALS" ]; check $? "RefreshSeconds=$refresh: every change ($n of $TRIALS) gave a new ETag"
  [ "$cond_ok" -eq "$TRIALS" ]; check $? "RefreshSeconds=$refresh: If-None-Match with the old ETag got 200 and the new ETag, with the new one 304 ($cond_ok of $TRIALS)"
done
echo "RESULT mode=etag n=$TRIALS poll_ms=$POLL_MS ${summary_parts[*]}"
finish
