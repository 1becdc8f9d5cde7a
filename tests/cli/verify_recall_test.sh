#!/usr/bin/env bash
# verify on real recall runs of the reference models (`recallbound recall`, the models layer):
# an honest linear-attention run is never a VIOLATION; a softmax-attention run, whose KV cache grows
# with N, is flagged when it claims a compact state; and verify uses the same value alphabet as the
# run (its max_pairs_bound is reproduced by `capacity`).
source "$(dirname "$0")/lib.sh"

run recall --arch linear-attention --d 16 --vocab 64 --pairs 4,12 --trials 30 --precision bf16 --seed 3 \
  --no-progress --json --out "$workdir/linear.json"
expect_code 0 "linear-attention recall run"
run verify --run "$workdir/linear.json" --json --figure "$workdir/linear.svg"
checks=$((checks + 1)); [[ $code == 0 || $code == 11 ]] || fail "honest linear-attention run: exit $code; $out$err"
expect_out '"vocab": "32"' "value alphabet V - V/2"
checks=$((checks + 1)); grep -q "<svg" "$workdir/linear.svg" || fail "figure not written"

# The run's certified max_pairs_bound for row 1 equals capacity at the same state bits, values, error.
field() { sed -nE "s/^ *\"$1\": \"?([0-9a-z]+)\"?,?\$/\1/p" "$workdir/linear.json" | head -1; }
bits=$(field state_bits_measured) queries=$(field queries) errors=$(field errors) bound=$(field max_pairs_bound)
checks=$((checks + 1)); [[ -n $bits && -n $queries && -n $errors && -n $bound ]] || fail "run fields not found: '$bits' '$queries' '$errors' '$bound'"
if [[ -n ${bound:-} && $bound != unbounded ]]; then
  run capacity --state-bits "$bits" --vocab 32 --error "$errors/$queries"
  expect_out "^max pairs: $bound\$" "max_pairs_bound reproduced with V/2 values"
fi

# softmax attention keeps a KV cache of 2 t d numbers: declared as 16 bf16 numbers (256 bits; 64 pairs over 256 values need up to 512) it
# recalls more than that state can hold.
run recall --arch softmax-attention --d 16 --vocab 512 --pairs 64 --trials 20 --precision bf16 --seed 4 \
  --no-progress --json --out "$workdir/softmax.json"
expect_code 0 "softmax recall run"
run verify --run "$workdir/softmax.json" --state-numbers 16 --precision bf16
expect_code 10 "KV cache claimed as a compact state"
expect_out "^verdict: VIOLATION" "violation verdict"
# With the bits it actually holds (measured), the same run is not a violation.
run verify --run "$workdir/softmax.json"
checks=$((checks + 1)); [[ $code == 0 || $code == 11 ]] || fail "softmax with measured state: exit $code; $out"
finish
