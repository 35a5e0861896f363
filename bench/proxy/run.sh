#!/usr/bin/env bash
# Side-by-side proxy benchmark on this machine, loopback only, bounded in time (about 6 minutes):
# nginx as the backend; wrk direct, through Ganymede, through configurable-http-proxy 5.x and
# through nginx as a keep-alive reverse proxy; WebSocket echo round trips (the same four paths); resident memory with
# 10,000 routes and with 5,000 idle WebSockets. Prints a Markdown table (also saved under bench/.work).
#
# Needs: mvn -B -pl proxy package -DskipTests; npm install --prefix bench/.work/chp configurable-http-proxy;
#        Debian packages nginx-light and wrk.
# Knobs: DURATION (s per wrk run, default 10), WARMUP (s before each, default 10),
#        CONNECTIONS (default 50), WS_CONNECTIONS (default 50),
#        IDLE_WS (default 5000), ROUTES (default 10000).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$root/bench/.work/proxy-run"
jar="$(ls "$root"/proxy/target/ganymede-proxy-*-all.jar | head -n 1)"
chp="$root/bench/.work/chp/node_modules/configurable-http-proxy/bin/configurable-http-proxy"
[ -f "$jar" ] || { echo "build first: mvn -B -pl proxy package -DskipTests" >&2; exit 1; }
[ -f "$chp" ] || { echo "install CHP first: npm install --prefix bench/.work/chp configurable-http-proxy" >&2; exit 1; }
DURATION="${DURATION:-10}"; CONNECTIONS="${CONNECTIONS:-50}"; WS_CONNECTIONS="${WS_CONNECTIONS:-50}"
IDLE_WS="${IDLE_WS:-5000}"; ROUTES="${ROUTES:-10000}"; WARMUP="${WARMUP:-10}"
BACKEND=18080 NGINX_PROXY=18081 WS_BACKEND=18090 G_PORT=18000 G_API=18001 C_PORT=18100 C_API=18101
export CONFIGPROXY_AUTH_TOKEN=bench-token
ulimit -n "$(ulimit -Hn)"  # 5,000 WebSockets through a proxy hold 10,000 sockets
rm -rf "$work"; mkdir -p "$work"
pids=()
tree_pids() { echo "$1"; local c; for c in $(pgrep -P "$1" || true); do tree_pids "$c"; done; }
# Background helpers run under subshells and `timeout`: end each whole tree, children first.
cleanup() {
  local p q
  for p in "${pids[@]}"; do for q in $(tree_pids "$p" | tac); do kill "$q" 2>/dev/null || true; done; done
  wait 2>/dev/null || true
}
trap cleanup EXIT
bench_tool() { timeout 300 java -Xss512k -cp "$jar" "$root/bench/proxy/ProxyBench.java" "$@"; }
wait_port() { for _ in $(seq 1 150); do (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.2; done; echo "port $1 never opened" >&2; exit 1; }
# CPU seconds a process (and its children, for nginx's workers) has used: contention on a shared
# machine lowers requests/s but not the CPU each request costs.
cpu_ticks() { local t=0 p; for p in $(tree_pids "$1"); do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0))); done; echo $t; }
rss_mib() { awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$1/status"; }

# Two nginx instances, so the backend's CPU time is never counted as the proxy's.
cat > "$work/backend.conf" <<NGINX
worker_processes 1;
pid $work/backend.pid;
error_log $work/backend-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  server { listen 127.0.0.1:$BACKEND; location / { return 200 "ok\n"; } }
}
NGINX
cat > "$work/nginx-proxy.conf" <<NGINX
worker_processes 2;
pid $work/nginx-proxy.pid;
error_log $work/nginx-proxy-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  upstream backend { server 127.0.0.1:$BACKEND; keepalive 64; }
  server {
    listen 127.0.0.1:$NGINX_PROXY;
    location / { proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection ""; }
    # WebSockets as nginx's documentation proxies them: the ceiling for the WebSocket case too.
    location /ws/ {
      proxy_pass http://127.0.0.1:$WS_BACKEND; proxy_http_version 1.1;
      proxy_set_header Upgrade \$http_upgrade; proxy_set_header Connection "upgrade"; proxy_read_timeout 1h;
    }
  }
}
NGINX
nginx -c "$work/backend.conf" -p "$work" -g 'daemon off;' & pids+=($!)
nginx -c "$work/nginx-proxy.conf" -p "$work" -g 'daemon off;' & npid=$!; pids+=($npid)
bench_tool echo $WS_BACKEND > "$work/echo.log" 2>&1 & echo_pid=$!; pids+=($echo_pid)

