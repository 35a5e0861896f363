#!/usr/bin/env bash
# Hub API benchmark, side by side with Debian's JupyterHub 3.0 on this machine, loopback only,
# bounded in time (a few minutes): both hubs hold the same USERS users (bench-00000 ...). Ganymede
# gets them all through its REST API (bulk POST /hub/api/users with an admin token); JupyterHub gets
# the first 1,000 through its API too, and the rest as the same rows written into its sqlite
# database while it is stopped (its API takes minutes for 10,000). wrk then measures
#   list:     GET /hub/api/users pages of 200 (pagination media type, every page in turn)
#   get:      GET /hub/api/users/<name>
#   activity: POST /hub/api/users/<name>/activity with ever newer times
# against each hub's own port (no proxy in between), plus the CPU time the hub process spent per
# request, and Ganymede's cold start (process start to GET /hub/api/ answering) on that database.
# Prints a Markdown table, also saved in bench/.work/hub-run/results.md.
#
# Needs: mvn -B package -DskipTests (hub/target/ganymede-hub-runner.jar); Debian packages jupyterhub and wrk.
# Knobs: USERS (default 10000), DURATION (s per wrk run, default 10), WARMUP (s, default 15),
#        CONNECTIONS (default 4), STARTS (cold starts measured, default 3),
#        SEQ_PAGES / SEQ_REQUESTS (one-at-a-time requests per case, default 5 / 100).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
here="$root/bench/hub"
work="$root/bench/.work/hub-run"
jar="$root/hub/target/ganymede-hub-runner.jar"
[ -f "$jar" ] || { echo "build first: mvn -B package -DskipTests" >&2; exit 1; }
# As the README runs it: with the build's AppCDS archive, when there is one (image builds make none).
cds=()
[ -f "$root/hub/target/app-cds.jsa" ] && cds=("-XX:SharedArchiveFile=$root/hub/target/app-cds.jsa")
USERS="${USERS:-10000}"; DURATION="${DURATION:-10}"; WARMUP="${WARMUP:-15}"; CONNECTIONS="${CONNECTIONS:-4}"
STARTS="${STARTS:-3}"
G_HUB=18281 G_PUBLIC=18200 G_API=18201 J_HUB=18381 J_PUBLIC=18300 J_API=18301
export BENCH_TOKEN="bench-admin-token-$(od -An -tx8 -N8 /dev/urandom | tr -d ' ')"
export USERS
rm -rf "$work"; mkdir -p "$work/ganymede" "$work/jupyterhub"
pids=()
tree_pids() { echo "$1"; local c; for c in $(pgrep -P "$1" || true); do tree_pids "$c"; done; }
stop_tree() { local q; for q in $(tree_pids "$1" | tac); do kill "$q" 2>/dev/null || true; done; }
cleanup() { local p; for p in "${pids[@]}"; do stop_tree "$p"; done; wait 2>/dev/null || true; }
trap cleanup EXIT
now_ms() { date +%s%3N; }
# Waits until the URL answers below 500; prints the milliseconds since $2 (a now_ms value).
await_up() {
  for _ in $(seq 1 1200); do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1" || true)
    if [ -n "$code" ] && [ "$code" != "000" ] && [ "$code" -lt 500 ]; then echo $(( $(now_ms) - $2 )); return 0; fi
    sleep 0.05
  done
  echo "no answer from $1" >&2; return 1
}
cpu_ticks() { local t=0 p; for p in $(tree_pids "$1"); do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0))); done; echo $t; }
hz=$(getconf CLK_TCK)

