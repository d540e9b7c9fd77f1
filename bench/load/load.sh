#!/usr/bin/env bash
# Loads one running tile server with wrk, walking a file of tile paths, and reports throughput, latency and memory.
#
# Usage: bench/load/load.sh BASE URLFILE [connections=8] [seconds=20]
#   env: SERVER_PID    sample this process's resident memory every 0.2 s during the run (peak reported)
#        WARMUP=S      seconds of unrecorded load first (default 0; a JIT-compiled server wants a few)
#        MAX_REQUESTS  stop after this many responses even before the time is up (default 1000000)
#        THREADS       wrk threads (default: min(connections, CPUs))
# BASE must be on this machine (loopback). Every run is bounded by time and request count and stops by itself.
# Prints wrk's report, a summary, a 'RESULT key=value ...' line and 'N passed, N failed' (some requests done, no
# non-2xx answers, no socket errors); exits 1 when a check failed.
set -u
BASE=${1:?usage: load.sh BASE URLFILE [connections] [seconds]}
URLFILE=${2:?usage: load.sh BASE URLFILE [connections] [seconds]}
CONNECTIONS=${3:-8}
SECONDS_LOAD=${4:-20}
BASE=${BASE%/}
HERE=$(cd "$(dirname "$0")" && pwd)
command -v wrk >/dev/null || { echo "FAIL: wrk not found: apt-get install wrk"; echo "0 passed, 1 failed"; exit 1; }
[ -s "$URLFILE" ] || { echo "FAIL: no paths in $URLFILE"; echo "0 passed, 1 failed"; exit 1; }
case "$(echo "$BASE" | sed -E 's#^[a-z]+://(\[[^]]*\]|[^:/]*).*#\1#')" in
  localhost|127.*|\[::1\]) ;;
  *) echo "FAIL: $BASE is not on this machine: load only loopback servers"; echo "0 passed, 1 failed"; exit 1 ;;
esac
CPUS=$(nproc)
THREADS=${THREADS:-$(( CONNECTIONS < CPUS ? CONNECTIONS : CPUS ))}
export URLFILE=$(cd "$(dirname "$URLFILE")" && pwd)/$(basename "$URLFILE")
export WRK_THREADS=$THREADS MAX_REQUESTS=${MAX_REQUESTS:-1000000}
TMP=$(mktemp -d -t load.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

if [ "${WARMUP:-0}" -gt 0 ]; then
  echo "warm-up: ${WARMUP}s at $CONNECTIONS connections (not recorded)"
  timeout $(( WARMUP + 30 )) wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" --timeout 30s -s "$HERE/paths.lua" "$BASE" >/dev/null 2>&1
fi

# Server CPU time (user + system clock ticks of /proc/PID/stat) spent during the run: per request it is the work
# one answer costs, which a host shared with other jobs does not inflate the way it inflates latency.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$SERVER_PID/stat" 2>/dev/null || echo 0; }
sampler=""
if [ -n "${SERVER_PID:-}" ] && [ -r "/proc/$SERVER_PID/status" ]; then
  cpu_before=$(cpu_ticks)
  rss_before=$(awk '/^VmRSS:/ {print $2}' "/proc/$SERVER_PID/status")
  ( peak=0; deadline=$(( $(date +%s) + SECONDS_LOAD + 60 ))
    while [ ! -e "$TMP/stop" ] && [ "$(date +%s)" -lt "$deadline" ] && [ -r "/proc/$SERVER_PID/status" ]; do
      rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$SERVER_PID/status" 2>/dev/null)
      if [ -n "$rss" ] && [ "$rss" -gt "$peak" ]; then peak=$rss; echo "$peak" > "$TMP/peak"; fi
      sleep 0.2
    done ) &
  sampler=$!
fi

echo "wrk: $BASE, $(wc -l < "$URLFILE") paths, $CONNECTIONS connections, $THREADS threads, ${SECONDS_LOAD}s, at most $MAX_REQUESTS requests"
timeout $(( SECONDS_LOAD + 60 )) wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SECONDS_LOAD}s" --timeout 30s --latency \
  -s "$HERE/paths.lua" "$BASE" > "$TMP/wrk.out" 2>&1
touch "$TMP/stop"
[ -n "$sampler" ] && wait "$sampler"
[ -n "$sampler" ] && cpu_after=$(cpu_ticks)
grep -v '^RESULT' "$TMP/wrk.out"
result=$(grep '^RESULT' "$TMP/wrk.out" | tail -1)
if [ -z "$result" ]; then echo "FAIL: wrk gave no result"; echo "0 passed, 1 failed"; exit 1; fi
value() { echo "$result" | tr ' ' '\n' | sed -n "s/^$1=//p"; }

echo "---- summary"
echo "requests/s:    $(value rps) ($(value requests) requests in $(value seconds) s, $CONNECTIONS connections)"
echo "latency ms:    p50 $(value p50_ms)  p90 $(value p90_ms)  p99 $(value p99_ms)  max $(value max_ms)"
echo "non-2xx:       $(value non2xx)"
echo "socket errors: $(value socket_errors)"
if [ -n "$sampler" ]; then
  peak=$(cat "$TMP/peak" 2>/dev/null || echo 0)
  hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$SERVER_PID/status" 2>/dev/null || echo 0)
  echo "server RSS:    ${rss_before} kB before, ${peak} kB peak during the run, VmHWM ${hwm} kB since start"
  cpu_ms=$(awk -v t=$(( cpu_after - cpu_before )) -v hz="$(getconf CLK_TCK)" -v n="$(value requests)" 'BEGIN { printf "%.2f", (n > 0 ? t * 1000 / hz / n : 0) }')
  echo "server CPU:    ${cpu_ms} ms per request (user + system)"
  result="$result rss_before_kb=$rss_before peak_rss_kb=$peak vmhwm_kb=$hwm cpu_ms_per_request=$cpu_ms"
fi
echo "$result connections=$CONNECTIONS threads=$THREADS"
[ "$(value requests)" -ge "$MAX_REQUESTS" ] && echo "note: MAX_REQUESTS was reached before the time was up, so requests/s is understated"
passed=0 failed=0
check() { if [ "$1" = 0 ]; then passed=$((passed + 1)); echo "PASS: $2"; else failed=$((failed + 1)); echo "FAIL: $2"; fi; }
[ "$(value requests)" -gt 0 ]; check $? "requests completed: $(value requests)"
[ "$(value non2xx)" -eq 0 ]; check $? "non-2xx responses: $(value non2xx)"
[ "$(value socket_errors)" -eq 0 ]; check $? "socket errors and timeouts: $(value socket_errors)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
