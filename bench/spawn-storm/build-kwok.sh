#!/usr/bin/env bash
# Builds kwok (Kubernetes WithOut Kubelet) once per pin into
# ${GANYMEDE_CACHE:-~/.cache/ganymede}/kwok-<version>/bin and prints that folder, with kwok's own
# "fast" stages (nodes Ready at once; pods Running and Ready once scheduled, removed once deleted)
# beside it in stages.yaml. About 6 minutes on 2 cores the first time (Go module downloads
# included); afterwards it returns at once.
set -euo pipefail
version=v0.8.0
dir="${GANYMEDE_CACHE:-$HOME/.cache/ganymede}/kwok-$version"
if [ ! -x "$dir/bin/kwok" ]; then
  mkdir -p "$dir"
  GOBIN="$dir/bin.tmp" go install "sigs.k8s.io/kwok/cmd/kwok@$version" >&2
  rm -rf "$dir/bin" && mv "$dir/bin.tmp" "$dir/bin"
fi
if [ ! -f "$dir/bin/stages.yaml" ]; then
  src="$(go env GOMODCACHE)/sigs.k8s.io/kwok@$version/kustomize/stage"
  for f in "$src"/node/fast/node-initialize.yaml "$src"/pod/fast/pod-ready.yaml "$src"/pod/fast/pod-complete.yaml \
           "$src"/pod/fast/pod-delete.yaml; do
    echo "---"; cat "$f"
  done > "$dir/bin/stages.yaml"
fi
echo "$dir/bin"
