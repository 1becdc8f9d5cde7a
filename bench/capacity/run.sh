#!/usr/bin/env bash
# Capacity benchmark: certified evaluation vs plain double (same run), the whole --batch pipeline on
# 1M rows beside a plain-double awk pipeline over the same file (parse, evaluate, print; no certification),
# and mpmath at 60 digits. Usage: bench/capacity/run.sh BUILD_DIR [runs=5]
set -euo pipefail
build=${1:?usage: run.sh BUILD_DIR [runs]}; runs=${2:-5}
csv=$(mktemp --suffix .csv); trap 'rm -f "$csv"' EXIT
"$build/bench/capacity/capacity_bench" 1000000 1 "$csv" > /dev/null
uptime
for i in $(seq "$runs"); do "$build/bench/capacity/capacity_bench" 1000000 "$i" | grep -E "ns/row|ratio|differs"; done
# The same formula in plain doubles, error given as p/q; floor(B / D) appended to each line.
plain_awk='NR == 1 { print $0 ",max_pairs"; next }
{ split($3, f, "/"); e = f[1] / f[2]; v = $2; l2 = log(2)
  h2 = (e > 0 ? -e * log(e) / l2 : 0) - (1 - e) * log(1 - e) / l2
  d = log(v) / l2 - h2 - (e > 0 ? e * log(v - 1) / l2 : 0)
  printf "%s,%.0f\n", $0, int($1 / d) }'
for i in $(seq "$runs"); do
  /usr/bin/time -f "batch pipeline 1M rows: %e s wall, %U s user, %S s sys" \
    "$build/src/cli/recallbound" capacity --batch "$csv" > /dev/null
  /usr/bin/time -f "awk plain-double pipeline 1M rows: %e s wall, %U s user, %S s sys" \
    awk -F, "$plain_awk" "$csv" > /dev/null
done
/usr/bin/python3 "$(dirname "$0")/mpmath_rows.py" "$csv" 20000
uptime
