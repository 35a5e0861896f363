#!/usr/bin/env bash
# Builds the hub's container image as a tar (docker-archive), with no Docker daemon.
# Quarkus' Jib integration can only push to a registry or load into a local Docker, so this
# pushes to a throwaway registry on 127.0.0.1 and exports the image from it with skopeo.
#
#   k8s/images/hub-image-tar.sh [TAG] [extra Maven arguments...]
#   -> hub/target/ganymede-hub-image.tar, image ganymede-hub:TAG (default: dev),
#      e.g. for `kind load image-archive` or `minikube image load`.
#
# Needs Debian's docker-registry and skopeo packages. The base image is pulled from its
# registry (hub/src/main/resources/application.yaml, quarkus.jib.base-jvm-image) unless
# BASE_IMAGE_TAR names a docker-archive of it, which is then served from the local registry
# (for machines that cannot reach the base image's registry).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tag="${1:-dev}"
[ $# -gt 0 ] && shift
port="${GANYMEDE_REGISTRY_PORT:-5599}"
work="$root/hub/target/image-registry"
out="$root/hub/target/ganymede-hub-image.tar"

for tool in docker-registry skopeo curl mvn; do
  command -v "$tool" >/dev/null || { echo "hub-image-tar: $tool is missing (apt-get install docker-registry skopeo)" >&2; exit 1; }
done

mkdir -p "$work/data"
cat > "$work/config.yml" <<CONFIG
version: 0.1
log:
  level: error
storage:
  filesystem:
    rootdirectory: $work/data
http:
  addr: 127.0.0.1:$port
CONFIG
docker-registry serve "$work/config.yml" > "$work/registry.log" 2>&1 &
registry_pid=$!
trap 'kill "$registry_pid" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  curl -fs "http://127.0.0.1:$port/v2/" >/dev/null && break
  sleep 0.1
done
curl -fs "http://127.0.0.1:$port/v2/" >/dev/null || { echo "hub-image-tar: the local registry did not start:" >&2; cat "$work/registry.log" >&2; exit 1; }

base=()
if [ -n "${BASE_IMAGE_TAR:-}" ]; then
  skopeo copy --quiet --dest-tls-verify=false "docker-archive:$BASE_IMAGE_TAR" \
    "docker://127.0.0.1:$port/base/openjdk-17-runtime:local"
  base=("-Dquarkus.jib.base-jvm-image=127.0.0.1:$port/base/openjdk-17-runtime:local")
fi

cd "$root"
mvn -B -q -pl proxy,hub package -DskipTests \
  -Dquarkus.container-image.build=true -Dquarkus.container-image.push=true \
  -Dquarkus.container-image.insecure=true \
  -Dquarkus.container-image.image="127.0.0.1:$port/ganymede-hub:$tag" \
  "${base[@]}" "$@"
rm -f "$out"
skopeo copy --quiet --src-tls-verify=false "docker://127.0.0.1:$port/ganymede-hub:$tag" \
  "docker-archive:$out:ganymede-hub:$tag"
echo "hub-image-tar: $out (ganymede-hub:$tag)"