start_ganymede() {
  ( cd "$work/ganymede" && exec env QUARKUS_HTTP_PORT=$G_HUB GANYMEDE_HUB_INTERNAL_URL=http://127.0.0.1:$G_HUB \
      GANYMEDE_PROXY_PUBLIC_PORT=$G_PUBLIC GANYMEDE_PROXY_API_PORT=$G_API GANYMEDE_PROXY_API_URL=http://127.0.0.1:$G_API \
      GANYMEDE_ADMIN_TOKEN="$BENCH_TOKEN" GANYMEDE_PROFILES_WATCH=false \
      java "${cds[@]}" -jar "$jar" >>"$work/ganymede/hub.log" 2>&1 ) &
  g_pid=$!; pids+=("$g_pid")
}
start_jupyterhub() {
  cat > "$work/jupyterhub/jupyterhub_config.py" <<PY
import os
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = $J_PUBLIC
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = $J_HUB
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:$J_API"
c.JupyterHub.db_url = "sqlite:///$work/jupyterhub/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "$work/jupyterhub/cookie_secret"
c.ConfigurableHTTPProxy.pid_file = "$work/jupyterhub/proxy.pid"
c.JupyterHub.authenticator_class = "dummy"
c.JupyterHub.services = [{"name": "bench", "api_token": os.environ["BENCH_TOKEN"]}]
c.JupyterHub.load_roles = [{"name": "bench", "scopes": ["admin:users"], "services": ["bench"]}]
c.JupyterHub.log_level = "WARN"
PY
  ( cd "$work/jupyterhub" && exec env NODE_PATH=/usr/share/nodejs /usr/bin/python3 /usr/bin/jupyterhub \
      -f "$work/jupyterhub/jupyterhub_config.py" >>"$work/jupyterhub/hub.log" 2>&1 ) &
  j_pid=$!; pids+=("$j_pid")
}
create_users() { # $1 = base URL of the hub API, $2 first index, $3 last index
  local batch last names code
  for batch in $(seq "$2" 1000 "$3"); do
    last=$(( batch + 999 < $3 ? batch + 999 : $3 ))
    names=$(seq "$batch" "$last" | awk '{printf "%s\"bench-%05d\"", (NR>1?",":""), $1}')
    code=$(curl -s -o "$work/seed.out" -w '%{http_code}' -X POST -H "Authorization: token $BENCH_TOKEN" \
      -H 'Content-Type: application/json' -d "{\"usernames\": [$names]}" "$1/users")
    [ "$code" = 201 ] || { echo "seeding $1 failed: $code $(head -c 300 "$work/seed.out")" >&2; exit 1; }
  done
}
check_users() { # $1 = base URL of the hub API
  local total
  total=$(curl -s -H "Authorization: token $BENCH_TOKEN" -H 'Accept: application/jupyterhub-pagination+json' \
    "$1/users?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["_pagination"]["total"])')
  [ "$total" = "$USERS" ] || { echo "$1 holds $total users, not $USERS" >&2; exit 1; }
}
# The rows JupyterHub's API writes for a new user (as the first batch shows): name, created,
# a random cookie_id, and the "user" role.
seed_jupyterhub_db() { # $1 first index
  [ "$1" -lt "$USERS" ] || return 0
  seq "$1" $((USERS - 1)) | awk -v now="$(date -u '+%Y-%m-%d %H:%M:%S.000000')" '
    BEGIN { print "BEGIN;" }
    { printf "INSERT INTO users (name, admin, created, cookie_id) VALUES (\x27bench-%05d\x27, 0, \x27%s\x27, lower(hex(randomblob(16))));\n", $1, now }
    END { print "INSERT INTO user_role_map (user_id, role_id) SELECT u.id, r.id FROM users u, roles r WHERE r.name = \x27user\x27 AND u.id NOT IN (SELECT user_id FROM user_role_map);"; print "COMMIT;" }' \
    | sqlite3 "$work/jupyterhub/jupyterhub.sqlite"
}
# One wrk case against one hub: warm-up, then the measured run; records requests/s, latencies,
# errors and the hub's CPU microseconds per request.
measure() { # $1 hub name, $2 pid, $3 port, $4 case
  local url="http://127.0.0.1:$3" out="$work/$1-$4.txt"
  wrk -t2 -c"$CONNECTIONS" -d"${WARMUP}s" --timeout 30s -s "$here/$4.lua" "$url" >/dev/null
  local before; before=$(cpu_ticks "$2")
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 30s --latency -s "$here/$4.lua" "$url" >"$out"
  local after; after=$(cpu_ticks "$2")
  local requests rps p50 p99 errors
  requests=$(awk '/requests in/ {print $1}' "$out")
  rps=$(awk '/Requests\/sec/ {printf "%.0f", $2}' "$out")
  p50=$(awk '$1 == "50%" {print $2}' "$out"); p99=$(awk '$1 == "99%" {print $2}' "$out")
  errors=$(awk '/Non-2xx/ {print $5}' "$out"); errors=${errors:-0}
  local cpu_us=$(( (after - before) * 1000000 / hz / (requests > 0 ? requests : 1) ))
  echo "$1 $4 $rps $p50 $p99 $errors $cpu_us" >>"$work/rows"
  echo "  $1 $4: $rps req/s, p50 $p50, p99 $p99, non-2xx $errors, $cpu_us µs CPU/request" >&2
}

# The same three requests one at a time with curl (no queueing, so a slow single-threaded hub
# still completes them): wall and hub CPU milliseconds per request. On a shared machine the CPU
# time is the steadier measure, since a busy neighbour changes how much CPU a hub gets, not what a
# request costs.
sequential() { # $1 hub name, $2 pid, $3 port, $4 case, $5 requests
  local url="http://127.0.0.1:$3/hub/api" i before after t0 wall
  before=$(cpu_ticks "$2"); t0=$(now_ms)
  for i in $(seq 0 $(($5 - 1))); do
    case "$4" in
      list) curl -sf -o /dev/null -H "Authorization: token $BENCH_TOKEN" -H 'Accept: application/jupyterhub-pagination+json' \
              "$url/users?offset=$(( (i * 200) % USERS ))&limit=200" ;;
      get) curl -sf -o /dev/null -H "Authorization: token $BENCH_TOKEN" "$url/users/$(printf 'bench-%05d' $(( (i * 37) % USERS )))" ;;
      activity) curl -sf -o /dev/null -X POST -H "Authorization: token $BENCH_TOKEN" -H 'Content-Type: application/json' \
              -d "{\"last_activity\": \"$(date -u -d "@$(( $(date +%s) - 1800 + i ))" '+%Y-%m-%dT%H:%M:%S').000Z\"}" \
              "$url/users/$(printf 'bench-%05d' $(( (i * 37) % USERS )))/activity" ;;
    esac || { echo "$1 $4 request $i failed" >&2; exit 1; }
  done
  after=$(cpu_ticks "$2"); wall=$(( $(now_ms) - t0 ))
  local cpu_ms; cpu_ms=$(awk -v t=$((after - before)) -v hz="$hz" -v n="$5" 'BEGIN { printf "%.2f", t * 1000 / hz / n }')
  local wall_ms; wall_ms=$(awk -v w="$wall" -v n="$5" 'BEGIN { printf "%.1f", w / n }')
  echo "$1 $4 $wall_ms $cpu_ms" >>"$work/seq"
  echo "  $1 $4 one at a time: $wall_ms ms wall, $cpu_ms ms hub CPU per request ($5 requests)" >&2
}

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'); $(date -u '+%Y-%m-%d %H:%M UTC')" | tee "$work/machine"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$work/machine"

