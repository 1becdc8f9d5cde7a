#!/usr/bin/env bash
# recall-curve: per-checkpoint Fano bits from one run, the figure, determinism, bad input.
source "$(dirname "$0")/lib.sh"

run recall-curve --help
expect_code 0 "help"
expect_out "--points" "help lists --points"

# Orthonormal keys, N = d = 16: exact recall at every checkpoint, bits = n log2 17.
args=(recall-curve --arch linear-attention --d 16 --vocab 34 --embedding orthonormal --value-embedding gaussian --pairs 16 --points 4
      --trials 10 --no-progress)
run "${args[@]}" --json --figure "$workdir/curve.svg"
expect_code 0 "curve below capacity"
expect_out '"format": "recallbound-recall-curve"' "format"
expect_out '"pairs_written": 16' "last checkpoint"
checks=$((checks + 1)); [[ $(grep -c '"errors": "0"' <<<"$out") == 4 ]] || fail "expected 4 error-free points: $out"
expect_out '"verdict": "CONSISTENT"' "verdict"
checks=$((checks + 1)); grep -q "<svg" "$workdir/curve.svg" && grep -q "state bits B" "$workdir/curve.svg" || fail "figure missing or incomplete"
# 65 recalled bits under an 8704-bit state: the figure zooms to the curve and names B off scale.
checks=$((checks + 1)); grep -q "state bits B up to 8704: above this scale" "$workdir/curve.svg" || fail "figure not zoomed to the curve"
first=$out
run "${args[@]}" --json --threads 2
checks=$((checks + 1)); [[ "$first" == "$out" ]] || fail "1 and 2 threads differ"
run "${args[@]}"
expect_out "^recall-curve: linear-attention \(d = 16, fp32\), N = 16 pairs written" "text header"
expect_no_nan "text"

# Bad input: nothing written.
run recall-curve --arch linear-attention --d 16 --vocab 34 --pairs 17 --out "$workdir/never.json"
expect_code 2 "pairs too large"
expect_err "--pairs: 17 is out of range; with --vocab 34 it must be an integer in 1..16" "range named"
checks=$((checks + 1)); [[ ! -e "$workdir/never.json" ]] || fail "partial output written"
run recall-curve --arch linear-attention --d 16 --vocab 34 --pairs 8 --points 0
expect_code 2 "zero points"
expect_err "--points: 0 is out of range" "points named"
finish
