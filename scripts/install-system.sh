#!/usr/bin/env bash
# Installs the system packages mapscope and its test suite need: gdb (13+, for gdb.MICommand),
# gdb-multiarch and qemu-user (other architectures), binutils (objcopy and strip build the
# untrusted-binary tests), dwarves (pahole), chromium (the HTML
# report's browser test, through playwright-core), libkrb5-dev (code-server's native build for
# the end-to-end test), and every Go toolchain the suite builds its
# test programs with: Debian's Go packages, and Go 1.27.3 as the toolchain module that only the Go
# module proxy has. Idempotent: a second run installs nothing.
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

# Go 1.27.3 comes from nowhere else here than the Go module proxy, as a toolchain module:
# `GOTOOLCHAIN=go1.27.3 go version` fetches it once into this user's module cache, where
# test/integration/toolchains.ts runs its bin/go (toolchains go1.27, go1.27-mapsplitgroup).
# Run as this user, not root: the tests look in this user's module cache.
fetch_go127() {
  local go=go
  command -v go >/dev/null || go=/usr/lib/go-1.24/bin/go
  local dir
  dir="$(GOTOOLCHAIN=local "$go" env GOMODCACHE)/golang.org/toolchain@v0.0.1-go1.27.3.linux-$(GOTOOLCHAIN=local "$go" env GOHOSTARCH)"
  if [ -x "$dir/bin/go" ]; then
    echo "go1.27.3: present ($dir)"
    return
  fi
  echo "go1.27.3: fetching it as the Go module proxy has it, a 76 MB toolchain module: GOTOOLCHAIN=go1.27.3 go version"
  GOTOOLCHAIN=go1.27.3 "$go" version
}

need=()
for p in gdb gdb-multiarch binutils dwarves qemu-user libkrb5-dev chromium golang-1.19-go golang-1.21-go golang-1.22-go \
         golang-1.23-go golang-1.24-go; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
done
if [ ${#need[@]} -eq 0 ]; then
  echo "system packages: all present"
  fetch_go127
  exit 0
fi
echo "system packages to install: ${need[*]}"

# bookworm-backports carries Go 1.21-1.23; trixie carries Go 1.24. trixie is pinned low so that
# nothing else on this bookworm machine is upgraded from it: only what we name with -t trixie.
if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  echo 'deb http://deb.debian.org/debian bookworm-backports main' |
    $SUDO tee /etc/apt/sources.list.d/mapscope-bookworm-backports.list >/dev/null
fi
if ! grep -rqs ' trixie ' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  echo 'deb http://deb.debian.org/debian trixie main' |
    $SUDO tee /etc/apt/sources.list.d/mapscope-trixie.list >/dev/null
fi
$SUDO tee /etc/apt/preferences.d/mapscope-trixie >/dev/null <<'PIN'
Package: *
Pin: release n=trixie
Pin-Priority: 100
PIN

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends gdb gdb-multiarch binutils dwarves qemu-user \
  chromium libkrb5-dev golang-1.19-go >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends -t bookworm-backports \
  golang-1.21-go golang-1.22-go golang-1.23-go >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends -t trixie golang-1.24-go >/dev/null
echo "system packages: installed"
fetch_go127