echo "starting both hubs, seeding $USERS users in each" >&2
t0=$(now_ms); start_ganymede; g_first=$(await_up "http://127.0.0.1:$G_HUB/hub/api/" "$t0")
t0=$(now_ms); start_jupyterhub; j_first=$(await_up "http://127.0.0.1:$J_HUB/hub/api/" "$t0")
t0=$(now_ms); create_users "http://127.0.0.1:$G_HUB/hub/api" 0 $((USERS - 1)); check_users "http://127.0.0.1:$G_HUB/hub/api"
g_seed=$(( $(now_ms) - t0 ))
api_batch=$(( USERS < 1000 ? USERS : 1000 ))
t0=$(now_ms); create_users "http://127.0.0.1:$J_HUB/hub/api" 0 $((api_batch - 1)); j_seed=$(( $(now_ms) - t0 ))
stop_tree "$j_pid"; while kill -0 "$j_pid" 2>/dev/null; do sleep 0.1; done
seed_jupyterhub_db "$api_batch"
start_jupyterhub; await_up "http://127.0.0.1:$J_HUB/hub/api/" "$(now_ms)" >/dev/null; check_users "http://127.0.0.1:$J_HUB/hub/api"
echo "  seeded: Ganymede $USERS users through its API in ${g_seed} ms; JupyterHub $api_batch through its API in ${j_seed} ms" >&2

