#!/usr/bin/env bash
# Cluster figures for docs/benchmarks.md ("Cluster"): scenario (a)'s shape, 10 rooms x 50
# members x 5 senders, 100-byte messages, against three clustered nodes and against one
# standalone node, each run twice on fresh processes:
#   fanout at --rate 40, 80 and 120 per sender (100k, 200k, 300k deliveries/s offered),
#   1 s warm-up + 5 s measured; and a ramp (rate 40, x1.3 per step, 1 s + 3 s, p99 <= 50 ms).
# Every node is pinned to CPU 0 (taskset -c 0), the bench to CPU 1, all on loopback: on a
# 2-core machine the three nodes share one core, so the cluster rows are three nodes' work
# on the core one node has to itself in the single-node rows.
# Nodes use run-cluster.sh's addresses and options (HTTP 127.0.0.1:8081..8083, cluster links
# 127.0.0.1:9081..9083, node1..node3, each given the other two as --peers, a random secret in
# a mode-600 file) plus, like the standard set, --max-connections 20000 and
# --max-messages-per-second 0 (each bench sender goes far past a person's message rate); the
# single node is 127.0.0.1:8081 without cluster options.
#   tools/bench/run-cluster-set.sh [BUILD_DIR (default build-release)] [OUT_DIR (default bench-results/cluster)]
# Takes ~4 minutes (plus up to QUIET_WAIT s before each run, see wait_quiet). JSON reports and
# node logs in OUT_DIR; `uptime` before and after every run, and how much CPU other processes
# took meanwhile: on a shared machine that decides the latencies more than anything else.
set -euo pipefail

BUILD=${1:-build-release}
OUT=${2:-bench-results/cluster}
SERVER_BIN=$BUILD/server/flack-server
BENCH_BIN=$BUILD/tools/flack-bench
for binary in "$SERVER_BIN" "$BENCH_BIN"; do
  [ -x "$binary" ] || { echo "missing $binary: cmake --build $BUILD --target flack-server flack-bench" >&2; exit 1; }
done
mkdir -p "$OUT"
for port in 8081 8082 8083 9081 9082 9083; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "port $port is in use (tools/dev/run-cluster.sh still running?)" >&2
    exit 1
  fi
done

umask 077
work=$(mktemp -d -t flack-cluster-bench.XXXXXX)
head -c 32 /dev/urandom | base64 >"$work/secret"
umask 022
node_pids=()

stop_nodes() {
  for pid in "${node_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${node_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  node_pids=()
}
bench_pid=""
trap 'if [ -n "$bench_pid" ]; then kill -TERM "$bench_pid" 2>/dev/null; fi; stop_nodes; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

# Bounded wait for a line in a log; fails when the process is gone or 20 s have passed.
wait_log() {
  local log=$1 pattern=$2 pid=$3
  local deadline=$((SECONDS + 20))
  until grep -q -- "$pattern" "$log"; do
    kill -0 "$pid" 2>/dev/null || { echo "node exited; see $log" >&2; exit 1; }
    [ "$SECONDS" -lt "$deadline" ] || { echo "no '$pattern' in $log within 20 s" >&2; exit 1; }
    sleep 0.1
  done
}

# start_nodes cluster|single NAME: fresh processes; sets URLS and SERVER_PID (node1).
start_nodes() {
  local mode=$1 name=$2 i j peers
  if [ "$mode" = single ]; then
    taskset -c 0 "$SERVER_BIN" --bind 127.0.0.1 --port 8081 --max-connections 20000 --max-messages-per-second 0 \
      >"$OUT/$name-node.log" 2>&1 &
    node_pids=("$!")
    wait_log "$OUT/$name-node.log" "serving http://127.0.0.1:8081/" "${node_pids[0]}"
    URLS=ws://127.0.0.1:8081/chat-server
  else
    for i in 1 2 3; do
      peers=""
      for j in 1 2 3; do
        if [ "$j" -ne "$i" ]; then peers+="${peers:+,}127.0.0.1:908$j"; fi
      done
      taskset -c 0 "$SERVER_BIN" --bind 127.0.0.1 --port "808$i" --node-name "node$i" \
        --cluster-listen "127.0.0.1:908$i" --peers "$peers" --cluster-secret-file "$work/secret" \
        --max-connections 20000 --max-messages-per-second 0 >"$OUT/$name-node$i.log" 2>&1 &
      node_pids+=("$!")
    done
    for i in 1 2 3; do
      wait_log "$OUT/$name-node$i.log" "live nodes: node1, node2, node3\$" "${node_pids[$((i - 1))]}"
    done
    URLS=ws://127.0.0.1:8081/chat-server,ws://127.0.0.1:8082/chat-server,ws://127.0.0.1:8083/chat-server
  fi
  SERVER_PID=${node_pids[0]}
}

shape=(--rooms 10 --members 50 --senders 5 --message-bytes 100)

