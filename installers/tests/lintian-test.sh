#!/usr/bin/env bash
# lintian on each .deb: no error and no warning that isn't overridden. Every override in
# installers/debian/*.lintian-overrides must say why, in a comment line right above it.
# Usage: lintian-test.sh DIST_DIR OVERRIDES_DIR
set -euo pipefail
dist=$1 overrides=$2
command -v lintian >/dev/null || { echo "FAIL: lintian is not installed" >&2; exit 1; }
for file in "$overrides"/*.lintian-overrides; do
  [ -e "$file" ] || continue
  awk -v f="$file" '
    /^#/ { commented = 1; next }
    /^[ \t]*$/ { commented = 0; next }
    { if (!commented) { print "FAIL: " f ": override without a reason above it: " $0; bad = 1 } }
    END { exit bad }' "$file"
done
debs=("$dist"/*.deb)
[ -f "${debs[0]}" ] || { echo "FAIL: no .deb in $dist" >&2; exit 1; }
# A warning is a failure unless an override explains it. The overrides are shown too (O:, with
# their reasons as N:); lintian's own --fail-on would count those as well, so the tags are read.
output=$(lintian --fail-on none --display-info --show-overrides "${debs[@]}" 2>&1) ||
  { echo "$output"; echo "FAIL: lintian could not check the packages"; exit 1; }
echo "$output"
if grep -qE '^[EW]: ' <<< "$output"; then
  echo "FAIL: lintian: $(grep -cE '^E: ' <<< "$output") errors, $(grep -cE '^W: ' <<< "$output") warnings not overridden"
  exit 1
fi
echo "lintian: no errors, no unexplained warnings in ${#debs[@]} packages" \
  "($(grep -cE '^O: ' <<< "$output") overridden, $(grep -cE '^I: ' <<< "$output") informational)"
