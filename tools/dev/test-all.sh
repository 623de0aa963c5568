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
run_suite() {
  local dir=$1; shift
  cmake -S . -B "$dir" -G Ninja -DFLACK_WARNINGS_AS_ERRORS=ON "$@"
  cmake --build "$dir" -j "$jobs"
  ctest --test-dir "$dir" --output-on-failure --no-tests=error -j "$jobs"
}

echo "== normal build =="
run_suite build-ci -DCMAKE_BUILD_TYPE=RelWithDebInfo
echo "== AddressSanitizer + UndefinedBehaviorSanitizer build =="
run_suite build-asan -DCMAKE_BUILD_TYPE=Debug -DFLACK_SANITIZE=ON
echo "== libFuzzer harnesses (clang, ASan+UBSan), 25 s each =="
tools/dev/fuzz.sh 25
# The packages: a Release build of its own (Debian's hardening flags), CPack, then lintian,
# rpmlint and the install test in a fresh Debian 12 chroot. Not sanitized: what ships.
echo "== packages =="
tools/dev/test-packages.sh
echo "all test suites passed"
