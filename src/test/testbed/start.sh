#!/usr/bin/env bash
# Starts a real Kubernetes control plane on loopback in DIR (default: a new temporary folder):
# etcd, kube-apiserver (Service IPs in 127.200.0.0/16, nothing routable), kube-controller-manager
# (without the node-lifecycle controller, since no kubelet renews fake nodes' leases) and
# kube-scheduler. Writes DIR/kubeconfig (an admin token) and DIR/env (KUBECONFIG and the API
# server's URL), waits until the API server is ready, writes DIR/ready, then stays in the
# foreground until it is stopped (SIGTERM or Ctrl-C), stopping what it started. Logs go to DIR/*.log.
# TESTBED_KUBE_API_QPS, when set, lifts the controller manager's and the scheduler's client rate
# limits (default 20 and 50 requests/s) to that many, as kwokctl's --disable-qps-limits does for
# scale tests: at 20 requests/s the PV controller binds about 5 claims a second, whoever made them.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="$("$here/build.sh")"
dir="${1:-$(mktemp -d -t ganymede-testbed.XXXXXX)}"
mkdir -p "$dir" && cd "$dir" && rm -f ready
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
etcd_client=$(free_port); etcd_peer=$(free_port); api=$(free_port)
token="testbed-$(od -An -tx8 -N8 /dev/urandom | tr -d ' ')"
[ -f sa.key ] || { openssl genrsa -out sa.key 2048 2>/dev/null; openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null; }
printf '%s,admin,admin,"system:masters"\n' "$token" > tokens.csv
cat > kubeconfig <<KC
apiVersion: v1
kind: Config
clusters: [{name: testbed, cluster: {server: "https://127.0.0.1:$api", certificate-authority: "$dir/certs/apiserver.crt"}}]
users: [{name: admin, user: {token: "$token"}}]
contexts: [{name: testbed, context: {cluster: testbed, user: admin}}]
current-context: testbed
KC
printf 'KUBECONFIG=%s\nKUBERNETES_API_URL=https://127.0.0.1:%s\n' "$dir/kubeconfig" "$api" > env

qps=()
[ -n "${TESTBED_KUBE_API_QPS:-}" ] && qps=(--kube-api-qps="$TESTBED_KUBE_API_QPS" --kube-api-burst="$((2 * TESTBED_KUBE_API_QPS))")
pids=()
stop() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap stop EXIT
trap 'exit 0' TERM INT

"$bin/etcd" --data-dir etcd-data --log-level warn \
  --listen-client-urls "http://127.0.0.1:$etcd_client" --advertise-client-urls "http://127.0.0.1:$etcd_client" \
  --listen-peer-urls "http://127.0.0.1:$etcd_peer" --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer" \
  --initial-cluster "default=http://127.0.0.1:$etcd_peer" >etcd.log 2>&1 &
pids+=($!)
# No Endpoints for the kubernetes Service (its address would be a 127.x one, which validation
# refuses), hence --endpoint-reconciler-type=none.
# The API server can be restarted on the same port and etcd data, as in a control-plane upgrade
# (the suite's fault tests do): create DIR/restart-apiserver, stop the process in
# DIR/apiserver.pid, and it starts again once that file is removed.
(
  trap 'kill "$child" 2>/dev/null; wait "$child"; exit 0' TERM
  while true; do
    "$bin/kube-apiserver" --etcd-servers "http://127.0.0.1:$etcd_client" \
      --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$api" --cert-dir certs \
      --service-cluster-ip-range 127.200.0.0/16 --endpoint-reconciler-type none \
      --token-auth-file tokens.csv --authorization-mode Node,RBAC \
      --service-account-issuer https://kubernetes.default.svc --service-account-key-file sa.pub \
      --service-account-signing-key-file sa.key >>apiserver.log 2>&1 &
    child=$!
    echo "$child" > apiserver.pid
    wait "$child" || true
    [ -f restart-apiserver ] || exit 1
    while [ -f restart-apiserver ]; do sleep 0.1; done
    echo "testbed: restarting the API server" >>apiserver.log
  done
) &
pids+=($!)
for _ in $(seq 1 300); do
  curl -sf --cacert certs/apiserver.crt -H "Authorization: Bearer $token" "https://127.0.0.1:$api/readyz" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -sf --cacert certs/apiserver.crt -H "Authorization: Bearer $token" "https://127.0.0.1:$api/readyz" >/dev/null \
  || { echo "testbed: the API server did not become ready; see $dir/apiserver.log" >&2; exit 1; }
"$bin/kube-controller-manager" --kubeconfig kubeconfig --leader-elect=false --bind-address 127.0.0.1 --secure-port 0 \
  --controllers '*,-nodelifecycle,-cloud-node-lifecycle,-service-lb-controller,-node-route-controller' \
  --service-account-private-key-file sa.key --root-ca-file certs/apiserver.crt "${qps[@]}" >controller-manager.log 2>&1 &
pids+=($!)
"$bin/kube-scheduler" --kubeconfig kubeconfig --leader-elect=false --bind-address 127.0.0.1 --secure-port 0 "${qps[@]}" >scheduler.log 2>&1 &
pids+=($!)
touch ready
echo "testbed: API server at https://127.0.0.1:$api, KUBECONFIG=$dir/kubeconfig" >&2
wait -n "${pids[@]}"
echo "testbed: a component stopped; see $dir/*.log" >&2
exit 1
