#!/usr/bin/env bash
# Checks the local cluster end to end, as README.md's "Local cluster" describes it:
#   1. starts tools/dev/run-cluster.sh (which installs what's missing and builds build-release),
#   2. waits until every node logs "live nodes: node1, node2, node3",
#   3. runs web/e2e/cluster-check.mjs: two browser contexts log in through nginx on :8080, land
#      on two different nodes, join one room and exchange a message each way (screenshots in
#      web/e2e/results/cluster-*.png),
#   4. stops the cluster with SIGTERM and checks that its processes are gone and ports
#      8080-8083 and 9081-9083 are free again.
# Exit status 0 when all of that held. Takes ~20 s once build-release is up to date.
# Not part of tools/dev/test-all.sh: it needs those fixed ports to itself.
# Extra arguments go to run-cluster.sh (and so to every node).
set -euo pipefail
cd "$(dirname "$0")/../.."

ports=(8080 8081 8082 8083 9081 9082 9083)
log=$(mktemp -t flack-check-cluster.XXXXXX.log)
cluster_pid=""

fail() {
  echo "check-cluster: FAILED: $*" >&2
  echo "check-cluster: run-cluster.sh output in $log" >&2
  exit 1
}

# Ends run-cluster.sh if it is still running (it stops its nodes and nginx itself).
cleanup() {
  if [ -n "$cluster_pid" ] && kill -0 "$cluster_pid" 2>/dev/null; then
    kill -TERM "$cluster_pid" 2>/dev/null || true
    wait "$cluster_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

tools/dev/run-cluster.sh "$@" >"$log" 2>&1 &
cluster_pid=$!
echo "check-cluster: run-cluster.sh started (pid $cluster_pid), output in $log"

# Bounded waits on what the log says. The build may take minutes on a fresh checkout.
wait_for_log() {
  local what=$1 pattern=$2 seconds=$3
  local deadline=$((SECONDS + seconds))
  until grep -q -- "$pattern" "$log"; do
    kill -0 "$cluster_pid" 2>/dev/null || { tail -n 20 "$log" >&2; fail "run-cluster.sh exited before $what"; }
    [ "$SECONDS" -lt "$deadline" ] || { tail -n 20 "$log" >&2; fail "no $what within $seconds s"; }
    sleep 0.2
  done
}
wait_for_log "cluster running" "^Flack cluster running" 1800
for node in node1 node2 node3; do
  wait_for_log "'live nodes: node1, node2, node3' from $node" "^\[$node\] .*live nodes: node1, node2, node3\$" 20
  echo "ok: $node logs live nodes: node1, node2, node3"
done

# The processes run-cluster.sh started, from its banner ("pid N" per node and nginx).
mapfile -t started < <(sed -n 's/^  \(node[0-9]\|nginx\):.* pid \([0-9]*\).*/\2/p' "$log")
[ "${#started[@]}" -eq 4 ] || fail "expected 4 pids in the banner, found ${#started[@]}"
nginx_pid=${started[3]}
mapfile -t -O 4 started < <(pgrep -P "$nginx_pid" -x nginx || true) # its workers

(cd web && node e2e/cluster-check.mjs) || fail "browser check"

kill -TERM "$cluster_pid"
deadline=$((SECONDS + 20))
while kill -0 "$cluster_pid" 2>/dev/null; do
  [ "$SECONDS" -lt "$deadline" ] || fail "run-cluster.sh still running 20 s after SIGTERM"
  sleep 0.1
done
status=0
wait "$cluster_pid" || status=$?
cluster_pid=""
[ "$status" -eq 0 ] || fail "run-cluster.sh exited with status $status after SIGTERM"
echo "ok: run-cluster.sh exited 0 after SIGTERM"
grep -q "^run-cluster: stopping" "$log" || fail "run-cluster.sh did not say it was stopping"

# Gone: no such process, or only a zombie waiting to be reaped.
alive() { local state; state=$(ps -o stat= -p "$1" 2>/dev/null) && [[ $state != Z* ]]; }
for pid in "${started[@]}"; do
  if alive "$pid"; then fail "process $pid ($(ps -o args= -p "$pid")) still running"; fi
done
echo "ok: nodes, nginx and its workers are gone (pids ${started[*]})"
for port in "${ports[@]}"; do
  if ss -tlnH "sport = :$port" | grep -q .; then fail "port $port still has a listener"; fi
done
echo "ok: ports ${ports[*]} are free"
rm -f "$log"
echo "check-cluster: passed"
