#!/usr/bin/env bash
# Install test of the Debian packages, as a new user would meet them: a fresh minimal Debian 12
# (debootstrap minbase, from this machine's configured apt source) gets the packages' dependencies,
# then the packages themselves with apt. In it:
#   - the postinst made the flack user, its state directory and enabled the unit;
#   - the server runs as the unit runs it (ExecStart, User=, LimitNOFILE= read from the installed
#     unit; there is no systemd in a chroot) in a network namespace of its own, on the conffile's
#     default port 8080, and serves / and /healthz;
#   - flack-admin --version runs on the offscreen platform, and the whole app connects to that
#     server's /admin and saves its screenshots (Qt's GUI libraries and plugins are all there);
#   - desktop-file-validate, appstreamcli validate and systemd-analyze verify accept the files;
# then apt purge leaves no file behind that wasn't there before the packages (file lists compared)
# and the service's state directory is gone.
# Usage: install-test.sh DIST_DIR. Needs root. Fails, never skips, when something is missing.
set -euo pipefail

fail() { echo "FAIL: $*" >&2; exit 1; }
note() { echo "== $* ($(( $(date +%s) - start ))s)"; }
start=$(date +%s)

# ---- inside the test's network namespace: run the server as its unit does, and use it ----
if [ "${1:-}" = --in-netns ]; then
  root=$2 work=$3
  unit=$root/lib/systemd/system/flack-server.service
  exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
  user=$(sed -n 's/^User=//p' "$unit")
  nofile=$(sed -n 's/^LimitNOFILE=//p' "$unit")
  workdir=$(sed -n 's/^WorkingDirectory=//p' "$unit")
  [ -n "$exec_start" ] && [ -n "$user" ] && [ -n "$nofile" ] || fail "unit lacks ExecStart/User/LimitNOFILE"
  # Room for the default --max-connections (10000) and the server's other descriptors.
  [ "$nofile" -ge 11024 ] || fail "the unit's LimitNOFILE=$nofile leaves no room for 10000 connections"
  # systemd sets LimitNOFILE as PID 1; here a process can't raise its hard limit above this
  # machine's, so the server gets the lower of the two.
  hard=$(ulimit -Hn)
  if [ "$hard" != unlimited ] && [ "$hard" -lt "$nofile" ]; then
    echo "note: this machine's hard limit on open files is $hard: the server runs with that" \
         "instead of the unit's $nofile"
    nofile=$hard
  fi
  ip link set lo up
  # The admin token as the ini's comments say to keep it: a file of its own, root:flack 0640.
  head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$root/etc/flack/admin.token"
  chroot "$root" chown root:flack /etc/flack/admin.token
  chmod 0640 "$root/etc/flack/admin.token"
  # setpriv: the unit's user and group, no capabilities, no new privileges.
  chroot "$root" /bin/sh -c "cd '$workdir' && ulimit -n $nofile && \
    FLACK_ADMIN_TOKEN_FILE=/etc/flack/admin.token exec setpriv --reuid='$user' --regid='$user' \
    --init-groups --no-new-privs --inh-caps=-all --bounding-set=-all -- $exec_start" \
    > "$work/server.log" 2>&1 &
  server=$!
  stop_server() {
    kill "$server" 2>/dev/null || return 0
    local deadline=$(( $(date +%s) + 10 ))
    while kill -0 "$server" 2>/dev/null; do
      [ "$(date +%s)" -lt "$deadline" ] || { kill -9 "$server" 2>/dev/null; break; }
      sleep 0.05
    done
  }
  trap stop_server EXIT
  deadline=$(( $(date +%s) + 30 ))
  until curl -fsS -o /dev/null http://127.0.0.1:8080/healthz 2>/dev/null; do
    kill -0 "$server" 2>/dev/null || { cat "$work/server.log"; fail "the server exited before serving"; }
    [ "$(date +%s)" -lt "$deadline" ] || { cat "$work/server.log"; fail "no /healthz within 30 s"; }
    sleep 0.1
  done
  uid=$(awk '/^Uid:/{print $2}' "/proc/$server/status")
  [ "$uid" = "$(chroot "$root" id -u "$user")" ] || fail "the server runs as uid $uid, not as $user"
  [ "$(awk '/Max open files/{print $4}' "/proc/$server/limits")" = "$nofile" ] ||
    fail "the server's open-file limit isn't $nofile"
  echo "server runs as $user (uid $uid), open files $nofile"
  curl -fsS http://127.0.0.1:8080/healthz > "$work/healthz" || fail "GET /healthz"
  echo "/healthz: $(head -c 200 "$work/healthz")"
  curl -fsS http://127.0.0.1:8080/ > "$work/index.html" || fail "GET /"
  grep -qi "<html" "$work/index.html" || fail "GET / is not the web client: $(head -c 200 "$work/index.html")"
  echo "/: the web client ($(wc -c < "$work/index.html") bytes)"

  chroot "$root" env QT_QPA_PLATFORM=offscreen flack-admin --version > "$work/admin-version" ||
    fail "flack-admin --version"
  grep -q "^flack-admin [0-9]" "$work/admin-version" || fail "flack-admin --version said: $(cat "$work/admin-version")"
  cat "$work/admin-version"
  # The whole app: window, widgets, the offscreen platform plugin, a websocket to /admin.
  mkdir -p "$root/tmp/shots" "$root/tmp/shots-runtime"
  chmod 0700 "$root/tmp/shots-runtime"
  timeout 60 chroot "$root" env QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR=/tmp/shots-runtime flack-admin \
    --url ws://127.0.0.1:8080/admin --token-file /etc/flack/admin.token \
    --screenshots /tmp/shots --screenshot-delay 1 > "$work/admin.log" 2>&1 ||
    { cat "$work/admin.log"; fail "flack-admin (offscreen, connected to the server) failed"; }
  shots=$(find "$root/tmp/shots" -name '*.png' -size +1k | wc -l)
  [ "$shots" -ge 1 ] || { cat "$work/admin.log"; fail "flack-admin saved no screenshot"; }
  echo "flack-admin connected and saved $shots screenshots"
  rm -rf "$root/tmp/shots" "$root/tmp/shots-runtime" "$root/etc/flack/admin.token"
  chroot "$root" flack-client --version
  chroot "$root" flack-bench --version
  exit 0
