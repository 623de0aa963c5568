#!/usr/bin/env bash
# Installs what building, running and testing Flack needs on Debian 12 (or newer), and only
# what is missing: Debian's packages, then the web client's npm packages.
# Runs as root, or as a user with sudo.
set -euo pipefail
cd "$(dirname "$0")/../.."

packages=(
  build-essential cmake ninja-build pkg-config
  qt6-base-dev qt6-websockets-dev libgl-dev   # Qt Core/Network/Widgets/Test, WebSockets
  qt6-base-private-dev                        # lets the server trim socket write buffers
  nodejs npm                                  # web client tests
  chromium                                    # browser end-to-end tests
  curl procps                                 # used by the test scripts
  openssl                                     # tst_tls makes its CA and certificates with it
  iproute2                                    # ip netns: the partition test's network
  prometheus                                  # promtool: tst_metrics checks /metrics with it
)
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
done
# Node.js may come from elsewhere than Debian's package (a newer one); keep it if it works.
if command -v node >/dev/null && command -v npm >/dev/null; then
  missing=("${missing[@]/nodejs}"); missing=("${missing[@]/npm}")
fi
read -r -a missing <<< "${missing[*]}"
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  # Only promtool is wanted from it: don't leave a Prometheus server running that nobody asked
  # for (one that was installed before is left alone).
  if [[ " ${missing[*]} " == *" prometheus "* ]] && command -v systemctl >/dev/null; then
    as_root systemctl disable --now prometheus.service >/dev/null 2>&1 || true
  fi
fi

# The web client's test tools (playwright-core drives Debian's chromium; no browser download).
if [ ! -d web/node_modules ] || [ web/package-lock.json -nt web/node_modules ]; then
  (cd web && npm ci --no-audit --no-fund)
fi
