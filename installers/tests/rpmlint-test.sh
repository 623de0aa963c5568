#!/usr/bin/env bash
# rpmlint on each .rpm: fails on any error or unfiltered warning. installers/rpm/rpmlintrc
# filters the findings that are right for these packages, each with its reason; rpmlint.toml
# beside it has the settings.
# Usage: rpmlint-test.sh DIST_DIR RPMLINTRC
set -euo pipefail
dist=$1 rc=$2
command -v rpmlint >/dev/null || { echo "FAIL: rpmlint is not installed" >&2; exit 1; }
rpms=("$dist"/*.rpm)
[ -f "${rpms[0]}" ] || { echo "FAIL: no .rpm in $dist" >&2; exit 1; }
for rpm in "${rpms[@]}"; do
  echo "== $(basename "$rpm"): requires"
  rpm -qpR "$rpm" 2>/dev/null | grep -v '^rpmlib(' | paste -sd' ' -
done
status=0
rpmlint -c "$(dirname "$rc")/rpmlint.toml" -r "$rc" "${rpms[@]}" | tee /tmp/rpmlint.$$ || status=$?
summary=$(tail -1 /tmp/rpmlint.$$); rm -f /tmp/rpmlint.$$
# rpmlint exits 64 on errors (66 on badness over the threshold); warnings alone exit 0, so
# they are read from its summary: each one left must be filtered, with its reason, in rpmlintrc.
[ "$status" -eq 0 ] || { echo "FAIL: rpmlint reported errors: $summary" >&2; exit 1; }
grep -q ' 0 warnings' <<< "$summary" || { echo "FAIL: rpmlint warnings not filtered: $summary" >&2; exit 1; }
echo "rpmlint: $summary"