fi

dist=${1:?usage: install-test.sh DIST_DIR}
[ "$(id -u)" -eq 0 ] || fail "needs root (debootstrap, chroot, mounts)"
for tool in debootstrap curl desktop-file-validate appstreamcli systemd-analyze unshare ip dpkg-deb; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (tools/dev/test-packages.sh installs it)"
done
debs=()
for package in flack-server flack-admin flack-tools; do
  found=("$dist/${package}_"*.deb)
  [ -f "${found[0]}" ] || fail "no ${package}_*.deb in $dist (run tools/dev/package.sh)"
  debs+=("$(realpath "${found[0]}")")
done

# The Debian archive this machine uses (deb822 .sources or one-line sources.list).
mirror_for() {
  local suite=$1 sources=() lists=()
  for f in /etc/apt/sources.list.d/*.sources; do [ -f "$f" ] && sources+=("$f"); done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do [ -f "$f" ] && lists+=("$f"); done
  if [ ${#sources[@]} -gt 0 ]; then
    awk -v suite="$suite" '
      /^[ \t]*$/ { uris = ""; next }
      /^URIs:/ { uris = $2 }
      /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == suite && uris != "") { print uris; exit } }
    ' "${sources[@]}"
  fi
  if [ ${#lists[@]} -gt 0 ]; then
    awk -v suite="$suite" '$1 == "deb" && $3 == suite { print $2; exit }' "${lists[@]}"
  fi
}
mirror=$(mirror_for bookworm | head -1)
[ -n "$mirror" ] || fail "no bookworm entry in /etc/apt/sources.list{,.d/}: can't make the chroot"
security=$(mirror_for bookworm-security | head -1)

work=$(mktemp -d /var/tmp/flack-install-test.XXXXXX)
root=$work/root
# Every mount under $work (ours, or debootstrap's if it was interrupted), deepest first.
mounts_under() { awk -v w="$work/" 'index($2, w) == 1 { print $2 }' /proc/self/mounts | sort -r; }
cleanup() {
  local status=$?
  for m in $(mounts_under); do umount "$m" 2>/dev/null || umount -l "$m" || true; done
  if [ -n "$(mounts_under)" ]; then
    echo "FAIL: still mounted: $(mounts_under | tr '\n' ' '); $work left in place" >&2
    exit 1
  fi
  # --one-file-system: even if a mount slipped past the check, never delete through it.
  rm -rf --one-file-system "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# The long steps have deadlines of their own (timeout ...), well inside ctest's: a test that
# ctest kills can't unmount, one that fails by itself does.

note "debootstrap --variant=minbase bookworm from $mirror"
timeout 300 debootstrap --variant=minbase bookworm "$root" "$mirror" > "$work/debootstrap.log" 2>&1 ||
  { tail -30 "$work/debootstrap.log"; fail "debootstrap could not make the chroot (log above)"; }
{
  echo "deb $mirror bookworm main"
  echo "deb $mirror bookworm-updates main"
  if [ -n "$security" ]; then echo "deb $security bookworm-security main"; fi
} > "$root/etc/apt/sources.list"
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"
in_root() { chroot "$root" env DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 "$@"; }

note "the packages' dependencies"
in_root timeout 120 apt-get update -qq || fail "apt-get update in the chroot"
depends=$(for deb in "${debs[@]}"; do dpkg-deb -f "$deb" Depends; done | paste -sd, -)
echo "Depends: $depends"
in_root timeout 300 apt-get satisfy -y -qq --no-install-recommends "$depends" > "$work/deps.log" 2>&1 ||
  { tail -30 "$work/deps.log"; fail "apt-get satisfy of the packages' Depends"; }
mkdir -p "$root/var/tmp/debs"
cp "${debs[@]}" "$root/var/tmp/debs/"

# What the file system holds, but for what apt and dpkg rewrite on every run (their caches,
# lists and logs), the kernel's file systems, and the backups (/etc/shadow- ...) that adding
# the flack user leaves: the user itself stays on purge, as Debian keeps system users.
snapshot() {
  (cd "$root" && find . -xdev \( -path ./proc -o -path ./dev -o -path ./sys -o -path ./run \
      -o -path ./var/cache/apt -o -path ./var/lib/apt -o -path ./var/log \
      -o -path ./var/cache/debconf -o -path ./var/cache/ldconfig \) -prune \
      -o \( -path ./etc/passwd- -o -path ./etc/group- -o -path ./etc/shadow- \
      -o -path ./etc/gshadow- \) -o -print) | sort
}
snapshot > "$work/before"
packages_before=$(in_root dpkg-query -W -f='${Package}\n' | sort)

note "apt install ${debs[*]##*/}"
in_root timeout 120 apt-get install -y --no-install-recommends "${debs[@]/#*\//\/var\/tmp\/debs\/}" > "$work/install.log" 2>&1 ||
  { cat "$work/install.log"; fail "apt install of the packages"; }
