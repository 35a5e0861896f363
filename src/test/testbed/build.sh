#!/usr/bin/env bash
# Builds the test bed's control plane (etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler) from the Go modules pinned in go.mod, once per pin: the binaries are cached under
# ${GANYMEDE_CACHE:-~/.cache/ganymede}/testbed/<hash of the pins>/bin and reused while the pins
# stay. Prints that bin folder. A first build on 2 cores takes about 10 minutes.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${GANYMEDE_CACHE:-$HOME/.cache/ganymede}/testbed"
pins=$(cat "$here/go.mod" "$here/go.sum" "$here/cmd/etcd/main.go" | sha256sum | cut -c1-16)
bin="$cache/$pins/bin"
if [ ! -x "$bin/kube-apiserver" ] || [ ! -x "$bin/etcd" ] || [ ! -x "$bin/kube-scheduler" ] || [ ! -x "$bin/kube-controller-manager" ]; then
  echo "testbed: building the control plane into $bin" >&2
  mkdir -p "$bin.partial"
  ( cd "$here" && go build -trimpath -o "$bin.partial/" \
      k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
      k8s.io/kubernetes/cmd/kube-scheduler ./cmd/etcd ) >&2
  rm -rf "$bin" && mv "$bin.partial" "$bin"
fi
echo "$bin"