# Cold starts of Ganymede on the seeded database (the first start above also created the schema).
starts=(); start_cpu=()
for _ in $(seq 1 "$STARTS"); do
  stop_tree "$g_pid"; while kill -0 "$g_pid" 2>/dev/null; do sleep 0.1; done
  sleep 1
  t0=$(now_ms); start_ganymede; starts+=("$(await_up "http://127.0.0.1:$G_HUB/hub/api/" "$t0")")
  start_cpu+=("$(( $(cpu_ticks "$g_pid") * 1000 / hz ))")
done
echo "  Ganymede cold starts (ms): ${starts[*]}, CPU ms used by then: ${start_cpu[*]} (first, empty database: $g_first); JupyterHub first start: $j_first" >&2

: >"$work/rows"
for case in list get activity; do
  measure ganymede "$g_pid" "$G_HUB" "$case"
  measure jupyterhub "$j_pid" "$J_HUB" "$case"
done
# Ganymede's JIT is warm by now; JupyterHub needs no warm-up.
: >"$work/seq"
for case in list get activity; do
  n=$([ "$case" = list ] && echo "${SEQ_PAGES:-5}" || echo "${SEQ_REQUESTS:-100}")
  sequential ganymede "$g_pid" "$G_HUB" "$case" "$n"
  sequential jupyterhub "$j_pid" "$J_HUB" "$case" "$n"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$work/machine"

{
  cat "$work/machine"
  echo
  echo "| case | Ganymede req/s | JupyterHub 3.0 req/s | ratio | Ganymede p50 / p99 | JupyterHub p50 / p99 | CPU µs/request Ganymede / JupyterHub | non-2xx G / J |"
  echo "|---|---:|---:|---:|---|---|---:|---:|"
  for case in list get activity; do
    read -r _ _ grps gp50 gp99 gerr gcpu < <(grep "^ganymede $case " "$work/rows")
    read -r _ _ jrps jp50 jp99 jerr jcpu < <(grep "^jupyterhub $case " "$work/rows")
    ratio=$(awk -v a="$grps" -v b="$jrps" 'BEGIN { if (b > 0) printf "%.1f×", a / b; else print "n/a" }')
    echo "| $case | $grps | $jrps | $ratio | $gp50 / $gp99 | $jp50 / $jp99 | $gcpu / $jcpu | $gerr / $jerr |"
  done
  echo
  echo "One request at a time (curl), after the runs above: wall and hub CPU milliseconds per request"
  echo
  echo "| case | Ganymede wall / CPU ms | JupyterHub 3.0 wall / CPU ms | CPU ratio |"
  echo "|---|---:|---:|---:|"
  for case in list get activity; do
    read -r _ _ gw gc < <(grep "^ganymede $case " "$work/seq")
    read -r _ _ jw jc < <(grep "^jupyterhub $case " "$work/seq")
    echo "| $case | $gw / $gc | $jw / $jc | $(awk -v a="$gc" -v b="$jc" 'BEGIN { if (a > 0) printf "%.1f×", b / a; else print "n/a" }') |"
  done
  echo
  echo "Ganymede cold start, process start to GET /hub/api/ answering, $USERS users in the database (ms): ${starts[*]}"
  echo "CPU time (user + system) the hub process had used when it first answered (ms): ${start_cpu[*]}"
  echo "(first start on an empty database, migrations included: $g_first ms; JupyterHub 3.0 first start: $j_first ms)"
  echo "Creating users through the API in batches of 1,000: Ganymede $USERS in $g_seed ms, JupyterHub $api_batch in $j_seed ms"
} | tee "$work/results.md"