added=$(comm -13 <(echo "$packages_before") <(in_root dpkg-query -W -f='${Package}\n' | sort) | paste -sd' ' -)
[ "$added" = "flack-admin flack-server flack-tools" ] ||
  fail "apt installed '$added': Depends should have brought everything before"

note "what the postinst did"
passwd=$(in_root getent passwd flack) || fail "no flack user"
echo "$passwd"
[ "$(cut -d: -f6 <<< "$passwd")" = /var/lib/flack ] || fail "flack's home isn't /var/lib/flack"
[ "$(in_root stat -c '%U:%G %a' /var/lib/flack)" = "flack:flack 750" ] ||
  fail "/var/lib/flack is $(in_root stat -c '%U:%G %a' /var/lib/flack)"
[ -L "$root/etc/systemd/system/multi-user.target.wants/flack-server.service" ] ||
  fail "the unit was not enabled (no multi-user.target.wants link)"
in_root dpkg-query -W -f='${Conffiles}\n' flack-server | grep -q ' /etc/flack/flack-server.ini ' ||
  fail "/etc/flack/flack-server.ini is not a conffile"
for man in flack-server flack-admin flack-client flack-bench; do
  [ -f "$root/usr/share/man/man1/$man.1.gz" ] || fail "no man page for $man"
done

note "the server as its unit runs it, and flack-admin"
unshare --net -- "$0" --in-netns "$root" "$work" || fail "running the installed programs (above)"

note "desktop entry, AppStream metadata, icons, unit"
desktop-file-validate "$root/usr/share/applications/org.flack.Admin.desktop" ||
  fail "desktop-file-validate"
appstreamcli validate --no-net "$root/usr/share/metainfo/org.flack.Admin.metainfo.xml" ||
  fail "appstreamcli validate"
[ -f "$root/usr/share/icons/hicolor/scalable/apps/flack-admin.svg" ] || fail "no SVG icon"
for size in 48 128 256; do
  png=$root/usr/share/icons/hicolor/${size}x${size}/apps/flack-admin.png
  [ -f "$png" ] || fail "no ${size}px icon"
  file "$png" | grep -q "PNG image data, $size x $size" || fail "$png: $(file -b "$png")"
done
# systemd-analyze verify of the installed unit: its directives, its dependencies and that
# ExecStart's binary is executable. The chroot has no systemd (no sysinit.target to resolve
# against), so the unit is checked on this machine with ExecStart pointing into the chroot, and
# the Documentation= man page looked up there.
mkdir -p "$work/unit"
sed "s|^ExecStart=|ExecStart=$root|" "$root/lib/systemd/system/flack-server.service" \
  > "$work/unit/flack-server.service"
MANPATH=$root/usr/share/man systemd-analyze verify "$work/unit/flack-server.service" \
  > "$work/verify.log" 2>&1 || { cat "$work/verify.log"; fail "systemd-analyze verify"; }
if [ -s "$work/verify.log" ]; then cat "$work/verify.log"; fail "systemd-analyze verify warned"; fi
# The hardening, as systemd rates it (0 = fully sandboxed, 10 = not at all).
exposure=$(systemd-analyze security --offline=true "$work/unit/flack-server.service" 2>&1 |
  sed -n 's/.*Overall exposure level for .*: \([0-9.]*\).*/\1/p')
echo "systemd-analyze security: exposure $exposure"
awk -v e="$exposure" 'BEGIN { exit !(e != "" && e <= 2.0) }' ||
  fail "the unit's exposure level is '$exposure' (want 2.0 or less)"

note "apt purge"
in_root timeout 120 apt-get purge -y flack-server flack-admin flack-tools > "$work/purge.log" 2>&1 ||
  { cat "$work/purge.log"; fail "apt purge"; }
[ ! -e "$root/var/lib/flack" ] || fail "purge left /var/lib/flack"
snapshot > "$work/after"
if ! diff -u "$work/before" "$work/after" > "$work/leftover"; then
  cat "$work/leftover"; fail "install + purge changed the file system (diff above)"
fi
note "install test passed"
