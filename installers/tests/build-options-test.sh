#!/usr/bin/env bash
# The part-build options: just the admin app configures (no server or tools targets), and
# asking for the tests without the server they start is a clear configure error.
# Usage: build-options-test.sh SOURCE_DIR SCRATCH_DIR
set -euo pipefail
src=$1 scratch=$2
rm -rf "$scratch"; mkdir -p "$scratch"
trap 'rm -rf "$scratch"' EXIT
if cmake -S "$src" -B "$scratch/tests-no-server" -G Ninja -DFLACK_BUILD_SERVER=OFF \
    -DFLACK_BUILD_TESTS=ON > "$scratch/log1" 2>&1; then
  echo "FAIL: tests without the server configured"; exit 1
fi
grep -q "FLACK_BUILD_TESTS needs FLACK_BUILD_SERVER" "$scratch/log1" ||
  { cat "$scratch/log1"; echo "FAIL: not the explaining error"; exit 1; }
cmake -S "$src" -B "$scratch/admin-only" -G Ninja -DFLACK_BUILD_SERVER=OFF -DFLACK_BUILD_TOOLS=OFF \
  -DFLACK_BUILD_TESTS=OFF > "$scratch/log2" 2>&1 || { cat "$scratch/log2"; echo "FAIL: admin-only configure"; exit 1; }
targets=$(ninja -C "$scratch/admin-only" -t targets all | sed 's/:.*//')
grep -qx 'admin-gui/flack-admin' <<< "$targets" || { echo "FAIL: no flack-admin target"; exit 1; }
if grep -E '(^|/)(flack-server|flack-client|flack-bench)$' <<< "$targets"; then
  echo "FAIL: an admin-only build has the targets above"; exit 1
fi
# Its packages: only flack-admin.
grep -q 'set(CPACK_COMPONENTS_ALL "admin")' "$scratch/admin-only/CPackConfig.cmake" ||
  { grep CPACK_COMPONENTS_ALL "$scratch/admin-only/CPackConfig.cmake"; echo "FAIL: admin-only packages"; exit 1; }
echo "admin-only configure: flack-admin alone; tests without the server: refused"
