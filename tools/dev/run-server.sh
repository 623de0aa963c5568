#!/usr/bin/env bash
# Installs what's missing, builds a release flack-server and starts it on
# http://localhost:8080/ (extra arguments are passed to flack-server).
set -euo pipefail
cd "$(dirname "$0")/../.."
tools/dev/install-deps.sh
cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release -DFLACK_BUILD_TESTS=OFF
cmake --build build-release
exec build-release/server/flack-server "$@"
