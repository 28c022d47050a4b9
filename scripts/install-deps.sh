#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks to build, test and benchmark convc.
# Idempotent: apt-get skips what is already there.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libhalide14-0-dev libyaml-cpp-dev libcli11-dev libgtest-dev
  python3-torch python3-numpy
  g++-aarch64-linux-gnu qemu-user
  libdnnl-dev
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
