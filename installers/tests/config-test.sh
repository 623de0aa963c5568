#!/usr/bin/env bash
# /etc/flack/flack-server.ini lists every setting flack-server --help names, commented out at
# the default the help text gives, so the shipped file can't fall behind the server.
# Usage: config-test.sh FLACK_SERVER INI_FILE
set -euo pipefail
server=$1 ini=$2
help=$("$server" --help)
status=0
count=0
# Options come as "  --name <VALUE>  Description ... Default N." over one or more lines.
while IFS=$'\t' read -r name text; do
  case $name in help|version|config) continue ;; esac
  count=$((count + 1))
  line=$(grep -E "^;${name}=" "$ini" || true)
  if [ -z "$line" ]; then
    echo "FAIL: $ini has no ';$name=' line"; status=1; continue
  fi
  default=$(sed -n 's/.*Default \([^ :][^ ]*\)\.\( \|$\).*/\1/p' <<< "$text")
  value=${line#;"$name"=}
  if [ -n "$default" ] && [ "$value" != "$default" ]; then
    echo "FAIL: $ini says ;$name=$value, flack-server --help says the default is $default"; status=1
  fi
done < <(awk '
  /^  *--[a-z]/ { if (name != "") print name "\t" text
                  name = $1; sub(/^--/, "", name); sub(/,.*/, "", name); text = $0; next }
  /^  *-[a-z],/ { if (name != "") print name "\t" text
                  name = $2; sub(/^--/, "", name); text = $0; next }
  /^   / { text = text " " $0; next }
  { if (name != "") print name "\t" text; name = "" }
  END { if (name != "") print name "\t" text }' <<< "$help" | sed 's/  */ /g')
[ "$count" -ge 10 ] || { echo "FAIL: read only $count options from --help"; status=1; }
# Every line that isn't a comment must be a section header: the shipped file sets nothing.
if grep -vE '^(;.*|\[server\]|)$' "$ini"; then echo "FAIL: $ini sets a value (lines above)"; status=1; fi
[ "$status" -eq 0 ] && echo "all $count settings listed at their defaults"
exit "$status"
