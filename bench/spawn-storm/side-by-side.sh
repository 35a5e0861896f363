#!/usr/bin/env bash
# Spawn storm on a real control plane, Ganymede and JupyterHub 6.1 + KubeSpawner 7.1 one after the
# other on the same API server, for each N given (default 100 500 1000):
#
#   bench/spawn-storm/side-by-side.sh [N ...]
#
# The test bed's control plane (src/test/testbed/start.sh: etcd, kube-apiserver, scheduler,
# controller manager) with kwok nodes instead of kubelets: pods are bound by the real scheduler and
# turned Running and Ready by kwok (stages "fast"), with addresses in 127.3.0.0/16. Both hubs then
# check the server themselves (Ganymede's readiness probe, JupyterHub's wait_up) against the same
# stand-in (readiness_stub.py: a listener on <pod IP>:8888 per pod, answering 200). Same profile for
# both (cpu-small: 0.5-2 CPUs, 2-8 GB, a 10 GiB ReadWriteOnce claim per user of class standard-rwo,
# which here has no provisioner and, as GKE's standard-rwo, binds when the scheduler places the pod
# (WaitForFirstConsumer), to volumes made beforehand; with Immediate binding the real scheduler left
# one pod in 20 unschedulable for its 5-minute retry after binding its claim), same
# concurrent-spawn limit (LIMIT, default 100, both hubs' default), admin credentials for both.
# storm.py drives each system and prints one JSON line; the results go to $OUT (default
# bench/spawn-storm/results-<date>.jsonl) and a table is printed at the end.
# KUBE_API_QPS (default 5000) lifts the controller manager's and scheduler's client rate limits, as
# kwokctl does for scale tests: at their defaults (20 and 50 requests/s; KUBE_API_QPS= keeps them)
# the PV controller binds about 5 claims a second and sets the pace of both systems.
# WARMUP (default 20) servers are started and stopped on each hub before its storm, so the storm
# meets a hub that has served people before, as on a Monday morning, not one in its first minute.
# SYSTEMS (default "ganymede jupyterhub") picks who runs. PROFILE=cpu|wall|alloc|lock attaches
# async-profiler 3.0 (ASYNC_PROFILER, default ~/.cache/ganymede/async-profiler-3.0) to Ganymede's
# JVM during the storm, with a GC log of the whole run: ganymede-<N>/profile-<event>.collapsed (one
# line per stack, for grep or a flame graph tool) and gc.log.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
sizes=("${@:-100 500 1000}")
read -r -a sizes <<<"${sizes[*]}"
LIMIT="${LIMIT:-100}"
SYSTEMS="${SYSTEMS:-ganymede jupyterhub}"
PROFILE="${PROFILE:-}"
ASYNC_PROFILER="${ASYNC_PROFILER:-$HOME/.cache/ganymede/async-profiler-3.0}"
export TESTBED_KUBE_API_QPS="${KUBE_API_QPS-5000}"
IDLE="${IDLE:-60}"
WARMUP="${WARMUP:-20}"
OUT="${OUT:-$here/results-$(date -u +%Y%m%dT%H%M%SZ).jsonl}"
kwok_bin="$("$here/build-kwok.sh")"
peers="$("$root/src/test/peers/install.sh")"
venv="$peers/jupyterhub-6.1"
"$venv/bin/python" -c 'import kubespawner' || { echo "KubeSpawner is missing from $venv" >&2; exit 1; }
jar="$root/hub/target/ganymede-hub-runner.jar"
[ -f "$jar" ] || (cd "$root" && mvn -B -q -pl proxy,hub package -DskipTests)
work="$(mktemp -d -t spawn-storm.XXXXXX)"
echo "spawn-storm: working in $work" >&2
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

