#!/usr/bin/env bash
# Hub API benchmark: Ganymede beside JupyterHub 5.5 (with configurable-http-proxy 5.3, its default
# proxy) and Debian's JupyterHub 3.0 (with Debian's CHP 4.5), one run, one machine, loopback only,
# bounded in time. Every hub gets the same USERS users (user00000@example.com ...) through its own
# REST API, POST /hub/api/users {"usernames": [...]} in batches of BATCH, as its users would, and
# the time that takes is reported. wrk (-t1 -cCONNECTIONS, WARMUP s then DURATION s) then measures
#   list:     GET /hub/api/users?offset=5000&limit=200 with the pagination media type
#   get:      GET /hub/api/users/<name>
#   activity: POST /hub/api/users/<name>/activity with ever newer times
# on each hub's own port and through its proxy's public port, with the CPU time the hub process
# (and the proxy process, where it is another one) spent per request, and each process's resident
# memory (VmRSS) after the runs. Also Ganymede's cold start (process start to GET /hub/api/
# answering) on the seeded database. Prints Markdown, also saved in bench/.work/hub-run/results.md.
#
# Needs: mvn -B -pl proxy,hub package -DskipTests; Debian packages jupyterhub, wrk, python3-venv
# and npm. JupyterHub 5.5 and CHP 5.3 are the end-to-end tests' own, pinned there:
# src/test/peers/install.sh installs them on first use under ${GANYMEDE_CACHE:-~/.cache/ganymede}.
# Knobs: USERS (10000), BATCH (1000), DURATION (8), WARMUP (4), CONNECTIONS (8), STARTS (3),
#        PREWARM (s of each case on each hub, unmeasured, before the measured runs; 10),
#        HUBS (which to run, default "ganymede jupyterhub-5.5 jupyterhub-3.0"), PORT_BASE (18400),
#        GANYMEDE_JAVA_OPTS (replaces the launcher's JVM options, to compare settings).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
here="$root/bench/hub"
work="$root/bench/.work/hub-run"
launcher="$root/hub/bin/ganymede-hub"
[ -f "$root/hub/target/ganymede-hub-runner.jar" ] || { echo "build first: mvn -B -pl proxy,hub package -DskipTests" >&2; exit 1; }
USERS="${USERS:-10000}"; BATCH="${BATCH:-1000}"; DURATION="${DURATION:-8}"; WARMUP="${WARMUP:-4}"
CONNECTIONS="${CONNECTIONS:-8}"; STARTS="${STARTS:-3}"; PORT_BASE="${PORT_BASE:-18400}"; PREWARM="${PREWARM:-10}"
HUBS="${HUBS:-ganymede jupyterhub-5.5 jupyterhub-3.0}"
export BENCH_TOKEN="bench-admin-token-$(od -An -tx8 -N8 /dev/urandom | tr -d ' ')"
export USERS
hz=$(getconf CLK_TCK)

# Pinned anchors: the same installation the end-to-end tests run against, so the pins are in one place.
peers=""
[[ " $HUBS " == *" jupyterhub-5.5 "* ]] && peers="$("$root/src/test/peers/install.sh")"
jh55="$peers/jupyterhub-5.5"
chp53="$peers/chp/node_modules/.bin/configurable-http-proxy"

