#!/usr/bin/env bash
# Installs what's missing, then builds and runs every test twice, as CI does:
# a normal build (warnings are errors), and a build with AddressSanitizer and
# UndefinedBehaviorSanitizer, where any sanitizer report fails the test that caused it.
# Then every libFuzzer harness runs for a short while (a crash, leak or hang fails it), and
# the packages are built and tested (tools/dev/test-packages.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
tools/dev/install-deps.sh

jobs=$(nproc)
# Each phase says when it starts, so a slow run shows where its time went.
phase() { printf '== %s (at %dm%02ds) ==\n' "$1" $((SECONDS / 60)) $((SECONDS % 60)); }
run_suite() {
  local dir=$1; shift
  cmake -S . -B "$dir" -G Ninja -DFLACK_WARNINGS_AS_ERRORS=ON "$@"
  cmake --build "$dir" -j "$jobs"
  phase "$dir: tests"
  ctest --test-dir "$dir" --output-on-failure --no-tests=error -j "$jobs"
}

# Line tables only (-g1): enough for the backtraces and sanitizer reports a failure prints, and
# the builds are most of this script's time (full debug info costs each file 10-20 % more).
phase "normal build"
run_suite build-ci -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG"
phase "AddressSanitizer + UndefinedBehaviorSanitizer build"
run_suite build-asan -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-g1" -DFLACK_SANITIZE=ON
phase "libFuzzer harnesses (clang, ASan+UBSan), 25 s each"
tools/dev/fuzz.sh 25
# The packages: a Release build of its own (Debian's hardening flags), CPack, then lintian,
# rpmlint and the install test in a fresh Debian 12 chroot. Not sanitized: what ships.
phase "packages"
tools/dev/test-packages.sh
phase "all test suites passed"
