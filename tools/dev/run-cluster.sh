#!/usr/bin/env bash
# A local three-node Flack cluster behind nginx, in one command:
#   node1..node3  HTTP on 127.0.0.1:8081..8083, cluster links on 127.0.0.1:9081..9083
#   nginx         http://localhost:8080/ on 127.0.0.1 (web client from the nodes, /chat-server
#                 websockets spread over the three)
# Installs what's missing (tools/dev/install-deps.sh, and Debian's nginx), builds a release
# flack-server, generates a random cluster secret into a private temporary file and starts it
# all. Ctrl-C, SIGTERM or any process exiting stops everything it started and frees the ports.
# Extra arguments are passed to every node (e.g. --log-level debug).
# nginx runs in the foreground with its own config, pid file and temp paths under a temporary
# directory; the system's nginx configuration and service are not touched.
set -euo pipefail
cd "$(dirname "$0")/../.."

http_ports=(8081 8082 8083)
cluster_ports=(9081 9082 9083)
proxy_port=8080

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

tools/dev/install-deps.sh
if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
  echo "installing: nginx"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx
fi
nginx_binary=$(command -v nginx || echo /usr/sbin/nginx)

cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release -DFLACK_BUILD_TESTS=OFF
cmake --build build-release --target flack-server flack-admin
server=build-release/server/flack-server

# Something already listening would make a node or nginx fail half-way through start-up.
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for port in "$proxy_port" "${http_ports[@]}" "${cluster_ports[@]}"; do
  if port_busy "$port"; then
    echo "run-cluster: port $port is in use; stop whatever listens there first" >&2
    exit 1
  fi
done

# Private: the secret file must be readable by the nodes only (mode 600 in a 700 directory).
umask 077
work=$(mktemp -d -t flack-cluster.XXXXXX)
pids=()
names=()
stopping=0

stop_all() {
  trap - INT TERM EXIT
  stopping=1
  for pid in "${pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  # The nodes close their websockets within a few seconds; anything still there after 10 s
  # is killed so the ports are free when this script returns.
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
trap 'echo "run-cluster: stopping"; stop_all; exit 0' INT TERM
trap 'stop_all' EXIT

# Each process's output goes to the terminal with its name in front.
start() {
  local name=$1
  shift
  "$@" > >(sed -u "s/^/[$name] /") 2>&1 &
  pids+=("$!")
  names+=("$name")
}

secret_file="$work/cluster.secret"
head -c 32 /dev/urandom | base64 > "$secret_file"
# The admin token opens /admin on every node for flack-admin.
admin_token_file="$work/admin.token"
head -c 24 /dev/urandom | base64 > "$admin_token_file"

for i in 0 1 2; do
  peers=()
  for j in 0 1 2; do
    if [ "$j" -ne "$i" ]; then peers+=("127.0.0.1:${cluster_ports[$j]}"); fi
  done
  # The secret travels as a file name only: a command line is visible to every local user.
  start "node$((i + 1))" "$server" \
    --bind 127.0.0.1 --port "${http_ports[$i]}" --node-name "node$((i + 1))" \
    --cluster-listen "127.0.0.1:${cluster_ports[$i]}" \
    --peers "$(IFS=,; echo "${peers[*]}")" --cluster-secret-file "$secret_file" \
    --admin-token-file "$admin_token_file" "$@"
done

# Workers of a root nginx run as nobody; they only proxy, so no temp files are written
# (proxy_max_temp_file_size 0, GET requests have no body).
mkdir -p "$work/nginx"
user_line=""
if [ "$(id -u)" -eq 0 ]; then user_line="user nobody nogroup;"; fi
chat_servers=""
for port in "${http_ports[@]}"; do
  chat_servers+="        server 127.0.0.1:$port;"$'\n'
done
cat > "$work/nginx/nginx.conf" <<EOF
$user_line
daemon off;
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log stderr warn;
events {
    worker_connections 8192;
}
http {
    access_log off;
    client_body_temp_path $work/nginx/client_body;
    proxy_temp_path $work/nginx/proxy;
    fastcgi_temp_path $work/nginx/fastcgi;
    uwsgi_temp_path $work/nginx/uwsgi;
    scgi_temp_path $work/nginx/scgi;

    map \$http_upgrade \$connection_upgrade {
        default upgrade;
        ''      close;
    }
    # Chat connections are long-lived: each new one goes to the node holding the fewest.
    upstream flack_chat {
        least_conn;
$chat_servers    }
    # Every node serves the same web client; any of them will do.
    upstream flack_web {
$chat_servers    }
    server {
        # Loopback only, like the nodes: a development cluster is not for the network.
        listen 127.0.0.1:$proxy_port;
        proxy_http_version 1.1;
        proxy_set_header Host \$http_host;
        proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
        proxy_max_temp_file_size 0;

        location /chat-server {
            proxy_pass http://flack_chat;
            proxy_set_header Upgrade \$http_upgrade;
            proxy_set_header Connection \$connection_upgrade;
            # Clients ping every 20 s; an hour without traffic is long past the server's own
            # idle timeout, so nginx never cuts a healthy connection first.
            proxy_read_timeout 3600s;
            proxy_send_timeout 3600s;
            proxy_buffering off;
        }
        location / {
            proxy_pass http://flack_web;
        }
    }
}
EOF

# Bounded wait for a URL to answer; false when it didn't or a process already exited.
wait_for() {
  local url=$1
  local deadline=$((SECONDS + 20))
  until curl -fsS -o /dev/null "$url" 2>/dev/null; do
    for pid in "${pids[@]}"; do
      kill -0 "$pid" 2>/dev/null || return 1
    done
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.2
  done
}

for port in "${http_ports[@]}"; do
  if ! wait_for "http://127.0.0.1:$port/healthz"; then
    echo "run-cluster: the node on port $port did not come up" >&2
    exit 1
  fi
done
start nginx "$nginx_binary" -e stderr -p "$work/nginx/" -c "$work/nginx/nginx.conf"
if ! wait_for "http://127.0.0.1:$proxy_port/"; then
  echo "run-cluster: nginx did not come up on port $proxy_port" >&2
  exit 1
fi

cat <<EOF

Flack cluster running (Ctrl-C or SIGTERM to stop all):
  web client and chat:  http://localhost:$proxy_port/   ws://localhost:$proxy_port/chat-server  (nginx)
  node1:  http://127.0.0.1:${http_ports[0]}/  cluster 127.0.0.1:${cluster_ports[0]}  pid ${pids[0]}
  node2:  http://127.0.0.1:${http_ports[1]}/  cluster 127.0.0.1:${cluster_ports[1]}  pid ${pids[1]}
  node3:  http://127.0.0.1:${http_ports[2]}/  cluster 127.0.0.1:${cluster_ports[2]}  pid ${pids[2]}
  nginx:  pid ${pids[3]}, config $work/nginx/nginx.conf
  secret: $secret_file (mode 600, removed on exit)
  admin:  build-release/admin-gui/flack-admin --url ws://127.0.0.1:${http_ports[0]}/admin --token-file $admin_token_file
          (any node's /admin shows the whole cluster)

EOF

# Any process ending ends the cluster: a partial cluster would only confuse.
exited=""
status=0
wait -n -p exited "${pids[@]}" || status=$?
if [ "$stopping" -eq 0 ]; then
  for k in "${!pids[@]}"; do
    if [ "${pids[$k]}" = "$exited" ]; then
      echo "run-cluster: ${names[$k]} exited (status $status); stopping the rest" >&2
    fi
  done
  exit 1
fi
