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
# --fail-on warning: a warning is a failure unless an override explains it.
lintian --fail-on error,warning --display-info --show-overrides "${debs[@]}"
echo "lintian: no errors, no unexplained warnings in ${#debs[@]} packages"
