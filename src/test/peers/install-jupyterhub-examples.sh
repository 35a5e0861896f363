#!/usr/bin/env bash
# Fetches JupyterHub 6.1.1's source distribution from PyPI (its wheel has no examples/) and
# prints the folder of its examples, where the end-to-end suite finds the services it runs behind
# Ganymede unchanged (examples/service-whoami/whoami-oauth.py, HubOAuth's own example).
# Cached under ${GANYMEDE_CACHE:-~/.cache/ganymede}/jupyterhub-examples-6.1.1; the archive is
# checked against its pinned SHA-256 before it is unpacked. Needs install.sh's JupyterHub 6.1
# virtualenv, whose pip downloads it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
VERSION=6.1.1
SHA256=1d7b6713b31ebd76d61a13c202f9323e66c4e8cf731adc5d3052bb6ee6178a95

cache="${GANYMEDE_CACHE:-$HOME/.cache/ganymede}"
dir="$cache/jupyterhub-examples-$VERSION"
if [ -f "$dir/service-whoami/whoami-oauth.py" ]; then
  echo "$dir"
  exit 0
fi

peers="$("$here/install.sh")"
partial="$dir.partial"
rm -rf "$partial"
mkdir -p "$partial"
export PIP_CACHE_DIR="$cache/pip" PIP_DISABLE_PIP_VERSION_CHECK=1
"$peers/jupyterhub-6.1/bin/pip" download -q --no-binary :all: --no-deps "jupyterhub==$VERSION" -d "$partial" >&2
archive="$partial/jupyterhub-$VERSION.tar.gz"
echo "$SHA256  $archive" | sha256sum -c --quiet -
tar -xzf "$archive" -C "$partial" --strip-components=2 "jupyterhub-$VERSION/examples"
rm -f "$archive"
mv "$partial" "$dir"
echo "$dir"
