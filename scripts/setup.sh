#!/usr/bin/env bash
# One command on a fresh Debian machine: install the packages, build, and run the main job on an
# embedded default: the exact inference state of the Mamba-2.8B checkpoint (from the catalog built
# into the binary) and the certified number of key-value pairs it can recall at V = 50280, eps = 1%.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build build -j"$(nproc)"
echo "== recallbound arch state mamba --preset mamba-2.8b --precision bf16 --vocab 50280 --error 0.01 =="
./build/src/cli/recallbound arch state mamba --preset mamba-2.8b --precision bf16 --vocab 50280 --error 0.01
