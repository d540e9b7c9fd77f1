#!/usr/bin/env bash
# A long fuzzing run of one target (the list: `tests/fuzz/run.sh list`; docs/fuzzing.md says what each one fuzzes).
#   tests/fuzz/run.sh TARGET SECONDS            coverage-guided: afl-fuzz (Debian afl++) driving SharpFuzz-instrumented
#                                               TileServer assemblies; needs `apt-get install afl++`
#   FUZZ_ENGINE=cscheck tests/fuzz/run.sh ...   CsCheck mutations for SECONDS (no instrumentation), shrinking failures
# Prints one closing line: 'TARGET: N executions in S s, C crashes, H hangs' (the figures docs/fuzzing.md records).
# Crashing inputs are kept in artifacts/fuzz/TARGET/out/default/crashes and replayed to show what escaped.
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

target=${1:?usage: tests/fuzz/run.sh TARGET SECONDS | list}
engine=${FUZZ_ENGINE:-afl}
bin=artifacts/fuzz/bin
work=artifacts/fuzz/$target

build() {
  # One instrumented build serves every target; FUZZ_REBUILD=1 forces a new one after source changes.
  if [ -f "$bin/.instrumented" ] && [ "${FUZZ_REBUILD:-0}" != 1 ]; then return; fi
  rm -rf "$bin"
  dotnet publish tests/TileServer.Fuzz -c Release -o "$bin" --nologo -v quiet
  if [ "$engine" = afl ]; then
    dotnet tool restore >/dev/null
    for dll in "$bin"/TileServer.*.dll; do
      case "$(basename "$dll")" in TileServer.Fuzz.dll) continue ;; esac
      dotnet sharpfuzz "$dll" >/dev/null
    done
    touch "$bin/.instrumented"
  fi
}

if [ "$target" = list ]; then
  build
  dotnet "$bin/TileServer.Fuzz.dll" list
  exit 0
fi

seconds=${2:?usage: tests/fuzz/run.sh TARGET SECONDS}

case "$engine" in
  cscheck)
    rm -f "$bin/.instrumented"
    FUZZ_REBUILD=1 engine=cscheck build
    dotnet "$bin/TileServer.Fuzz.dll" timed "$target" "$seconds"
    ;;
  afl)
    command -v afl-fuzz >/dev/null || { echo "afl-fuzz not found: install it with 'apt-get install afl++' (Debian 12: afl++ 4.04c)"; exit 1; }
    build
    rm -rf "$work"
    dotnet "$bin/TileServer.Fuzz.dll" seeds "$target" "$work/in"
    # .NET is not compiled with AFL's instrumentation (SharpFuzz instruments the IL instead) and runs a child process
    # per batch of inputs, so afl-fuzz's binary and CPU checks are skipped; memory is bounded by the harness itself.
    AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1 \
      afl-fuzz -i "$work/in" -o "$work/out" -t 10000 -m none -V "$seconds" \
      -- dotnet "$bin/TileServer.Fuzz.dll" afl "$target" > "$work/afl.log" 2>&1 || { tail -30 "$work/afl.log"; exit 1; }
    stats="$work/out/default/fuzzer_stats"
    value() { awk -F: -v k="$1" '$1 ~ "^"k" *$" { gsub(/ /, "", $2); print $2 }' "$stats"; }
    execs=$(value execs_done); crashes=$(value saved_crashes); hangs=$(value saved_hangs)
    elapsed=$(( $(value last_update) - $(value start_time) ))
    shopt -s nullglob
    found=("$work"/out/default/crashes/id:*)
    if [ ${#found[@]} -gt 0 ]; then dotnet "$bin/TileServer.Fuzz.dll" replay "$target" "${found[@]}" || true; fi
    echo "$target: $execs executions in $elapsed s, $crashes crashes, $hangs hangs (afl-fuzz, corpus $(ls "$work/out/default/queue" | wc -l) inputs)"
    [ "$crashes" = 0 ]
    ;;
  *)
    echo "FUZZ_ENGINE must be afl or cscheck, not '$engine'"; exit 2 ;;
esac
