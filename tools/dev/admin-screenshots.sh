#!/usr/bin/env bash
# The README's pictures of flack-admin, taken against a live two-node cluster with traffic:
#   node1, node2   HTTP on 127.0.0.1:8091/8092, cluster links on 127.0.0.1:9091/9092, one
#                  admin token (a private temporary file)
#   traffic        flack-bench fanout over both nodes (a second, shorter wave in the middle
#                  so the chart has a shape), and a few named flack-client users
#   flack-admin    under Xvfb at 1280x800, connected to node1's /admin; after
#                  --screenshot-delay seconds (default 150: the chart shows minutes) it saves
#                  docs/admin-{overview,nodes,chats,users}.png and quits
# Installs what's missing (tools/dev/install-deps.sh, Debian's xvfb), builds release binaries,
# starts everything and stops all of it at the end (or on Ctrl-C), freeing the ports.
# Usage: tools/dev/admin-screenshots.sh [DELAY_SECONDS] [OUTPUT_DIR]
# Needs a flack-server with the /admin endpoint and --admin-token-file (docs/admin-protocol.md).
set -euo pipefail
cd "$(dirname "$0")/../.."

delay=${1:-150}
out=${2:-docs}
http_ports=(8091 8092)
cluster_ports=(9091 9092)
display=:97

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

tools/dev/install-deps.sh
if ! command -v Xvfb >/dev/null; then
  echo "installing: xvfb"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends xvfb
fi

cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release -DFLACK_BUILD_TESTS=OFF
cmake --build build-release --target flack-server flack-admin flack-bench flack-client
server=build-release/server/flack-server
admin=build-release/admin-gui/flack-admin
bench=build-release/tools/flack-bench
client=build-release/tools/flack-client

if ! "$server" --help | grep -q -- --admin-token-file; then
  echo "admin-screenshots: this flack-server has no --admin-token-file (no /admin endpoint yet)" >&2
  exit 1
fi

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for port in "${http_ports[@]}" "${cluster_ports[@]}"; do
  if port_busy "$port"; then
    echo "admin-screenshots: port $port is in use; stop whatever listens there first" >&2
    exit 1
  fi
done

# The secrets live in a private directory (mktemp -d makes it mode 700, the files are 600);
# the pictures get the usual permissions.
work=$(mktemp -d -t flack-screenshots.XXXXXX)
pids=()
stop_all() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  local deadline=$((SECONDS + 10))
  for pid in "${pids[@]}"; do
    while kill -0 "$pid" 2>/dev/null; do
      if [ "$SECONDS" -ge "$deadline" ]; then
        kill -KILL "$pid" 2>/dev/null || true
        break
      fi
      sleep 0.1
    done
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap 'echo "admin-screenshots: stopping"; stop_all; exit 130' INT TERM
trap 'stop_all' EXIT

start() {
  local name=$1
  shift
  "$@" > >(sed -u "s/^/[$name] /") 2>&1 &
  pids+=("$!")
}

(umask 077
 head -c 32 /dev/urandom | base64 > "$work/cluster.secret"
 head -c 32 /dev/urandom | base64 > "$work/admin.token")

for i in 0 1; do
  other=$((1 - i))
  start "node$((i + 1))" "$server" --bind 127.0.0.1 --port "${http_ports[$i]}" \
    --node-name "node$((i + 1))" --cluster-listen "127.0.0.1:${cluster_ports[$i]}" \
    --peers "127.0.0.1:${cluster_ports[$other]}" --cluster-secret-file "$work/cluster.secret" \
    --admin-token-file "$work/admin.token"
done
for port in "${http_ports[@]}"; do
  for _ in $(seq 100); do
    if curl -fs "http://127.0.0.1:$port/healthz" >/dev/null; then break; fi
    sleep 0.1
  done
done

urls="ws://127.0.0.1:${http_ports[0]}/chat-server,ws://127.0.0.1:${http_ports[1]}/chat-server"
run_for=$((delay + 30))
start bench "$bench" fanout --url "$urls" --rooms 6 --members 8 --senders 2 --rate 4 \
  --warmup 1 --duration "$run_for" --chat-prefix "room-"
i=0
for name in Ann Bob Cid Dee; do
  port=${http_ports[$((i % 2))]}
  start "$name" "$client" --url "ws://127.0.0.1:$port/chat-server" --name "$name" \
    --chat lobby --count 100000 --delay $((1500 + 500 * i))
  i=$((i + 1))
done
# A second wave a third of the way in, for a minute.
(
  sleep $((delay / 3))
  exec "$bench" fanout --url "$urls" --rooms 3 --members 10 --senders 3 --rate 6 \
    --warmup 1 --duration 60 --chat-prefix "wave-"
) > >(sed -u "s/^/[wave] /") 2>&1 &
pids+=("$!")

start xvfb Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp
sleep 1
mkdir -p "$out"
echo "admin-screenshots: taking the pictures in ${delay} s"
DISPLAY=$display QT_QPA_PLATFORM=xcb "$admin" --url "ws://127.0.0.1:${http_ports[0]}/admin" \
  --token-file "$work/admin.token" --screenshots "$out" --screenshot-delay "$delay"
echo "admin-screenshots: done"
