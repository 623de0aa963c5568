#!/bin/sh
# Runs scenario (b) of docs/benchmarks.md once against a fresh pinned Release server:
# 15,000 idle joined connections in 100 rooms, held 10 s; prints the bench's summary and writes
# OUT_DIR/NAME.json. Extra arguments are VAR=value settings for the server's environment only
# (an allocator by LD_PRELOAD, GLIBC_TUNABLES, ...) or server options (starting with --).
#   tools/bench/run-connections.sh BUILD_DIR OUT_DIR NAME [VAR=value | --server-option ...]
set -eu

BUILD=$1
OUT=$2
NAME=$3
shift 3
SERVER_BIN=$BUILD/server/flack-server
BENCH_BIN=$BUILD/tools/flack-bench
CONNECTIONS=${FLACK_BENCH_CONNECTIONS:-15000}
mkdir -p "$OUT"

ENVIRONMENT=
OPTIONS=
for arg in "$@"; do
    case $arg in
    --*) OPTIONS="$OPTIONS $arg" ;;
    *=*) ENVIRONMENT="$ENVIRONMENT $arg" ;;
    *) echo "not VAR=value or --option: $arg" >&2; exit 2 ;;
    esac
done

log="$OUT/server-$NAME.log"
# shellcheck disable=SC2086 # word splitting of the collected settings is intended
env $ENVIRONMENT taskset -c 0 "$SERVER_BIN" --port 0 --bind 127.0.0.1 --max-connections 20000 \
    --max-messages-per-second 0 $OPTIONS >"$log" 2>&1 &
SERVER_PID=$!
trap 'kill -TERM $SERVER_PID 2>/dev/null || true; wait $SERVER_PID 2>/dev/null || true' EXIT INT TERM
i=0
while ! grep -q 'http://[^ ]*:[0-9]*/' "$log"; do
    i=$((i + 1))
    [ $i -le 100 ] || { echo "server did not start; see $log" >&2; exit 1; }
    sleep 0.1
done
PORT=$(grep -o 'http://[^ /]*:[0-9]*/' "$log" | head -n 1 | sed 's/.*:\([0-9]*\)\/$/\1/')
echo "== $NAME ($(date -u +%H:%M:%SZ), load $(cut -d' ' -f1-3 /proc/loadavg)):$ENVIRONMENT$OPTIONS"
taskset -c 1 "$BENCH_BIN" connections --connections "$CONNECTIONS" --rooms 100 --duration 10 \
    --source-addresses 4 --connect-concurrency 256 --url "ws://127.0.0.1:$PORT/chat-server" \
    --server-pid "$SERVER_PID" --json "$OUT/$NAME.json"
