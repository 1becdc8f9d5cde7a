#!/usr/bin/env bash
# Installs every Debian package recallbound needs to build, test and benchmark.
# Usage: scripts/install-deps.sh [--no-python]   (--no-python skips the optional oracles)
set -euo pipefail

build_packages=(
  build-essential cmake ninja-build pkg-config
  libboost-dev libgmp-dev libmpfr-dev libmpfi-dev
  libeigen3-dev doctest-dev libglpk-dev nlohmann-json3-dev libcli11-dev libfmt-dev
  libnanoflann-dev
)
# Oracles for optional tests and benchmarks; run with /usr/bin/python3.
python_packages=(python3-mpmath python3-numpy python3-scipy python3-sklearn python3-torch)

want=("${build_packages[@]}")
if [[ "${1:-}" != "--no-python" ]]; then want+=("${python_packages[@]}"); fi

missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#want[@]} packages present"
  exit 0
fi

sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
echo "install-deps: installing ${missing[*]}"
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
