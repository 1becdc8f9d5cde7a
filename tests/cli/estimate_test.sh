#!/usr/bin/env bash
# estimate mi / entropy from sample files: closed forms, reproducibility, bad input.
source "$(dirname "$0")/lib.sh"

run estimate mi --help
expect_code 0 "help"

# Uniform over 8 symbols, each exactly 100 times: plug-in entropy is exactly 3 bits.
awk 'BEGIN { for (i = 0; i < 800; i++) print i % 8 }' >"$workdir/u8.txt"
run estimate entropy --x "$workdir/u8.txt" --method plugin --json
expect_code 0 "entropy"
est=$(sed -nE 's/.*"estimate_bits": ([-0-9.e]+).*/\1/p' <<<"$out")
checks=$((checks + 1)); awk -v e="$est" 'BEGIN { exit !(e > 3 - 1e-12 && e < 3 + 1e-12) }' || fail "uniform entropy $est, expected 3"

# Y = X: discrete MI equals H(X).
run estimate mi --x "$workdir/u8.txt" --y "$workdir/u8.txt" --method plugin
expect_out "^estimate mi \(plugin\): 3 bits" "I(X;X) = H(X) (6 significant digits)"

# Correlated Gaussian pairs (awk Box-Muller): KSG and the Gaussian estimate near -1/2 log2(1 - 0.81).
awk 'BEGIN { srand(3); for (i = 0; i < 3000; i++) { u = rand(); v = rand(); if (u < 1e-12) u = 1e-12;
  a = sqrt(-2 * log(u)) * cos(6.283185307 * v); b = sqrt(-2 * log(u)) * sin(6.283185307 * v);
  print a > "'"$workdir"'/gx.txt"; print 0.9 * a + sqrt(0.19) * b > "'"$workdir"'/gy.txt" } }'
truth=$(awk 'BEGIN { print -0.5 * log(0.19) / log(2) }')
for method in ksg gauss; do
  run estimate mi --x "$workdir/gx.txt" --y "$workdir/gy.txt" --method "$method" --bootstrap 20 --seed 4 --json
  expect_code 0 "$method"
  est=$(sed -nE 's/.*"estimate_bits": ([-0-9.e]+).*/\1/p' <<<"$out")
  checks=$((checks + 1))
  awk -v e="$est" -v t="$truth" 'BEGIN { exit !(e > t - 0.1 && e < t + 0.1) }' || fail "$method estimate $est far from $truth"
  first=$out
  run estimate mi --x "$workdir/gx.txt" --y "$workdir/gy.txt" --method "$method" --bootstrap 20 --seed 4 --json
  checks=$((checks + 1)); [[ "$first" == "$out" ]] || fail "$method: same seed, different output"
done

# Bad input.
run estimate mi --x "$workdir/gx.txt" --y "$workdir/u8.txt" --method ksg
expect_code 2 "row mismatch"
expect_err "--y: 800 samples, but --x has 3000" "row counts named"
printf '1 2\n3\n' >"$workdir/ragged.txt"
run estimate mi --x "$workdir/ragged.txt" --y "$workdir/ragged.txt" --method gauss
expect_code 2 "ragged file"
expect_err "ragged.txt:2: 1 numbers, but the first sample has 2" "ragged line named"
run estimate mi --x "$workdir/gx.txt" --y "$workdir/gy.txt" --method bogus
expect_code 2 "unknown method"
run estimate entropy --x "$workdir/u8.txt" --method nsb
expect_code 2 "nsb without alphabet"
expect_err "give the alphabet size --alphabet" "nsb needs K"
run estimate mi --x "$workdir/gx.txt" --y "$workdir/gy.txt" --method ksg --k 3000
expect_code 2 "k too large"
finish