# The control plane, kwok and the stand-in servers.
"$root/src/test/testbed/start.sh" "$work/cp" >"$work/testbed.log" 2>&1 & pids+=($!)
for _ in $(seq 1 900); do [ -f "$work/cp/ready" ] && break; sleep 0.2; done
[ -f "$work/cp/ready" ] || { echo "the control plane did not start: $work/cp" >&2; exit 1; }
export KUBECONFIG="$work/cp/kubeconfig"
api_url="$(grep -o 'https://[^"]*' "$KUBECONFIG" | head -1)"
api_token="$(grep -o 'token: "[^"]*' "$KUBECONFIG" | cut -d'"' -f2)"
"$kwok_bin/kwok" --kubeconfig "$KUBECONFIG" --config "$kwok_bin/stages.yaml" \
  --manage-nodes-with-label-selector type=kwok --cidr 127.3.0.0/16 --node-ip 127.2.1.1 \
  --server-address 127.0.0.1:0 >"$work/kwok.log" 2>&1 & pids+=($!)
"$venv/bin/python" "$here/readiness_stub.py" 8888 >"$work/stub.log" 2>&1 & pids+=($!)

# Claims stay after their servers stop, and every size has users of its own: each system needs a
# volume for every user and warm-up server of every size.
max=0; users=0; for n in "${sizes[@]}"; do [ "$n" -gt "$max" ] && max=$n; users=$(( users + n + WARMUP )); done
nodes=$(( max / 100 + 1 ))
{
  for i in $(seq 1 "$nodes"); do cat <<NODE
---
apiVersion: v1
kind: Node
metadata:
  name: kwok-node-$i
  labels: {type: kwok, kubernetes.io/hostname: kwok-node-$i, kubernetes.io/os: linux, kubernetes.io/arch: amd64}
  annotations: {kwok.x-k8s.io/node: fake}
spec: {}
status:
  allocatable: {cpu: "64", memory: 512Gi, pods: "110"}
  capacity: {cpu: "64", memory: 512Gi, pods: "110"}
NODE
  done
  cat <<SC
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: standard-rwo}
provisioner: kubernetes.io/no-provisioner
volumeBindingMode: WaitForFirstConsumer
SC
  # Two volumes per user, one for each system.
  for i in $(seq 1 $(( 2 * users ))); do cat <<PV
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: bench-disk-$i}
spec:
  capacity: {storage: 10Gi}
  accessModes: [ReadWriteOnce]
  storageClassName: standard-rwo
  persistentVolumeReclaimPolicy: Retain
  hostPath: {path: /nonexistent/bench-disk-$i}
PV
  done
  for ns in bench-ganymede bench-jupyterhub; do printf -- '---\napiVersion: v1\nkind: Namespace\nmetadata: {name: %s}\n' "$ns"; done
} >"$work/cluster.yaml"
kubectl apply -f "$work/cluster.yaml" >/dev/null
kubectl wait --for=condition=Ready node -l type=kwok --timeout=120s >/dev/null
# The API server taints a new node not-ready; with no node-lifecycle controller nothing lifts it.
kubectl taint nodes -l type=kwok node.kubernetes.io/not-ready:NoSchedule- >/dev/null

cat >"$work/profiles.yaml" <<'YAML'
defaults:
  image: quay.io/jupyter/scipy-notebook:2025-10-20
  cpu_guarantee: 0.5
  mem_guarantee: 1G
profiles:
  - display_name: "CPU (small)"
    slug: cpu-small
    default: true
    storage: {kind: pd, size: 10Gi}
    kubespawner_override: {cpu_limit: 2, mem_guarantee: 2G, mem_limit: 8G}
YAML

run_ganymede() {
  local n=$1 dir="$work/ganymede-$n" port hub_port api_port token=bench-ganymede-token
  mkdir -p "$dir"; port=$(free_port); hub_port=$(free_port); api_port=$(free_port)
  kubectl delete pods -n bench-ganymede --all --wait=false >/dev/null
  # The JVM options of the hub's image, as it runs on GKE (quarkus.jib.jvm-additional-arguments in
  # application.yaml): the launcher's fixed 96 MiB heap is sized for a hub without the Kubernetes
  # spawner's caches, and a storm of 100 on it spent its last seconds in back-to-back full collections.
  local java_opts="${JAVA_OPTS:--XX:+UseSerialGC -Xms96m -Xmx384m -XX:MaxMetaspaceSize=192m -XX:ReservedCodeCacheSize=64m -Xss512k}"
  local on_storm=()
  if [ -n "$PROFILE" ]; then
    # The profiler is loaded into the running JVM as the storm begins and dumps as it ends, so the
    # profile holds the storm only (not the start-up or the warm-up); a GC log covers the whole run.
    local lib="$ASYNC_PROFILER/linux-x64/libasyncProfiler.so" every=""
    case "$PROFILE" in cpu) every=",interval=1ms" ;; wall) every=",interval=10ms" ;; esac
    java_opts+=" -Xlog:gc:file=$dir/gc.log"
    # (jcmd reads key=value words as its own options: the agent's options go in double quotes.)
    on_storm=(--on-storm "jcmd \$(cat $dir/pid) JVMTI.agent_load $lib '\"start,event=$PROFILE$every\"' >/dev/null"
      "jcmd \$(cat $dir/pid) JVMTI.agent_load $lib '\"stop,file=$dir/profile-$PROFILE.collapsed\"' >/dev/null")
  fi
  (cd "$dir" && JAVA_OPTS="$java_opts" GANYMEDE_ADMIN_TOKEN=$token GANYMEDE_SPAWNER_KIND=kubernetes GANYMEDE_KUBERNETES_NAMESPACE=bench-ganymede \
    GANYMEDE_PROFILES_PATH="$work/profiles.yaml" GANYMEDE_SPAWNER_CONCURRENT_SPAWN_LIMIT=$LIMIT \
    GANYMEDE_LEADER_KIND=none GANYMEDE_KUBERNETES_CAPACITY_ENABLED=false GANYMEDE_SPAWNER_START_TIMEOUT=600s \
    QUARKUS_HTTP_PORT=$hub_port GANYMEDE_HUB_INTERNAL_URL=http://127.0.0.1:$hub_port \
    GANYMEDE_PROXY_PUBLIC_PORT=$port GANYMEDE_PROXY_API_PORT=$api_port GANYMEDE_PROXY_API_URL=http://127.0.0.1:$api_port \
    exec "$root/hub/bin/ganymede-hub") >"$dir/hub.log" 2>&1 &
  local pid=$!; pids+=($pid); echo "$pid" >"$dir/pid"
  for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$hub_port/hub/api/" >/dev/null && break; sleep 0.2; done
  # The launcher execs java: $pid is the hub's JVM.
  "$venv/bin/python" "$here/storm.py" --hub "http://127.0.0.1:$hub_port" --token $token --n "$n" --prefix "g$n" \
    --pid "$pid" --apiserver "$api_url" --apiserver-token "$api_token" --ca "$work/cp/certs/apiserver.crt" --idle "$IDLE" --warmup "$WARMUP" --namespace bench-ganymede \
    "${on_storm[@]}" | sed "s/^{/{\"system\": \"ganymede\", /" | tee -a "$OUT"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

