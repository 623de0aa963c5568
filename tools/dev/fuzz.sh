#!/usr/bin/env bash
# Builds the libFuzzer harnesses (tests/fuzz) with clang in build-fuzz/ and runs each for a
# bounded time: tools/dev/fuzz.sh [seconds-per-harness] [harness...]   (default 60 s, all).
# Each harness starts from a scratch copy of its committed corpus (tests/fuzz/corpus/<name>, which
# is only read) and its dictionary; what it finds goes to fuzz-results/<name>/: the grown corpus,
# the log, and any crashing, leaking or slow input, whose path and base64 are printed. Exits
# non-zero if any harness failed. FUZZ_JOBS harnesses run at once (default: one per core);
# FUZZ_RESULTS names another results folder.
# Installs what's missing (Debian 12 or newer), as root or with sudo.
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds=${1:-60}
shift $(($# > 0 ? 1 : 0))
if ! [[ $seconds =~ ^[0-9]+$ ]] || [ "$seconds" -lt 1 ]; then
  echo "usage: $0 [seconds-per-harness] [harness...]" >&2
  exit 2
fi

# clang with its sanitizer and libFuzzer runtimes (libclang-rt-dev follows Debian's default
# clang, as the clang package does), and what the project's configure step needs.
packages=(clang libclang-rt-dev cmake ninja-build qt6-base-dev qt6-websockets-dev)
source tools/dev/lib/install-missing.sh
install_missing "${packages[@]}"

build=build-fuzz
results=${FUZZ_RESULTS:-fuzz-results}
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD}
fi
# The tests and the admin app are off: only the harnesses are built, from the decoders' sources.
CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DFLACK_BUILD_FUZZERS=ON -DFLACK_BUILD_TESTS=OFF -DFLACK_BUILD_ADMIN=OFF "${launcher[@]}" >/dev/null
cmake --build "$build" --target flack_fuzzers -j "$(nproc)"

if [ $# -gt 0 ]; then
  harnesses=("$@")
else
  harnesses=()
  for binary in "$build"/fuzz/fuzz_*; do harnesses+=("${binary##*/fuzz_}"); done
fi

# One harness: its exit code is libFuzzer's (0 only when the time ran out with nothing found).
run_one() {
  local name=$1 out=$results/$1
  rm -rf "$out"
  mkdir -p "$out/corpus" "$out/artifacts"
  if [ -d tests/fuzz/corpus/"$name" ]; then cp -r tests/fuzz/corpus/"$name"/. "$out/corpus/"; fi
  local dict=()
  [ -f tests/fuzz/dict/"$name".dict ] && dict=(-dict=tests/fuzz/dict/"$name".dict)
  # -timeout: an input slower than 10 s is a hang (a timeout artifact); leaks are reported at
  # exit by ASan (detect_leaks is on by default for libFuzzer).
  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
  UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
    "$build/fuzz/fuzz_$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2560 \
    -print_final_stats=1 -artifact_prefix="$out/artifacts/" "${dict[@]}" "$out/corpus" \
    >"$out/log" 2>&1
}

jobs=${FUZZ_JOBS:-$(nproc)}
echo "== fuzzing ${#harnesses[@]} harnesses for ${seconds} s each, $jobs at a time =="
declare -A status
pending=("${harnesses[@]}")
running=()
while [ ${#pending[@]} -gt 0 ] || [ ${#running[@]} -gt 0 ]; do
  while [ ${#pending[@]} -gt 0 ] && [ ${#running[@]} -lt "$jobs" ]; do
    name=${pending[0]}
    pending=("${pending[@]:1}")
    [ -x "$build/fuzz/fuzz_$name" ] || { echo "no harness named $name" >&2; exit 2; }
    run_one "$name" &
    running+=("$!:$name")
  done
  # Wait for the oldest: they all run equally long.
  entry=${running[0]}
  running=("${running[@]:1}")
  if wait "${entry%%:*}"; then status[${entry#*:}]=0; else status[${entry#*:}]=$?; fi
done

failed=0
printf '%-16s %-7s %12s %8s %6s %7s %7s\n' harness result execs exec/s cov ft corpus
for name in "${harnesses[@]}"; do
  log=$results/$name/log
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  # libFuzzer's last status line: "#N DONE cov: C ft: F corp: K/S ..." (or the last progress one).
  last=$(grep -E '^#[0-9]+' "$log" | grep -E ' cov: ' | tail -1 || true)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  corp=$(sed -n 's/.* corp: \([0-9]*\/[0-9]*[a-zA-Z]*\).*/\1/p' <<<"$last")
  result=ok
  if [ "${status[$name]}" -ne 0 ] || [ -z "$execs" ] || [ "${execs:-0}" -eq 0 ]; then
    result=FAILED
    failed=1
  fi
  printf '%-16s %-7s %12s %8s %6s %7s %7s\n' "$name" "$result" "${execs:-?}" "${rate:-?}" \
    "${cov:-?}" "${ft:-?}" "${corp:-?}"
done

if [ "$failed" -ne 0 ]; then
  for name in "${harnesses[@]}"; do
    [ "${status[$name]}" -ne 0 ] || continue
    echo
    echo "== $name failed (exit ${status[$name]}); its log ($results/$name/log) ends:"
    grep -E 'ERROR|SUMMARY|fuzz check failed|runtime error|Test unit written' "$results/$name/log" \
      | head -20 || tail -30 "$results/$name/log"
    for artifact in "$results/$name"/artifacts/*; do
      [ -f "$artifact" ] || continue
      echo "input kept: $artifact ($(stat -c %s "$artifact") bytes); reproduce with:"
      echo "  $build/fuzz/fuzz_$name $artifact"
      echo "base64:"
      head -c 65536 "$artifact" | base64 -w 76
    done
  done
  echo "fuzzing FAILED"
  exit 1
fi
echo "fuzzing passed: no crash, leak or timeout in ${#harnesses[@]} harnesses"
