#!/usr/bin/env bash
# Catalog benchmark: recallbound's exact evaluator against Python Fraction on the same formulas.
# Usage: bench/catalog/run.sh BUILD_DIR [REPEATS]   (prints medians; checksums must agree)
set -euo pipefail
build=${1:?usage: run.sh BUILD_DIR [REPEATS]}
repeats=${2:-5}
here=$(cd "$(dirname "$0")" && pwd)
contexts=200
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
field() { sed -nE "s/.*$1=([^ ]+).*/\1/p"; }
cpp=$("$build/bench/catalog/catalog_bench" "$here/../../data/catalog" "$contexts" "$repeats")
py=$(/usr/bin/python3 "$here/fraction_eval.py" "$build/src/cli/recallbound" "$contexts" "$repeats")
[[ $(field checksum <<<"$cpp" | sort -u) == $(field checksum <<<"$py" | sort -u) ]] || { echo "checksums differ"; exit 1; }
cpp_eval=$(field ns_per_evaluation <<<"$cpp" | median)
py_eval=$(field ns_per_evaluation <<<"$py" | median)
echo "configurations: $(field configs <<<"$cpp" | head -1), evaluations per run: $(field evaluations <<<"$cpp" | head -1)"
echo "account() per configuration and context: recallbound $cpp_eval ns, Python Fraction $py_eval ns, ratio $(awk "BEGIN {printf \"%.1f\", $py_eval / $cpp_eval}")x"
echo "exact triangle classification: $(field us_per_classification <<<"$cpp" | median) us per configuration"
echo "load + validate all catalog files: $(field load_validate_ms <<<"$cpp" | median) ms"
echo "checksums agree: $(field checksum <<<"$cpp" | head -1)"
