#!/usr/bin/env bash
# Builds the hub's container image as a tar (docker-archive) with no Docker daemon and no
# registry: Quarkus' Jib integration hands the image to k8s/images/docker-archive, a stand-in
# for `docker load` that writes it to a file.
#
#   k8s/images/hub-image-tar.sh [TAG] [extra Maven arguments...]
#   -> hub/target/ganymede-hub-image.tar, image ganymede-hub:TAG (default: dev),
#      e.g. for `kind load image-archive` or `minikube image load`.
#
# The base image (hub/pom.xml, quarkus.jib.base-jvm-image) is pulled from its registry unless
# BASE_IMAGE_TAR names a docker-archive of it (made elsewhere with
# `skopeo copy docker://<base> docker-archive:<file>`), for machines that cannot reach it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tag="${1:-dev}"
[ $# -gt 0 ] && shift
out="$root/hub/target/ganymede-hub-image.tar"

base=()
if [ -n "${BASE_IMAGE_TAR:-}" ]; then
  base=("-Dquarkus.jib.base-jvm-image=tar://$(cd "$(dirname "$BASE_IMAGE_TAR")" && pwd)/$(basename "$BASE_IMAGE_TAR")")
fi

cd "$root"
rm -f "$out"
mvn -B -q -pl proxy,hub package -DskipTests \
  -Dquarkus.container-image.build=true \
  -Dquarkus.container-image.group= -Dquarkus.container-image.name=ganymede-hub -Dquarkus.container-image.tag="$tag" \
  -Dquarkus.jib.docker-executable-name="$root/k8s/images/docker-archive" \
  -Dquarkus.jib.docker-environment.IMAGE_TAR="$out" \
  "${base[@]}" "$@"
[ -s "$out" ] || { echo "hub-image-tar: no image was written to $out" >&2; exit 1; }
echo "hub-image-tar: $out (ganymede-hub:$tag)"
