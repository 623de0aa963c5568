#!/usr/bin/env bash
# Builds Flack's packages: installs what's missing (Debian's packages), builds Release in
# build-package/ with Debian's hardening flags, runs CPack and leaves the .deb and .rpm files
# in dist/ (flack-server, flack-admin, flack-tools). Runs as root, or as a user with sudo.
# Usage: tools/dev/package.sh [extra CMake arguments]
# Environment: BUILD_DIR (default build-package), DIST_DIR (default dist),
#              FLACK_PACKAGING_TESTS=ON to add the packaging tests (tools/dev/test-packages.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."

build_dir=${BUILD_DIR:-build-package}
dist_dir=${DIST_DIR:-dist}

packages=(
  build-essential cmake ninja-build pkg-config
  qt6-base-dev qt6-websockets-dev libgl-dev qt6-base-private-dev
  dpkg-dev file          # CPack DEB: dpkg-shlibdeps computes Depends, file finds the binaries
  rpm                    # CPack RPM: rpmbuild
  help2man               # the man pages, from each program's --help
  librsvg2-bin           # rsvg-convert: the PNG icons from the SVG
)
source tools/dev/lib/install-missing.sh
install_missing "${packages[@]}"

# Debian's hardening (fortify, stack protector, full RELRO, bind now) as lintian checks it.
# Without -g: the packages are stripped and there is no debug-symbol package, so debug info
# would only cost build time.
export DEB_BUILD_MAINT_OPTIONS=hardening=+all
cxxflags="$(dpkg-buildflags --get CXXFLAGS) $(dpkg-buildflags --get CPPFLAGS)"
cxxflags=$(sed -e 's/\(^\| \)-g\( \|$\)/ /' <<< "$cxxflags")
ldflags=$(dpkg-buildflags --get LDFLAGS)

launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
cmake -S . -B "$build_dir" -G Ninja "${launcher[@]}" \
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr \
  -DCMAKE_CXX_FLAGS="$cxxflags" -DCMAKE_EXE_LINKER_FLAGS="$ldflags" \
  -DFLACK_BUILD_TESTS=OFF -DFLACK_WARNINGS_AS_ERRORS=ON -DFLACK_PACKAGE_EXTRAS=ON \
  -DFLACK_PACKAGING_TESTS="${FLACK_PACKAGING_TESTS:-OFF}" "$@"
cmake --build "$build_dir" -j "$(nproc)"

# Packages of an earlier version or configuration must not be mistaken for these.
rm -rf "$build_dir/packages" "$dist_dir"
(cd "$build_dir" && cpack)
mkdir -p "$dist_dir"
find "$build_dir/packages" -maxdepth 1 -type f \( -name '*.deb' -o -name '*.rpm' \) \
  -exec cp {} "$dist_dir/" \;
echo "packages in $dist_dir/:"
ls -l "$dist_dir"
