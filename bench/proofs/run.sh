#!/usr/bin/env bash
# Wall time of checking proof scripts, beside the plain certified computation of the same number.
# Usage: bench/proofs/run.sh [path/to/recallbound] [runs]   (median of RUNS runs each, in ms)
set -euo pipefail
bin=${1:-build/src/cli/recallbound}
runs=${2:-11}
root=$(cd "$(dirname "$0")/../.." && pwd)

median_ms() {  # median wall time of "$@" over $runs runs
  local times=()
  for ((k = 0; k < runs; k++)); do
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1 || [[ $? -eq 10 ]]
    end=$(date +%s%N)
    times+=($(((end - start) / 1000)))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v n="$runs" '{a[NR] = $1} END {printf "%.2f", a[int((n + 1) / 2)] / 1000}'
}

row() {  # label, alternative label, command..., --, alternative command...
  local label=$1 alt_label=$2
  shift 2
  local cmd=() alt=()
  while [[ $1 != -- ]]; do cmd+=("$1"); shift; done
  shift
  alt=("$@")
  local a b
  a=$(median_ms "${cmd[@]}")
  b=$(median_ms "${alt[@]}")
  printf '| %s | %s ms | %s | %s ms | %.1f |\n' "$label" "$a" "$alt_label" "$b" "$(awk -v a="$a" -v b="$b" 'BEGIN {print a / b}')"
}

echo "| measured | median | alternative (same run) | median | ratio |"
echo "|---|---|---|---|---|"
row "check corollary_max_pairs.proof (N <= 71160, 24 steps, 2 LP certificates)" "capacity --vocab 32000 --error 0.01 --state-bits 1048576" \
  "$bin" check "$root/proofs/corollary_max_pairs.proof" -- "$bin" capacity --vocab 32000 --error 0.01 --state-bits 1048576
row "check recall_capacity.proof (symbolic theorem, 22 steps, 2 LP certificates)" "check data_processing.proof (1 step, 1 LP certificate)" \
  "$bin" check "$root/proofs/recall_capacity.proof" -- "$bin" check "$root/proofs/data_processing.proof"
count=$(ls "$root"/proofs/*.proof "$root"/proofs/instances/*.proof | wc -l)
row "check all $count proofs in one call" "$count separate check calls" \
  "$bin" check "$root"/proofs/*.proof "$root"/proofs/instances/*.proof -- \
  bash -c 'for f in "$@"; do "'"$bin"'" check "$f"; done' _ "$root"/proofs/*.proof "$root"/proofs/instances/*.proof
row "check rejected/dpi_drops_query.proof (counterexample, 6 variables)" "check recall_capacity.proof" \
  "$bin" check "$root/proofs/rejected/dpi_drops_query.proof" -- "$bin" check "$root/proofs/recall_capacity.proof"