start_ganymede() {
  "$root/proxy/bin/ganymede-proxy" --port $G_PORT --api-port $G_API --default-target "http://127.0.0.1:$BACKEND" \
    --log-level warn > "$work/ganymede.log" 2>&1 &
  gpid=$!; pids+=($gpid); wait_port $G_PORT; wait_port $G_API
}
start_chp() {
  node "$chp" --ip 127.0.0.1 --port $C_PORT --api-port $C_API --default-target "http://127.0.0.1:$BACKEND" \
    --log-level warn > "$work/chp.log" 2>&1 &
  cpid=$!; pids+=($cpid); wait_port $C_PORT; wait_port $C_API
}
stop() { kill "$1"; wait "$1" 2>/dev/null || true; }
add_ws_route() {
  curl -sf -X POST -H "Authorization: token $CONFIGPROXY_AUTH_TOKEN" -d "{\"target\": \"http://127.0.0.1:$WS_BACKEND\"}" \
    "http://127.0.0.1:$1/api/routes/ws" > /dev/null
}

wait_port $BACKEND; wait_port $NGINX_PROXY; wait_port $WS_BACKEND
echo "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)" > "$work/load.txt"
start_ganymede; start_chp
add_ws_route $G_API; add_ws_route $C_API

# --- HTTP: small GETs at fixed concurrency
run_wrk() { # name port pid-whose-CPU-to-count
  wrk -t1 -c"$CONNECTIONS" -d"$WARMUP"s "http://127.0.0.1:$2/hello" > /dev/null   # warm-up: the JVM's JIT needs ~10 s
  local before; before=$(cpu_ticks "$3")
  wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency "http://127.0.0.1:$2/hello" > "$work/wrk-$1.txt"
  local ticks=$(( $(cpu_ticks "$3") - before ))
  local requests; requests=$(awk '/requests in/ {print $1}' "$work/wrk-$1.txt")
  cpu_us=$(awk -v t="$ticks" -v r="$requests" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", t / hz * 1e6 / r }')
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk-$1.txt")
  p50=$(awk '$1=="50%" {print $2}' "$work/wrk-$1.txt")
  p99=$(awk '$1=="99%" {print $2}' "$work/wrk-$1.txt")
  errs=$(awk '/Non-2xx|Socket errors/ {print}' "$work/wrk-$1.txt" | tr '\n' ' ')
  echo "$1 $rps $p50 $p99 $cpu_us ${errs:-none}" >> "$work/http.txt"
}
: > "$work/http.txt"
bpid=$(cat "$work/backend.pid")
run_wrk direct $BACKEND "$bpid"
run_wrk ganymede $G_PORT $gpid
run_wrk chp $C_PORT $cpid
run_wrk nginx-proxy $NGINX_PROXY $npid

# --- WebSocket echo round trips
ws_rate() { # name port pid-whose-CPU-to-count
  local before; before=$(cpu_ticks "$3")
  bench_tool rate "$2" /ws/echo "$WS_CONNECTIONS" "$DURATION" 2>> "$work/rate.log" > "$work/rate-$1.txt"
  local ticks=$(( $(cpu_ticks "$3") - before ))
  awk -v n="$1" -v t="$ticks" -v hz="$(getconf CLK_TCK)" '/^rate/ { gsub(/\(/, "", $8); printf "%s %s %.1f\n", n, $2, t / hz * 1e6 / $8 }' \
    "$work/rate-$1.txt" >> "$work/ws.txt"
}
: > "$work/ws.txt"
ws_rate direct $WS_BACKEND $echo_pid
bench_tool rate $G_PORT /ws/echo "$WS_CONNECTIONS" "$WARMUP" > /dev/null 2>> "$work/rate.log"  # warm-up
ws_rate ganymede $G_PORT $gpid
ws_rate chp $C_PORT $cpid
ws_rate nginx-proxy $NGINX_PROXY $npid

# --- Memory: fresh processes, then ROUTES routes, then IDLE_WS idle WebSockets on top
stop $gpid; stop $cpid
start_ganymede; start_chp
sleep 2
echo "ganymede start $(rss_mib $gpid)" > "$work/mem.txt"; echo "chp start $(rss_mib $cpid)" >> "$work/mem.txt"
for name in ganymede chp; do
  if [ $name = ganymede ]; then api=$G_API; port=$G_PORT; pid=$gpid; else api=$C_API; port=$C_PORT; pid=$cpid; fi
  add_ws_route $api
  bench_tool routes $api "$CONFIGPROXY_AUTH_TOKEN" "$ROUTES" "http://127.0.0.1:$BACKEND" > /dev/null
  # a little traffic to every tenth route, so the table is not only written but read
  for i in $(seq 0 1000 $((ROUTES - 1))); do curl -s -o /dev/null "http://127.0.0.1:$port/user/u$i/x"; done
  sleep 2
  echo "$name routes $(rss_mib $pid)" >> "$work/mem.txt"
  fifo="$work/idle-$name.fifo"; mkfifo "$fifo"
  bench_tool idle $port /ws/idle "$IDLE_WS" < "$fifo" > "$work/idle-$name.log" 2>&1 & holder=$!
  exec 7>"$fifo"
  for _ in $(seq 1 600); do grep -q '^open' "$work/idle-$name.log" && break; kill -0 $holder 2>/dev/null || break; sleep 0.5; done
  grep -q '^open' "$work/idle-$name.log" || { echo "idle WebSockets failed for $name:"; cat "$work/idle-$name.log"; exit 1; }
  sleep 3
  echo "$name websockets $(rss_mib $pid)" >> "$work/mem.txt"
  exec 7>&-; wait $holder || true
done

# --- Report
val() { awk -v n="$1" -v c="$2" '$1==n {print $c}' "$3"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
{
  echo "Machine: $(nproc) cores, $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GiB RAM; $(date -u +%Y-%m-%dT%H:%MZ)"
  cat "$work/load.txt"
  echo "wrk -t1 -c$CONNECTIONS -d${DURATION}s, GET /hello (backend: nginx return 200); WebSocket: $WS_CONNECTIONS connections ping-pong ${DURATION}s"
  echo
  echo "| path | requests/s | p50 | p99 | CPU µs/request (proxy; backend for direct) | errors |"
  echo "|---|---:|---:|---:|---:|---|"
  while read -r n rps p50 p99 cpu errs; do echo "| $n | $rps | $p50 | $p99 | $cpu | $errs |"; done < "$work/http.txt"
  echo
  echo "| WebSocket echo | round trips/s | CPU µs/round trip (proxy; echo server for direct) |"
  echo "|---|---:|---:|"
  while read -r n r c; do echo "| $n | $r | $c |"; done < "$work/ws.txt"
  echo
  echo "| resident memory (MiB) | Ganymede | CHP |"
  echo "|---|---:|---:|"
  echo "| fresh | $(val ganymede 3 "$work/mem.txt" | head -1) | $(val chp 3 "$work/mem.txt" | head -1) |"
  echo "| $ROUTES routes | $(awk '$1=="ganymede" && $2=="routes" {print $3}' "$work/mem.txt") | $(awk '$1=="chp" && $2=="routes" {print $3}' "$work/mem.txt") |"
  echo "| + $IDLE_WS idle WebSockets | $(awk '$1=="ganymede" && $2=="websockets" {print $3}' "$work/mem.txt") | $(awk '$1=="chp" && $2=="websockets" {print $3}' "$work/mem.txt") |"
  echo
  g=$(val ganymede 2 "$work/http.txt"); c=$(val chp 2 "$work/http.txt"); n=$(val nginx-proxy 2 "$work/http.txt")
  gw=$(val ganymede 2 "$work/ws.txt"); cw=$(val chp 2 "$work/ws.txt"); nw=$(val nginx-proxy 2 "$work/ws.txt")
  gr=$(awk '$1=="ganymede" && $2=="routes" {print $3}' "$work/mem.txt"); cr=$(awk '$1=="chp" && $2=="routes" {print $3}' "$work/mem.txt")
  gi=$(awk '$1=="ganymede" && $2=="websockets" {print $3}' "$work/mem.txt"); ci=$(awk '$1=="chp" && $2=="websockets" {print $3}' "$work/mem.txt")
  gc=$(val ganymede 5 "$work/http.txt"); cc=$(val chp 5 "$work/http.txt"); nc=$(val nginx-proxy 5 "$work/http.txt")
  gwc=$(val ganymede 3 "$work/ws.txt"); cwc=$(val chp 3 "$work/ws.txt")
  echo "CPU per request: CHP/Ganymede $(ratio "$cc" "$gc"), nginx-proxy/Ganymede $(ratio "$nc" "$gc"); CPU per WebSocket round trip: CHP/Ganymede $(ratio "$cwc" "$gwc") (higher is better for Ganymede)."
  echo "Ratios: HTTP Ganymede/CHP $(ratio "$g" "$c") (target >= 5), Ganymede/nginx-proxy $(ratio "$g" "$n") (target >= 0.8);" \
       "WebSocket Ganymede/CHP $(ratio "$gw" "$cw") (target >= 2; nginx-proxy/CHP $(ratio "$nw" "$cw"), Ganymede/nginx-proxy $(ratio "$gw" "$nw")); memory Ganymede/CHP with routes $(ratio "$gr" "$cr")," \
       "with idle WebSockets $(ratio "$gi" "$ci") (target <= 0.5)"
} | tee "$work/results.md"
