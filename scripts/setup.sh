#!/usr/bin/env bash
# One command from a fresh checkout to a working mapscope: system packages (gdb, the Go
# toolchains the tests use, pahole, qemu), npm packages, the build — then mapscope inspects
# the maps of the bundled example program, live.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-system.sh
bash scripts/install-e2e.sh
# npm ci refuses the lock npm 11 writes here (it leaves out other platforms' optional packages);
# npm install keeps the locked versions and only fills those in.
npm install --no-audit --no-fund --loglevel=error
npm run build --silent

example_dir=$(mktemp -d)
trap 'kill "${pid:-}" 2>/dev/null || true; rm -rf "$example_dir"' EXIT
(cd examples/routes && GOTOOLCHAIN=local GOFLAGS=-mod=mod go build -o "$example_dir/routes" .)
"$example_dir/routes" >"$example_dir/out" &
pid=$!
for _ in $(seq 100); do grep -q READY "$example_dir/out" 2>/dev/null && break; sleep 0.1; done

echo
echo "== mapscope inspect main.routes main.cfg.byName main.deleted --pid $pid (the bundled example, $(go version | cut -d' ' -f3))"
node dist/cli/main.js inspect main.routes main.cfg.byName main.deleted --pid "$pid" --limit 5 --rows 6
echo "== the example is still running after mapscope detached: $(grep State /proc/$pid/status)"
