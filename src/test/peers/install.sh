#!/usr/bin/env bash
# Installs the JupyterHub software the end-to-end tests and the hub benchmark run beside Debian's
# JupyterHub 3.0, pinned, and prints the folder it is in:
#
#   jupyterhub-5.5/   a virtualenv: what Zero to JupyterHub 4.4 runs (jupyterhub-5.5.in)
#   jupyterhub-6.1/   a virtualenv: the newest JupyterHub and idle culler (jupyterhub-6.1.in)
#   chp/              configurable-http-proxy from npm (chp/package.json);
#                     its launcher is chp/node_modules/.bin/configurable-http-proxy
#
# The folder is ${GANYMEDE_CACHE:-~/.cache/ganymede}/peers/<hash>, the hash of the pins (the
# .txt locks, chp's package files), this script, and the versions of python3 and node: a changed
# pin installs anew, an unchanged one is reused at once. Everything goes into <hash>.partial first
# and is renamed when complete, so an interrupted install is never taken as done; runs at the same
# time wait for each other. Downloads are cached in pip/ and npm/ beside peers/. A first install
# takes a few minutes.
#
#   src/test/peers/install.sh           install if needed, print the folder
#   src/test/peers/install.sh --lock    resolve the .in files and chp/package.json afresh and
#                                       rewrite the locks (jupyterhub-*.txt, chp/package-lock.json):
#                                       after changing a pin, then commit the locks
#
# Needs python3 with venv (Debian: python3-venv) and npm. PYTHON names another interpreter.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${GANYMEDE_CACHE:-$HOME/.cache/ganymede}"
python="${PYTHON:-python3}"
venvs=(jupyterhub-5.5 jupyterhub-6.1)
export PIP_CACHE_DIR="$cache/pip" PIP_DISABLE_PIP_VERSION_CHECK=1 npm_config_cache="$cache/npm"
export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false

if [ "${1:-}" = --lock ]; then
  scratch="$(mktemp -d)"
  trap 'rm -rf "$scratch"' EXIT
  for v in "${venvs[@]}"; do
    echo "peers: resolving $v.in" >&2
    "$python" -m venv "$scratch/$v"
    "$scratch/$v/bin/pip" install -q -r "$here/$v.in" >&2
    { echo "# The complete set $v.in resolves to with $("$python" --version): written by install.sh --lock."
      echo "# Change a pin in $v.in, not here, then run install.sh --lock."
      "$scratch/$v/bin/pip" freeze --all --exclude pip --exclude setuptools; } >"$here/$v.txt"
  done
  echo "peers: resolving chp/package.json" >&2
  ( cd "$here/chp" && npm install -s --package-lock-only >&2 )
  exit 0
fi

pins=$( { cat "$here/install.sh" "$here"/jupyterhub-*.txt "$here/chp/package.json" "$here/chp/package-lock.json"
          "$python" --version; node --version; } | sha256sum | cut -c1-12)
dir="$cache/peers/$pins"
if [ ! -d "$dir" ]; then
  mkdir -p "$cache/peers"
  exec 9>"$cache/peers/.lock"
  flock 9
  # Another run may have finished it while this one waited.
  if [ ! -d "$dir" ]; then
    started=$SECONDS
    partial="$dir.partial"
    echo "peers: installing into $dir (a few minutes the first time)" >&2
    rm -rf "$partial"
    mkdir -p "$partial"
    for v in "${venvs[@]}"; do
      "$python" -m venv "$partial/$v"
      "$partial/$v/bin/pip" install -q --no-deps -r "$here/$v.txt" >&2
      # The locks hold every package: a conflict among them is an error, not something to resolve.
      "$partial/$v/bin/pip" check >&2
    done
    mkdir -p "$partial/chp"
    cp "$here/chp/package.json" "$here/chp/package-lock.json" "$partial/chp/"
    ( cd "$partial/chp" && npm ci -s >&2 )
    # A virtualenv writes its own path into its scripts (the #! lines, activate): they are made to
    # name the final folder before the rename.
    grep -rlIF -- "$partial" "$partial"/*/bin | xargs -r sed -i "s|$partial|$dir|g"
    mv "$partial" "$dir"
    echo "peers: installed in $((SECONDS - started)) s" >&2
  fi
  exec 9>&-
fi
echo "$dir"
