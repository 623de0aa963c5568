#!/usr/bin/env bash
# What each package holds and declares: the files a user needs, Depends computed from the
# binaries, the conffile, and the RPMs' config file; what lintian can't know is wanted.
# Usage: contents-test.sh DIST_DIR
set -euo pipefail
dist=$1
status=0
check() { if ! grep -qE "$2" <<< "$3"; then echo "FAIL: $1: no match for $2"; status=1; fi; }
deb() { local f=("$dist/$1"_*.deb); [ -f "${f[0]}" ] || { echo "FAIL: no $1 .deb in $dist"; exit 1; }; echo "${f[0]}"; }
rpm_of() { local f=("$dist/$1"-[0-9]*.rpm); [ -f "${f[0]}" ] || { echo "FAIL: no $1 .rpm in $dist"; exit 1; }; echo "${f[0]}"; }

for package in flack-server flack-admin flack-tools; do
  file=$(deb $package)
  files=$(dpkg-deb -c "$file" | awk '{print $6}')
  depends=$(dpkg-deb -f "$file" Depends)
  echo "$package: $(stat -c %s "$file") bytes; Depends: $depends"
  check "$package copyright" "^\./usr/share/doc/$package/copyright$" "$files"
  check "$package changelog" "^\./usr/share/doc/$package/changelog\.Debian\.gz$" "$files"
  check "$package Depends (shlibdeps)" "libqt6core6 \(>= 6" "$depends"
  check "$package Depends (shlibdeps)" "libc6 \(>= " "$depends"
done
# Each package's synopsis is its own (not the project's description CPack would put first).
check "flack-server synopsis" "system service$" "$(dpkg-deb -f "$(deb flack-server)" Description | head -1)"
check "flack-admin synopsis" "desktop app" "$(dpkg-deb -f "$(deb flack-admin)" Description | head -1)"
check "flack-tools synopsis" "^Flack command-line client" "$(dpkg-deb -f "$(deb flack-tools)" Description | head -1)"
server=$(dpkg-deb -c "$(deb flack-server)" | awk '{print $6}')
for path in ./usr/bin/flack-server ./etc/flack/flack-server.ini ./lib/systemd/system/flack-server.service \
    ./usr/share/man/man1/flack-server.1.gz; do check flack-server "^${path//./\\.}$" "$server"; done
check "flack-server Depends" "adduser" "$(dpkg-deb -f "$(deb flack-server)" Depends)"
check "flack-server Depends (WebSockets)" "libqt6websockets6" "$(dpkg-deb -f "$(deb flack-server)" Depends)"
conffiles=$(dpkg-deb --ctrl-tarfile "$(deb flack-server)" | tar -xO ./conffiles)
check "flack-server conffiles" "^/etc/flack/flack-server\.ini$" "$conffiles"
admin=$(dpkg-deb -c "$(deb flack-admin)" | awk '{print $6}')
for path in ./usr/bin/flack-admin ./usr/share/applications/org.flack.Admin.desktop \
    ./usr/share/metainfo/org.flack.Admin.metainfo.xml ./usr/share/icons/hicolor/scalable/apps/flack-admin.svg \
    ./usr/share/icons/hicolor/256x256/apps/flack-admin.png ./usr/share/man/man1/flack-admin.1.gz; do
  check flack-admin "^${path//./\\.}$" "$admin"
done
check "flack-admin Depends (Widgets)" "libqt6widgets6" "$(dpkg-deb -f "$(deb flack-admin)" Depends)"
tools=$(dpkg-deb -c "$(deb flack-tools)" | awk '{print $6}')
for path in ./usr/bin/flack-client ./usr/bin/flack-bench ./usr/share/man/man1/flack-client.1.gz \
    ./usr/share/man/man1/flack-bench.1.gz; do check flack-tools "^${path//./\\.}$" "$tools"; done

if command -v rpm >/dev/null; then
  for package in flack-server flack-admin flack-tools; do
    file=$(rpm_of $package)
    list=$(rpm -qpl "$file" 2>/dev/null)
    echo "$package rpm: $(stat -c %s "$file") bytes"
    check "$package rpm" "^/usr/bin/" "$list"
    for program in $(grep '^/usr/bin/' <<< "$list" | xargs -n1 basename); do
      check "$package rpm man page" "^/usr/share/man/man1/$program\.1\.gz$" "$list"
    done
    if grep -q lintian <<< "$list"; then echo "FAIL: $package rpm carries lintian overrides"; status=1; fi
    check "$package rpm requires" "libQt6Core\.so\.6" "$(rpm -qpR "$file" 2>/dev/null)"
  # %description is the whole text after the summary line (all of its lines).
  [ "$(rpm -qp --qf '%{DESCRIPTION}' "$file" 2>/dev/null | wc -l)" -ge 2 ] ||
    { echo "FAIL: $package rpm: %description is $(rpm -qp --qf '%{DESCRIPTION}' "$file" 2>/dev/null)"; status=1; }
  done
  check "flack-server rpm config" "^/etc/flack/flack-server\.ini$" "$(rpm -qpc "$(rpm_of flack-server)" 2>/dev/null)"
  check "flack-server rpm %pre" "useradd" "$(rpm -qp --scripts "$(rpm_of flack-server)" 2>/dev/null)"
else
  echo "FAIL: rpm is not installed"; status=1
fi
[ "$status" -eq 0 ] && echo "package contents as expected"
exit "$status"
