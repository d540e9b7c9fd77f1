#!/usr/bin/env bash
# Loads two running tile servers (ours and a baseline) the same way, one after the other, and compares them.
#
# Usage: bench/load/compare.sh OURS_BASE BASELINE_BASE URLFILE [connections=8] [seconds=20]
#   env: OURS_PID, BASELINE_PID  sample each server's memory (see load.sh)
#        ROUNDS=N                alternate ours / baseline N times (default 1); figures are medians over rounds
#        WARMUP=S                unrecorded warm-up before each run (default 5)
# Both get the same paths, connections and duration, so the ratios compare; absolute figures hold only for this run
# on this machine. First checks that both answer the first path with an image. Prints both load reports, a table,
# the throughput ratio (ours / baseline) and the p50 latency ratio (baseline / ours; > 1: ours answers faster),
# a 'COMPARE ...' line and 'N passed, N failed'.
set -u
OURS=${1:?usage: compare.sh OURS_BASE BASELINE_BASE URLFILE [connections] [seconds]}
BASELINE=${2:?usage: compare.sh OURS_BASE BASELINE_BASE URLFILE [connections] [seconds]}
URLFILE=${3:?usage: compare.sh OURS_BASE BASELINE_BASE URLFILE [connections] [seconds]}
CONNECTIONS=${4:-8}
SECONDS_LOAD=${5:-20}
HERE=$(cd "$(dirname "$0")" && pwd)
export WARMUP=${WARMUP:-5}
TMP=$(mktemp -d -t compare.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
passed=0 failed=0
check() { if [ "$1" = 0 ]; then passed=$((passed + 1)); echo "PASS: $2"; else failed=$((failed + 1)); echo "FAIL: $2"; fi; }

first=$(head -1 "$URLFILE")
for side in ours baseline; do
  base=$OURS; [ $side = baseline ] && base=$BASELINE
  answer=$(curl -s -o /dev/null -w '%{http_code} %{content_type}' --max-time 60 "${base%/}$first")
  [ "${answer%% *}" = 200 ] && [[ $answer == *image/* ]]; check $? "$side answers ${base%/}$first: $answer"
done
[ "$failed" -eq 0 ] || { echo "$passed passed, $failed failed"; exit 1; }

for round in $(seq 1 "${ROUNDS:-1}"); do
  for side in ours baseline; do
    base=$OURS pid=${OURS_PID:-}
    [ $side = baseline ] && base=$BASELINE pid=${BASELINE_PID:-}
    echo; echo "======== round $round: $side ($base)"
    SERVER_PID=$pid "$HERE/load.sh" "$base" "$URLFILE" "$CONNECTIONS" "$SECONDS_LOAD" | tee "$TMP/run.out"
    grep '^RESULT' "$TMP/run.out" >> "$TMP/$side.results"
    grep -q '^3 passed, 0 failed$' "$TMP/run.out"; check $? "$side, round $round: the load run was clean"
  done
done

echo
/usr/bin/python3 - "$TMP/ours.results" "$TMP/baseline.results" "$CONNECTIONS" "$SECONDS_LOAD" "${ROUNDS:-1}" <<'EOF'
import statistics
import sys

def rows(path):
    return [dict(kv.split("=", 1) for kv in line.split()[1:]) for line in open(path)]

ours, base = rows(sys.argv[1]), rows(sys.argv[2])
median = lambda runs, key: statistics.median(float(r.get(key, 0)) for r in runs)
print(f"==== {sys.argv[3]} connections, {sys.argv[4]} s, median of {sys.argv[5]} round(s)")
print(f"{'':14}{'ours':>12}{'baseline':>12}")
for label, key in (("requests/s", "rps"), ("p50 ms", "p50_ms"), ("p90 ms", "p90_ms"), ("p99 ms", "p99_ms"),
                   ("non-2xx", "non2xx"), ("peak RSS kB", "peak_rss_kb")):
    print(f"{label:14}{median(ours, key):>12.1f}{median(base, key):>12.1f}")
throughput = median(ours, "rps") / median(base, "rps")
latency = median(base, "p50_ms") / median(ours, "p50_ms")
print(f"throughput ratio (ours / baseline): {throughput:.2f}x")
print(f"p50 latency ratio (baseline / ours): {latency:.2f}x")
print(f"COMPARE rps_ratio={throughput:.3f} p50_ratio={latency:.3f} ours_rps={median(ours, 'rps'):.1f} "
      f"baseline_rps={median(base, 'rps'):.1f} ours_p50_ms={median(ours, 'p50_ms'):.2f} baseline_p50_ms={median(base, 'p50_ms'):.2f}")
EOF
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
