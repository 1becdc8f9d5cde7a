#!/usr/bin/env bash
# Capacity benchmark: certified evaluation vs plain double (same run), the whole --batch pipeline on
# 1M rows, and mpmath at 60 digits. Usage: bench/capacity/run.sh BUILD_DIR [runs=5]
set -euo pipefail
build=${1:?usage: run.sh BUILD_DIR [runs]}; runs=${2:-5}
csv=$(mktemp --suffix .csv); trap 'rm -f "$csv"' EXIT
"$build/bench/capacity/capacity_bench" 1000000 1 "$csv" > /dev/null
for i in $(seq "$runs"); do "$build/bench/capacity/capacity_bench" 1000000 "$i" | grep -E "ns/row|ratio|differs"; done
for i in $(seq "$runs"); do
  /usr/bin/time -f "batch pipeline 1M rows: %e s wall, %U s user" "$build/src/cli/recallbound" capacity --batch "$csv" > /dev/null
done
/usr/bin/python3 "$(dirname "$0")/mpmath_rows.py" "$csv" 20000
