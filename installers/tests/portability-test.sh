#!/usr/bin/env bash
# shared/ and admin-gui/ build on Windows and macOS too (the admin app's installers): no POSIX-
# or Linux-only calls or headers there. The server and the tools are Linux programs.
# Usage: portability-test.sh DIR...
set -euo pipefail
pattern='\b(gmtime_r|localtime_r|strerror_r|getpid|getuid|geteuid|fork|usleep|strcasecmp|strncasecmp|realpath|mkstemp|setenv|unsetenv|sigaction|epoll_[a-z]+)\s*\(|#\s*include\s*<(unistd|pthread|dlfcn|fcntl|poll|termios|strings|arpa/[a-z]+|netinet/[a-z]+|sys/[a-z]+)\.h>'
found=$(grep -rnP --include='*.cpp' --include='*.h' "$pattern" "$@" || true)
if [ -n "$found" ]; then
  echo "FAIL: POSIX-only calls or headers in code that must build on Windows:"
  echo "$found"
  exit 1
fi
echo "no POSIX-only calls in $*"
