#!/usr/bin/env bash
# installers/debian/changelog parses as a Debian changelog and its latest entry is this
# version (the packages are PROJECT_VERSION-1), so a version bump can't forget it.
# Usage: changelog-test.sh CHANGELOG PROJECT_VERSION
set -euo pipefail
changelog=$1 version=$2
parsed=$(dpkg-parsechangelog -l "$changelog" -S Version) || { echo "FAIL: not a Debian changelog"; exit 1; }
[ "$parsed" = "$version-1" ] ||
  { echo "FAIL: the changelog's latest version is $parsed, the project's is $version (want $version-1)"; exit 1; }
dpkg-parsechangelog -l "$changelog" -S Date >/dev/null
echo "changelog at $parsed"
