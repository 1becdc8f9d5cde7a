#!/usr/bin/env bash
# One command on a fresh Debian machine: install the packages, build, and run the main job on an
# embedded default (the certified recall capacity of a 1M-number bf16 state, V = 32000, eps = 1%).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build build -j"$(nproc)"
echo "== recallbound capacity --state-numbers 1048576 --precision bf16 --vocab 32000 --error 0.01 =="
./build/src/cli/recallbound capacity --state-numbers 1048576 --precision bf16 --vocab 32000 --error 0.01