run_jupyterhub() {
  local n=$1 dir="$work/jupyterhub-$n" port hub_port api_port token=bench-jupyterhub-token
  mkdir -p "$dir"; port=$(free_port); hub_port=$(free_port); api_port=$(free_port)
  kubectl delete pods -n bench-jupyterhub --all --wait=false >/dev/null
  cat >"$dir/jupyterhub_config.py" <<PY
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = $port
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = $hub_port
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:$api_port"
c.ConfigurableHTTPProxy.command = ["$peers/chp/node_modules/.bin/configurable-http-proxy"]
c.JupyterHub.db_url = "sqlite:///$dir/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "$dir/cookie_secret"
c.JupyterHub.authenticator_class = "dummy"
c.Authenticator.allow_all = True
c.JupyterHub.services = [{"name": "bench", "api_token": "$token"}]
c.JupyterHub.load_roles = [{"name": "bench", "services": ["bench"], "scopes": ["admin:users", "admin:servers", "list:users", "read:users"]}]
c.JupyterHub.concurrent_spawn_limit = $LIMIT
c.JupyterHub.cleanup_servers = True
c.JupyterHub.spawner_class = "kubespawner.KubeSpawner"
c.KubeSpawner.namespace = "bench-jupyterhub"
c.KubeSpawner.start_timeout = 600
c.KubeSpawner.image = "quay.io/jupyter/scipy-notebook:2025-10-20"
c.KubeSpawner.cpu_guarantee = 0.5
c.KubeSpawner.mem_guarantee = "1G"
c.KubeSpawner.storage_pvc_ensure = True
c.KubeSpawner.storage_class = "standard-rwo"
c.KubeSpawner.storage_capacity = "10Gi"
c.KubeSpawner.storage_access_modes = ["ReadWriteOnce"]
c.KubeSpawner.volumes = [{"name": "home", "persistentVolumeClaim": {"claimName": "{pvc_name}"}}]
c.KubeSpawner.volume_mounts = [{"name": "home", "mountPath": "/home/jovyan"}]
c.KubeSpawner.profile_list = [{"display_name": "CPU (small)", "slug": "cpu-small", "default": True,
    "kubespawner_override": {"cpu_limit": 2, "mem_guarantee": "2G", "mem_limit": "8G"}}]
PY
  (cd "$dir" && PATH="$venv/bin:$PATH" exec "$venv/bin/jupyterhub" -f "$dir/jupyterhub_config.py") >"$dir/hub.log" 2>&1 &
  local pid=$!; pids+=($pid)
  for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$port/hub/api/" >/dev/null && break; sleep 0.2; done
  "$venv/bin/python" "$here/storm.py" --hub "http://127.0.0.1:$port" --token $token --n "$n" --prefix "j$n" \
    --pid "$pid" --apiserver "$api_url" --apiserver-token "$api_token" --ca "$work/cp/certs/apiserver.crt" --idle "$IDLE" --warmup "$WARMUP" --namespace bench-jupyterhub \
    | sed "s/^{/{\"system\": \"jupyterhub-kubespawner\", /" | tee -a "$OUT"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

for n in "${sizes[@]}"; do
  for system in $SYSTEMS; do "run_$system" "$n"; done
done
"$venv/bin/python" "$here/table.py" "$OUT"
