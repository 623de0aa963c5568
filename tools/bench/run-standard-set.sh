#!/bin/sh
# Runs flack-bench's standard set (docs/benchmarks.md) in under five minutes: a fresh Release
# flack-server per scenario pinned to CPU 0, the bench pinned to CPU 1, JSON reports in OUT_DIR.
#   tools/bench/run-standard-set.sh [BUILD_DIR (default build-bench)] [OUT_DIR (default bench-results)]
# SERVER_CMD runs the same set against another server of the protocol instead (for side-by-side
# figures; the bench still comes from BUILD_DIR): a command line in which PORT stands for the
# port to listen on, e.g. SERVER_CMD='node ../peers/node-flack/server.js PORT'. Its process id
# must be the server's own (exec, not a wrapper that forks), since CPU and RSS are read from it.
set -eu

BUILD=${1:-build-bench}
OUT=${2:-bench-results}
SERVER_BIN=$BUILD/server/flack-server
BENCH_BIN=$BUILD/tools/flack-bench
mkdir -p "$OUT"
SERVER_CMD=${SERVER_CMD:-}
[ -n "$SERVER_CMD" ] && SERVER_BIN=$BENCH_BIN # only the bench is needed then
for binary in "$SERVER_BIN" "$BENCH_BIN"; do
    [ -x "$binary" ] || { echo "missing $binary: build with -DCMAKE_BUILD_TYPE=Release first" >&2; exit 1; }
done

SERVER_PID=
stop_server() {
    if [ -n "$SERVER_PID" ]; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
        SERVER_PID=
    fi
}
trap stop_server EXIT INT TERM

# Starts a fresh server (clean RSS and CPU figures for each scenario) and sets URL.
start_other_server() {
    log="$OUT/server-$1.log"
    PORT=$(( 20000 + $$ % 20000 ))
    # shellcheck disable=SC2086 # the command line is split into words on purpose
    taskset -c 0 $(echo "$SERVER_CMD" | sed "s/PORT/$PORT/g") >"$log" 2>&1 &
    SERVER_PID=$!
    i=0
    until ss -Hltn "sport = :$PORT" | grep -q .; do
        i=$((i + 1))
        [ $i -le 300 ] || { echo "server did not listen on $PORT; see $log" >&2; exit 1; }
        sleep 0.1
    done
    URL="ws://127.0.0.1:$PORT/chat-server"
}

start_server() {
    if [ -n "$SERVER_CMD" ]; then
        start_other_server "$1"
        return
    fi
    log="$OUT/server-$1.log"
    # No message rate limit: each bench sender goes far past a person's rate on purpose.
    taskset -c 0 "$SERVER_BIN" --port 0 --bind 127.0.0.1 --max-connections 20000 --max-messages-per-second 0 >"$log" 2>&1 &
    SERVER_PID=$!
    i=0
    while ! grep -q 'http://[^ ]*:[0-9]*/' "$log"; do
        i=$((i + 1))
        [ $i -le 100 ] || { echo "server did not start; see $log" >&2; exit 1; }
        sleep 0.1
    done
    PORT=$(grep -o 'http://[^ /]*:[0-9]*/' "$log" | head -n 1 | sed 's/.*:\([0-9]*\)\/$/\1/')
    URL="ws://127.0.0.1:$PORT/chat-server"
}

bench() {
    name=$1
    shift
    echo "== $name: flack-bench $*"
    taskset -c 1 "$BENCH_BIN" "$@" --url "$URL" --server-pid "$SERVER_PID" --json "$OUT/$name.json"
}

echo "flack standard benchmark set, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs, $(uname -r)"

# (a) 10 rooms x 50 members x 5 senders, ~100-byte messages, ramp until p99 > 50 ms.
start_server a
bench a-ramp-10x50x5 ramp --rooms 10 --members 50 --senders 5 --message-bytes 100 \
    --rate 40 --ramp-factor 1.3 --max-steps 12 --warmup 1 --duration 3 --p99-bound-ms 50
stop_server

# (b) 15,000 idle joined connections across 100 rooms, held 10 s, over 4 source addresses.
start_server b
bench b-connections-15000 connections --connections 15000 --rooms 100 --duration 10 \
    --source-addresses 4 --connect-concurrency 256
stop_server

# (c) 1 room x 1,000 members, 1 sender, ramp until p99 > 50 ms.
start_server c
bench c-ramp-1x1000x1 ramp --rooms 1 --members 1000 --senders 1 --message-bytes 100 \
    --rate 20 --ramp-factor 1.3 --max-steps 14 --warmup 1 --duration 3 --p99-bound-ms 50
stop_server
echo "reports in $OUT/"