rm -rf "$work"; mkdir -p "$work"
pids=()
tree_pids() { echo "$1"; local c; for c in $(pgrep -P "$1" || true); do tree_pids "$c"; done; }
stop_tree() { local q; for q in $(tree_pids "$1" | tac); do kill "$q" 2>/dev/null || true; done; }
cleanup() { local p; for p in "${pids[@]}"; do stop_tree "$p"; done; wait 2>/dev/null || true; }
trap cleanup EXIT
trap 'exit 130' INT TERM
now_ms() { date +%s%3N; }
# Waits until the URL answers below 500; prints the milliseconds since $2 (a now_ms value).
await_up() {
  local code
  for _ in $(seq 1 1200); do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1" || true)
    if [ -n "$code" ] && [ "$code" != "000" ] && [ "$code" -lt 500 ]; then echo $(( $(now_ms) - $2 )); return 0; fi
    sleep 0.05
  done
  echo "no answer from $1" >&2; return 1
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
rss_mib() { awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status" 2>/dev/null || echo 0; }

# Per hub: its ports (hub, public, proxy API), and after start its hub pid and proxy pid.
declare -A HUB_PORT PUBLIC_PORT API_PORT HUB_PID PROXY_PID
i=0
for h in $HUBS; do
  HUB_PORT[$h]=$((PORT_BASE + i * 10 + 1)); PUBLIC_PORT[$h]=$((PORT_BASE + i * 10 + 2)); API_PORT[$h]=$((PORT_BASE + i * 10 + 3))
  i=$((i + 1))
done

start_ganymede() {
  mkdir -p "$work/ganymede"
  local opts=()
  [ -n "${GANYMEDE_JAVA_OPTS:-}" ] && opts=(env "JAVA_OPTS=$GANYMEDE_JAVA_OPTS")
  ( cd "$work/ganymede" && exec "${opts[@]}" env QUARKUS_HTTP_PORT=${HUB_PORT[ganymede]} \
      GANYMEDE_HUB_INTERNAL_URL=http://127.0.0.1:${HUB_PORT[ganymede]} \
      GANYMEDE_PROXY_PUBLIC_PORT=${PUBLIC_PORT[ganymede]} GANYMEDE_PROXY_API_PORT=${API_PORT[ganymede]} \
      GANYMEDE_PROXY_API_URL=http://127.0.0.1:${API_PORT[ganymede]} \
      GANYMEDE_ADMIN_TOKEN="$BENCH_TOKEN" GANYMEDE_PROFILES_WATCH=false \
      "$launcher" >>"$work/ganymede/hub.log" 2>&1 ) &
  pids+=("$!")
  HUB_PID[ganymede]=$!; PROXY_PID[ganymede]=""
}
start_jupyterhub() { # $1 = jupyterhub-5.5 or jupyterhub-3.0
  local h=$1 dir="$work/$1" proxy_cmd python jupyterhub
  mkdir -p "$dir"
  if [ "$h" = jupyterhub-5.5 ]; then
    python="$jh55/bin/python"; jupyterhub="$jh55/bin/jupyterhub"; proxy_cmd="['$chp53']"
  else
    python=/usr/bin/python3; jupyterhub=/usr/bin/jupyterhub; proxy_cmd="['configurable-http-proxy']"
  fi
  cat > "$dir/jupyterhub_config.py" <<PY
import os
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = ${PUBLIC_PORT[$h]}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = ${HUB_PORT[$h]}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:${API_PORT[$h]}"
c.ConfigurableHTTPProxy.command = $proxy_cmd
c.ConfigurableHTTPProxy.pid_file = "$dir/proxy.pid"
c.JupyterHub.db_url = "sqlite:///$dir/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "$dir/cookie_secret"
c.JupyterHub.authenticator_class = "dummy"
c.JupyterHub.services = [{"name": "bench", "api_token": os.environ["BENCH_TOKEN"]}]
c.JupyterHub.load_roles = [{"name": "bench", "scopes": ["admin:users"], "services": ["bench"]}]
c.JupyterHub.log_level = "WARN"
PY
  ( cd "$dir" && exec env NODE_PATH=/usr/share/nodejs "$python" "$jupyterhub" -f "$dir/jupyterhub_config.py" >>"$dir/hub.log" 2>&1 ) &
  pids+=("$!")
  HUB_PID[$h]=$!
}
start_hub() { # $1 hub; sets STARTED_MS (to GET /hub/api/ answering on the hub's port) and the pids
  local t0; t0=$(now_ms)
  if [ "$1" = ganymede ]; then start_ganymede; else start_jupyterhub "$1"; fi
  STARTED_MS=$(await_up "http://127.0.0.1:${HUB_PORT[$1]}/hub/api/" "$t0")
  await_up "http://127.0.0.1:${PUBLIC_PORT[$1]}/hub/api/" "$t0" >/dev/null
  if [ "$1" != ganymede ]; then PROXY_PID[$1]=$(cat "$work/$1/proxy.pid"); fi
}
create_users() { # $1 = base URL of the hub API
  local batch last names code
  for batch in $(seq 0 "$BATCH" $((USERS - 1))); do
    last=$(( batch + BATCH - 1 < USERS - 1 ? batch + BATCH - 1 : USERS - 1 ))
    names=$(seq "$batch" "$last" | awk '{printf "%s\"user%05d@example.com\"", (NR>1?",":""), $1}')
    code=$(curl -s -o "$work/seed-$BASHPID.out" -w '%{http_code}' --max-time 600 -X POST -H "Authorization: token $BENCH_TOKEN" \
      -H 'Content-Type: application/json' -d "{\"usernames\": [$names]}" "$1/users")
    [ "$code" = 201 ] || { echo "seeding $1 failed: $code $(head -c 300 "$work/seed-$BASHPID.out")" >&2; exit 1; }
  done
  local total
  total=$(curl -s -H "Authorization: token $BENCH_TOKEN" -H 'Accept: application/jupyterhub-pagination+json' \
    "$1/users?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["_pagination"]["total"])')
  [ "$total" = "$USERS" ] || { echo "$1 holds $total users, not $USERS" >&2; exit 1; }
}

# One wrk case against one hub through one port: warm-up, then the measured run; records
# requests/s, latencies, errors, the CPU microseconds per request of the hub process and of the
# proxy process (0 when the proxy is inside the hub).
measure() { # $1 hub, $2 via (hub|proxy), $3 case
  local h=$1 port out="$work/$1-$2-$3.txt"
  port=$([ "$2" = hub ] && echo "${HUB_PORT[$h]}" || echo "${PUBLIC_PORT[$h]}")
  local url="http://127.0.0.1:$port"
  wrk -t1 -c"$CONNECTIONS" -d"${WARMUP}s" --timeout 30s -s "$here/$3.lua" "$url" >/dev/null
  local hb pb ha pa
  hb=$(cpu_ticks "${HUB_PID[$h]}"); pb=$([ -n "${PROXY_PID[$h]}" ] && cpu_ticks "${PROXY_PID[$h]}" || echo 0)
  wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 30s --latency -s "$here/$3.lua" "$url" >"$out"
  ha=$(cpu_ticks "${HUB_PID[$h]}"); pa=$([ -n "${PROXY_PID[$h]}" ] && cpu_ticks "${PROXY_PID[$h]}" || echo 0)
  local requests rps p50 p99 errors n
  requests=$(awk '/requests in/ {print $1}' "$out"); n=$(( requests > 0 ? requests : 1 ))
  rps=$(awk '/Requests\/sec/ {printf "%.0f", $2}' "$out")
  p50=$(awk '$1 == "50%" {print $2}' "$out"); p99=$(awk '$1 == "99%" {print $2}' "$out")
  errors=$(awk '/Non-2xx/ {print $5}' "$out"); errors=${errors:-0}
  local hub_us=$(( (ha - hb) * 1000000 / hz / n )) proxy_us=$(( (pa - pb) * 1000000 / hz / n ))
  echo "$h $2 $3 $rps $p50 $p99 $errors $hub_us $proxy_us" >>"$work/rows"
  echo "  $h via $2, $3: $rps req/s, p50 $p50, p99 $p99, non-2xx $errors, CPU µs/request hub $hub_us proxy $proxy_us (load $(cut -d' ' -f1 /proc/loadavg))" >&2
}

{
  echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/^Mem/ {print $2}') GiB; $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "versions: $(java -version 2>&1 | head -1); JupyterHub 5.5: $([ -x "$jh55/bin/jupyterhub" ] && "$jh55/bin/jupyterhub" --version || echo -), CHP $([ -x "$chp53" ] && "$chp53" --version || echo -); JupyterHub 3.0: $(/usr/bin/jupyterhub --version 2>/dev/null || echo -)"
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$work/machine"

: >"$work/rows"; : >"$work/setup"
for h in $HUBS; do
  start_hub "$h"; echo "$h first start $STARTED_MS ms" | tee -a "$work/setup" >&2
done
# The hubs are seeded at the same time: JupyterHub takes minutes for 10,000 users.
seeders=()
for h in $HUBS; do
  ( t0=$(now_ms); create_users "http://127.0.0.1:${HUB_PORT[$h]}/hub/api"
    echo "$h: $USERS users through its API in batches of $BATCH, all hubs seeded at once: $(( $(now_ms) - t0 )) ms" | tee -a "$work/setup" >&2 ) &
  seeders+=("$!")
done
for s in "${seeders[@]}"; do wait "$s" || { echo "seeding failed" >&2; exit 1; }; done

# Cold starts of Ganymede on the seeded database (the first start above also created the schema).
if [[ " $HUBS " == *" ganymede "* ]]; then
  starts=(); start_cpu=()
  for _ in $(seq 1 "$STARTS"); do
    stop_tree "${HUB_PID[ganymede]}"; while kill -0 "${HUB_PID[ganymede]}" 2>/dev/null; do sleep 0.1; done
    sleep 1
    start_hub ganymede; starts+=("$STARTED_MS")
    start_cpu+=("$(( $(cpu_ticks "${HUB_PID[ganymede]}") * 1000 / hz ))")
  done
  echo "Ganymede cold starts with $USERS users (ms): ${starts[*]}; CPU ms used by then: ${start_cpu[*]}" | tee -a "$work/setup" >&2
fi

# Every hub first serves each case for PREWARM seconds unmeasured: a JVM compiles its hot paths
# in the first seconds of load (longer on a busy machine), which the 4 s warm-up of a case does not
# cover; JupyterHub gets the same.
for h in $HUBS; do
  for case in list get activity; do
    wrk -t1 -c"$CONNECTIONS" -d"${PREWARM}s" --timeout 30s -s "$here/$case.lua" "http://127.0.0.1:${HUB_PORT[$h]}" >/dev/null
  done
done
for case in list get activity; do
  for via in hub proxy; do
    for h in $HUBS; do measure "$h" "$via" "$case"; done
  done
done
for h in $HUBS; do
  echo "$h $(rss_mib "${HUB_PID[$h]}") $([ -n "${PROXY_PID[$h]}" ] && rss_mib "${PROXY_PID[$h]}" || echo 0)" >>"$work/rss"
done
if [[ " $HUBS " == *" ganymede "* ]]; then
  # The JVM's own view: collections during the whole run, and where its memory is.
  jstat -gc "${HUB_PID[ganymede]}" | awk 'NR == 2 {printf "Ganymede garbage collections over the run: %d young (%.1f s), %d full (%.1f s)\n", $13, $14, $15, $16}' >>"$work/setup" || true
  echo "Ganymede JVM options: $(tr '\0' ' ' <"/proc/${HUB_PID[ganymede]}/cmdline" | sed 's/ -jar .*//; s/^java //')" >>"$work/setup"
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$work/machine"

set +e  # the report below only prints; a test that comes out false must not end it
{
  cat "$work/machine"
  echo
  printf '| case | via |'; for h in $HUBS; do printf ' %s req/s |' "$h"; done
  [[ " $HUBS " == *" ganymede "* ]] && for h in $HUBS; do [ "$h" != ganymede ] && printf ' ratio to %s |' "$h"; done
  printf ' p50 / p99 ms |'; printf ' CPU µs/request, hub + proxy |\n'
  printf '|---|---|'; for _ in $HUBS; do printf -- '---:|'; done
  [[ " $HUBS " == *" ganymede "* ]] && for h in $HUBS; do [ "$h" != ganymede ] && printf -- '---:|'; done
  printf -- '---|---|\n'
  for case in list get activity; do
    for via in hub proxy; do
      declare -A RPS=() LAT=() CPU=()
      for h in $HUBS; do
        read -r _ _ _ rps p50 p99 err hub_us proxy_us < <(grep "^$h $via $case " "$work/rows")
        RPS[$h]=$rps; LAT[$h]="$p50 / $p99"; [ "$err" = 0 ] || LAT[$h]+=" ($err non-2xx)"
        CPU[$h]=$([ "$proxy_us" = 0 ] && [ "$h" = ganymede ] && echo "$hub_us" || echo "$hub_us + $proxy_us")
      done
      printf '| %s | %s |' "$case" "$via"
      for h in $HUBS; do printf ' %s |' "${RPS[$h]}"; done
      if [[ " $HUBS " == *" ganymede "* ]]; then
        for h in $HUBS; do
          [ "$h" = ganymede ] && continue
          printf ' %s |' "$(awk -v a="${RPS[ganymede]}" -v b="${RPS[$h]}" 'BEGIN { if (b > 0) printf "%.1f×", a / b; else print "n/a" }')"
        done
      fi
      printf ' %s |' "$(for h in $HUBS; do printf '%s: %s; ' "$h" "${LAT[$h]}"; done | sed 's/; $//')"
      printf ' %s |\n' "$(for h in $HUBS; do printf '%s: %s; ' "$h" "${CPU[$h]}"; done | sed 's/; $//')"
    done
  done
  echo
  echo "Resident memory after the runs (VmRSS, MiB), hub process + proxy process:"
  while read -r h hub proxy; do echo "- $h: $hub$([ "$proxy" != 0 ] && echo " + $proxy = $((hub + proxy))")"; done <"$work/rss"
  echo
  sed 's/^/- /' "$work/setup"
} | tee "$work/results.md"