# CPU accounting in clock ticks, to tell how much of the machine other processes took during a
# run: the machine's busy time (/proc/stat) minus the nodes', the bench's and this script's own.
# The readers set a variable instead of printing, so that sampling forks nothing.
hz=$(getconf CLK_TCK)
machine_busy() { # sets BUSY_TICKS: user + nice + system + irq + softirq + steal, all CPUs
  local cpu user nice system idle iowait irq softirq steal rest
  read -r cpu user nice system idle iowait irq softirq steal rest </proc/stat
  BUSY_TICKS=$((user + nice + system + irq + softirq + steal))
}
process_ticks() { # sets PROC_TICKS: utime + stime of the given pids (0 for one that is gone)
  local pid line fields
  PROC_TICKS=0
  for pid in "$@"; do
    { read -r line <"/proc/$pid/stat"; } 2>/dev/null || continue
    read -r -a fields <<<"${line##*) }"
    PROC_TICKS=$((PROC_TICKS + fields[11] + fields[12]))
  done
}
children_ticks() { # sets CHILD_TICKS: this shell's reaped children, from the `times` builtin
  # (run in this shell, never in a pipe or $(...), where it would count a subshell's children)
  local self user system m sec ms=0
  times >"$work/times"
  { read -r self; read -r user system; } <"$work/times"
  for m in "$user" "$system"; do # "1m2.345s"
    m=${m%s}; sec=${m#*m}
    ms=$((ms + ${m%%m*} * 60000 + 10#${sec%.*} * 1000 + 10#${sec#*.}))
  done
  CHILD_TICKS=$((ms * hz / 1000))
}

# QUIET_WAIT=N: before each run wait up to N s for a second in which other processes use less
# than 20 % of one CPU (default 0: don't wait).
wait_quiet() {
  local deadline=$((SECONDS + ${QUIET_WAIT:-0})) before
  while :; do
    machine_busy; before=$BUSY_TICKS
    sleep 1
    machine_busy
    if [ $(((BUSY_TICKS - before) * 100)) -lt $((20 * hz)) ]; then return 0; fi
    [ "$SECONDS" -lt "$deadline" ] || return 0
  done
}

# MAX_OTHER=P: a run in which other processes took more than P % of one core over any second
# is kept as NAME.disturbed-K.json and repeated, up to RETRIES times (default 4); unset: every
# run counts.
# run MODE NAME SCENARIO ARGS...: fresh nodes, one bench run, nodes stopped.
run() {
  local mode=$1 name=$2
  shift 2
  local try start busy0 nodes0 bench0 kids0 busy nodes bench kids second seconds
  local total_busy0 total_nodes0 total_kids0 other worst
  for ((try = 1; ; try++)); do
    wait_quiet
    start_nodes "$mode" "$name"
    echo "== $name ($mode): $(uptime)"
    echo "   taskset -c 1 $BENCH_BIN $* --url $URLS --server-pid $SERVER_PID --json $OUT/$name.json"
    start=$EPOCHREALTIME
    machine_busy; total_busy0=$BUSY_TICKS
    process_ticks "${node_pids[@]}"; total_nodes0=$PROC_TICKS
    children_ticks; total_kids0=$CHILD_TICKS
    taskset -c 1 "$BENCH_BIN" "$@" --url "$URLS" --server-pid "$SERVER_PID" --json "$OUT/$name.json" &
    bench_pid=$! # taskset execs the bench
    # Once a second: what others took in that second (the last, partial second is left out).
    worst=0
    busy0=$total_busy0; nodes0=$total_nodes0; kids0=$total_kids0; bench0=0
    while sleep 1; kill -0 "$bench_pid" 2>/dev/null; do
      machine_busy; busy=$BUSY_TICKS
      process_ticks "${node_pids[@]}"; nodes=$PROC_TICKS
      process_ticks "$bench_pid"; bench=$PROC_TICKS
      children_ticks; kids=$CHILD_TICKS
      second=$(((busy - busy0) - (nodes - nodes0) - (bench - bench0) - (kids - kids0)))
      [ "$second" -le "$worst" ] || worst=$second
      busy0=$busy; nodes0=$nodes; bench0=$bench; kids0=$kids
    done
    wait "$bench_pid" || true
    bench_pid=""
    machine_busy; busy=$((BUSY_TICKS - total_busy0))
    process_ticks "${node_pids[@]}"; nodes=$((PROC_TICKS - total_nodes0))
    children_ticks; kids=$((CHILD_TICKS - total_kids0)) # the bench and this script's helpers
    stop_nodes
    seconds=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.1f", b - a}')
    other=$(((busy - nodes - kids) * 100 / hz))
    other=$(awk -v o="$other" -v s="$seconds" 'BEGIN {o /= s; printf "%.0f", o < 0 ? 0 : o}')
    worst=$((worst * 100 / hz))
    awk -v nodes="$nodes" -v kids="$kids" -v hz="$hz" -v s="$seconds" -v o="$other" -v w="$worst" \
      -v up="$(uptime)" 'BEGIN {
      printf "   cpu over the %s s run (%% of one core): nodes %.0f, bench %.0f, other processes %s (worst second %s); after:%s\n",
        s, nodes / hz / s * 100, kids / hz / s * 100, o, w, up }'
    if [ -z "${MAX_OTHER:-}" ] || [ "$worst" -le "$MAX_OTHER" ] || [ "$try" -gt "${RETRIES:-4}" ]; then
      return 0
    fi
    mv "$OUT/$name.json" "$OUT/$name.disturbed-$try.json"
    echo "   disturbed (other processes above ${MAX_OTHER} % in some second): kept as $name.disturbed-$try.json, repeating"
  done
}

echo "flack cluster benchmark set, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs, $(uname -r)"
for attempt in 1 2; do
  for mode in cluster single; do
    for rate in 40 80 120; do
      run "$mode" "$mode-fanout-$rate-run$attempt" fanout "${shape[@]}" --rate "$rate" --warmup 1 --duration 5
    done
    run "$mode" "$mode-ramp-run$attempt" ramp "${shape[@]}" --rate 40 --ramp-factor 1.3 --max-steps 12 \
      --warmup 1 --duration 3 --p99-bound-ms 50
  done
done
echo "reports in $OUT/"
