#!/usr/bin/env bash
# Installs TensorBoard from PyPI, pinned with its dependencies in tensorboard.txt, into its own
# virtualenv in the cache, and prints the folder (its launcher is <folder>/bin/tensorboard).
# ManagedAppTest runs it as a managed team app on the test bed. The folder's name carries a hash
# of the pins and this script, so a changed pin installs anew and an unchanged one is reused at
# once; the install goes into <folder>.partial first and is renamed when complete.
#
# Needs python3 with venv. PYTHON names another interpreter.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${GANYMEDE_CACHE:-$HOME/.cache/ganymede}"
python="${PYTHON:-python3}"
export PIP_CACHE_DIR="$cache/pip" PIP_DISABLE_PIP_VERSION_CHECK=1
pins=$( { cat "$here/install-tensorboard.sh" "$here/tensorboard.txt"; "$python" --version; } | sha256sum | cut -c1-12)
dir="$cache/tensorboard-$pins"
if [ ! -x "$dir/bin/tensorboard" ]; then
  mkdir -p "$cache"
  exec 9>"$cache/.tensorboard.lock"
  flock 9
  if [ ! -x "$dir/bin/tensorboard" ]; then
    partial="$dir.partial"
    rm -rf "$partial"
    echo "tensorboard: installing into $dir" >&2
    # Created at its final path's name inside .partial would leave the wrong path in its scripts:
    # a virtualenv writes its own folder into them, so they are rewritten before the rename.
    "$python" -m venv "$partial"
    "$partial/bin/pip" install -q --no-deps -r "$here/tensorboard.txt" >&2
    "$partial/bin/pip" check >&2
    grep -rlIF -- "$partial" "$partial/bin" | xargs -r sed -i "s|$partial|$dir|g"
    rm -rf "$dir"
    mv "$partial" "$dir"
  fi
  exec 9>&-
fi
echo "$dir"
