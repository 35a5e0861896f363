#!/usr/bin/env bash
# Side-by-side proxy benchmark on this machine, loopback only, bounded in time (about 8 minutes):
# nginx as the backend; wrk direct, through Ganymede, through configurable-http-proxy 5.x and
# through nginx as a keep-alive reverse proxy; WebSocket echo round trips (the same four paths); resident memory with
# 10,000 routes and with 5,000 idle WebSockets. Prints a Markdown table (also saved under bench/.work).
#
# HTTP latency (p50, p99, p99.9) is compared in rounds: each proxy is warmed once, then every round
# measures every path once, in turn, so that the proxies meet the same neighbours on a shared
# machine; the table gives the median of the rounds and each round's p99. Ganymede runs with the
# launcher's options plus GC, safepoint and JIT logging (JAVA_TOOL_OPTIONS), and the collections,
# the longest stop and the compilations during the measured runs are printed under the table.
#
# Needs: mvn -B -pl proxy package -DskipTests; npm install --prefix bench/.work/chp configurable-http-proxy;
#        Debian packages nginx-light and wrk.
# Knobs: DURATION (s per wrk run, default 10), WARMUP (s before the first, default 10),
#        ROUNDS (HTTP rounds, default 3), CONNECTIONS (default 50), WS_CONNECTIONS (default 50),
#        IDLE_WS (default 5000), ROUTES (default 10000), PORT_BASE (default 18000: ports 18000-18101).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$root/bench/.work/proxy-run"
jar="$(ls "$root"/proxy/target/ganymede-proxy-*-all.jar | head -n 1)"
chp="$root/bench/.work/chp/node_modules/configurable-http-proxy/bin/configurable-http-proxy"
[ -f "$jar" ] || { echo "build first: mvn -B -pl proxy package -DskipTests" >&2; exit 1; }
[ -f "$chp" ] || { echo "install CHP first: npm install --prefix bench/.work/chp configurable-http-proxy" >&2; exit 1; }
DURATION="${DURATION:-10}"; CONNECTIONS="${CONNECTIONS:-50}"; WS_CONNECTIONS="${WS_CONNECTIONS:-50}"
IDLE_WS="${IDLE_WS:-5000}"; ROUTES="${ROUTES:-10000}"; WARMUP="${WARMUP:-10}"; ROUNDS="${ROUNDS:-3}"
# Every port is PORT_BASE plus a fixed offset, so a run can move aside from other programs' ports.
P="${PORT_BASE:-18000}"
BACKEND=$((P + 80)) NGINX_PROXY=$((P + 81)) WS_BACKEND=$((P + 90)) G_PORT=$P G_API=$((P + 1)) C_PORT=$((P + 100)) C_API=$((P + 101))
for port in $BACKEND $NGINX_PROXY $WS_BACKEND $G_PORT $G_API $C_PORT $C_API; do
  if (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; then echo "port $port is in use; choose another PORT_BASE" >&2; exit 1; fi
done
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
# A process and its children (nginx's workers): their resident memory added up.
tree_rss_mib() { local p; for p in $(tree_pids "$1"); do awk '/VmRSS/ {print $2}' "/proc/$p/status" 2>/dev/null; done | awk '{s += $1} END {printf "%.0f", s/1024}'; }

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

start_ganymede() { # [gc-log]: with it, GC, safepoint and JIT logging on top of the launcher's options
  local logging=()
  [ -n "${1:-}" ] && logging=("JAVA_TOOL_OPTIONS=-Xlog:gc,safepoint:file=$1:uptime -XX:+PrintCompilation")
  env "${logging[@]}" "$root/proxy/bin/ganymede-proxy" --port $G_PORT --api-port $G_API \
    --default-target "http://127.0.0.1:$BACKEND" --log-level warn > "$work/ganymede${1:+-logged}.log" 2>&1 &
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
start_ganymede "$work/ganymede-gc.log"; start_chp
add_ws_route $G_API; add_ws_route $C_API

# --- HTTP: small GETs at fixed concurrency, in rounds
cat > "$work/latency.lua" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("latency-us %d %d %d\n", latency:percentile(50), latency:percentile(99), latency:percentile(99.9)))
end
LUA
gc_lines() { wc -l < "$work/ganymede-gc.log"; }
jit_lines() { wc -l < "$work/ganymede-logged.log"; }
measure_wrk() { # name port pid-whose-CPU-to-count round
  local before gc0 jit0 out="$work/wrk-$1-$4.txt"
  before=$(cpu_ticks "$3"); gc0=$(gc_lines); jit0=$(jit_lines)
  wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$work/latency.lua" "http://127.0.0.1:$2/hello" > "$out"
  local ticks=$(( $(cpu_ticks "$3") - before ))
  if [ "$1" = ganymede ]; then
    sed -n "$((gc0 + 1)),$(gc_lines)p" "$work/ganymede-gc.log" >> "$work/gc-measured.log"
    sed -n "$((jit0 + 1)),$(jit_lines)p" "$work/ganymede-logged.log" | grep -E '^ +[0-9]+ +[0-9]+ ' >> "$work/jit-measured.log" || true
  fi
  # name round requests/s requests ticks p50 p99 p99.9 (µs) errors
  echo "$1 $4 $(awk '/Requests\/sec/ {print $2}' "$out") $(awk '/requests in/ {print $1}' "$out") $ticks" \
    "$(awk '/^latency-us/ {print $2, $3, $4}' "$out") $(awk '/Non-2xx|Socket errors/ {print}' "$out" | tr ' \n' '_ ')" >> "$work/http-rounds.txt"
}
: > "$work/http-rounds.txt"; : > "$work/gc-measured.log"; : > "$work/jit-measured.log"
bpid=$(cat "$work/backend.pid")
names=(direct ganymede chp nginx-proxy)
declare -A port_of=([direct]=$BACKEND [ganymede]=$G_PORT [chp]=$C_PORT [nginx-proxy]=$NGINX_PROXY)
declare -A pid_of=([direct]=$bpid [ganymede]=$gpid [chp]=$cpid [nginx-proxy]=$npid)
for n in "${names[@]}"; do   # warm-up: the JVM's JIT needs ~10 s
  wrk -t1 -c"$CONNECTIONS" -d"$WARMUP"s "http://127.0.0.1:${port_of[$n]}/hello" > /dev/null
done
for round in $(seq 1 "$ROUNDS"); do
  shift_by=$(( (round - 1) % ${#names[@]} ))
  for n in "${names[@]:$shift_by}" "${names[@]:0:$shift_by}"; do measure_wrk "$n" "${port_of[$n]}" "${pid_of[$n]}" "$round"; done
done
echo "load average after the HTTP runs: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$work/load.txt"
# Resident memory of each proxy after its HTTP runs (nginx: master and workers).
{ echo "ganymede $(rss_mib $gpid)"; echo "chp $(rss_mib $cpid)"; echo "nginx-proxy $(tree_rss_mib $npid)"; } > "$work/http-rss.txt"
# Per path: median requests/s and latencies of the rounds, CPU per request over all rounds, each round's p99.
awk -v hz="$(getconf CLK_TCK)" '
  function median(list,   a, i, j, t, n) {   # (mawk has no asort)
    n = split(list, a, " ")
    for (i = 2; i <= n; i++) { t = a[i] + 0; for (j = i - 1; j >= 1 && a[j] + 0 > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
  { rps[$1] = rps[$1] " " $3; req[$1] += $4; ticks[$1] += $5; p50[$1] = p50[$1] " " $6; p99[$1] = p99[$1] " " $7
    p999[$1] = p999[$1] " " $8; each[$1] = each[$1] (each[$1] == "" ? "" : " · ") sprintf("%.2f", $7 / 1000)
    if ($9 != "") errs[$1] = errs[$1] $9 " "; if (!($1 in seen)) { seen[$1] = 1; order[++k] = $1 } }
  END { for (i = 1; i <= k; i++) { n = order[i]
    printf "%s %.0f %.2f %.2f %.2f %.1f %s|%s\n", n, median(rps[n]), median(p50[n]) / 1000, median(p99[n]) / 1000,
      median(p999[n]) / 1000, ticks[n] / hz * 1e6 / req[n], (errs[n] == "" ? "none" : errs[n]), each[n] } }' \
  "$work/http-rounds.txt" > "$work/http.txt"
# What the JVM did during Ganymede's measured runs.
awk -v secs=$((ROUNDS * DURATION)) -v jit="$(grep -vc 'made not entrant' "$work/jit-measured.log" || true)" \
    -v deopt="$(grep -c 'made not entrant' "$work/jit-measured.log" || true)" '
  /Pause Young/ { y++; ms = $NF + 0; ys += ms; if (ms > ym) ym = ms }
  /Pause Full/ { f++; ms = $NF + 0; fs += ms; if (ms > fm) fm = ms }
  /Safepoint/ { match($0, /Total: [0-9]+/); t = substr($0, RSTART + 7, RLENGTH - 7) / 1e6; if (t > sm) sm = t }
  END { printf "Ganymede during its %d s of measured HTTP runs: %d young collections (%.0f ms in all, longest %.1f ms), " \
          "%d full (%.0f ms, longest %.1f ms); longest stop of all threads %.1f ms (safepoint, reaching it included); " \
          "%d JIT compilations, %d methods made not entrant.\n", secs, y, ys, ym, f, fs, fm, sm, jit, deopt }' "$work/gc-measured.log" > "$work/jvm.txt"

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
  echo "wrk -t1 -c$CONNECTIONS, GET /hello (backend: nginx return 200), ${WARMUP}s warm-up per path, then $ROUNDS rounds of ${DURATION}s per path;" \
       "WebSocket: $WS_CONNECTIONS connections ping-pong ${DURATION}s"
  echo
  echo "| path | requests/s | p50 ms | p99 ms | p99.9 ms | p99 of each round, ms | CPU µs/request (proxy; backend for direct) | resident MiB after | errors |"
  echo "|---|---:|---:|---:|---:|---|---:|---:|---|"
  while IFS='|' read -r fields each; do
    read -r n rps p50 p99 p999 cpu errs <<< "$fields"
    echo "| $n | $rps | $p50 | $p99 | $p999 | $each | $cpu | $(val "$n" 2 "$work/http-rss.txt" | grep . || echo -) | $errs |"
  done < "$work/http.txt"
  echo
  cat "$work/jvm.txt"
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
  gc=$(val ganymede 6 "$work/http.txt"); cc=$(val chp 6 "$work/http.txt"); nc=$(val nginx-proxy 6 "$work/http.txt")
  gl=$(val ganymede 4 "$work/http.txt"); cl=$(val chp 4 "$work/http.txt"); nl=$(val nginx-proxy 4 "$work/http.txt")
  gwc=$(val ganymede 3 "$work/ws.txt"); cwc=$(val chp 3 "$work/ws.txt")
  echo "CPU per request: CHP/Ganymede $(ratio "$cc" "$gc"), nginx-proxy/Ganymede $(ratio "$nc" "$gc"); CPU per WebSocket round trip: CHP/Ganymede $(ratio "$cwc" "$gwc") (higher is better for Ganymede)."
  echo "HTTP p99: Ganymede/CHP $(ratio "$gl" "$cl") (target <= 1), Ganymede/nginx-proxy $(ratio "$gl" "$nl") (target <= 1.5)."
  echo "Ratios: HTTP Ganymede/CHP $(ratio "$g" "$c") (target >= 5), Ganymede/nginx-proxy $(ratio "$g" "$n") (target >= 0.8);" \
       "WebSocket Ganymede/CHP $(ratio "$gw" "$cw") (target >= 2; nginx-proxy/CHP $(ratio "$nw" "$cw"), Ganymede/nginx-proxy $(ratio "$gw" "$nw")); memory Ganymede/CHP with routes $(ratio "$gr" "$cr")," \
       "with idle WebSockets $(ratio "$gi" "$ci") (target <= 0.5)"
  echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$work/results.md"
