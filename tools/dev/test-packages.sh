#!/usr/bin/env bash
# Builds the packages (tools/dev/package.sh) and runs the packaging tests on them: contents,
# lintian, rpmlint, and the install test in a fresh Debian 12 chroot (needs root and the
# network to the Debian archive). Installs the checking tools it needs.
# Usage: tools/dev/test-packages.sh [extra CMake arguments for package.sh]
set -euo pipefail
cd "$(dirname "$0")/../.."
build_dir=${BUILD_DIR:-build-package}

packages=(
  lintian rpmlint        # the packages' linters
  debootstrap            # the install test's fresh Debian 12
  desktop-file-utils     # desktop-file-validate
  appstream              # appstreamcli validate
  systemd                # systemd-analyze verify
  curl iproute2          # the install test talks to the installed server in a netns of its own
)
source tools/dev/lib/install-missing.sh
install_missing "${packages[@]}"

FLACK_PACKAGING_TESTS=ON BUILD_DIR=$build_dir tools/dev/package.sh "$@"
ctest --test-dir "$build_dir" -L packaging --output-on-failure --no-tests=error
