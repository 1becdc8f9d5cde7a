#!/usr/bin/env bash
# estimate mi --project: cross-fitted projected estimates (the lower-bound target), determinism
# across threads, the NSB posterior spread, and bad input.
source "$(dirname "$0")/lib.sh"
number() { sed -nE "s/.*\"$1\": \"?([-0-9.e]+)\"?.*/\1/p" <<<"$out" | head -1; }
near() { checks=$((checks + 1)); awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= t) }' || fail "$4: $1 vs $2 (tolerance $3)"; }

# X in 8 coordinates (awk Box-Muller), Y = (X1 + X2 + ... + X8) / sqrt(8) * sqrt(0.75) + 0.5 noise:
# I(X; Y) = -1/2 log2(1 - 0.75) = 1 bit, all of it along one direction.
awk 'BEGIN { srand(11); for (i = 0; i < 6000; i++) { s = 0; line = "";
  for (j = 0; j < 9; j++) { u = rand(); v = rand(); if (u < 1e-12) u = 1e-12; z[j] = sqrt(-2 * log(u)) * cos(6.283185307 * v) }
  for (j = 0; j < 8; j++) { line = line (j ? " " : "") z[j]; s += z[j] }
  print line > "'"$workdir"'/x.txt"; print sqrt(0.75) * s / sqrt(8) + 0.5 * z[8] > "'"$workdir"'/y.txt" } }'
run estimate mi --x "$workdir/x.txt" --y "$workdir/y.txt" --method ksg --project cca:1 --json
expect_code 0 "projected ksg"
expect_out '"kind": "cca:1"' "projection named"
expect_out '"target": "a lower bound on I\(X; Y\) by data processing"' "target stated"
near "$(number estimate_bits)" 1.0 0.08 "cca:1 projected KSG vs the 1-bit closed form"
one=$out
run estimate mi --x "$workdir/x.txt" --y "$workdir/y.txt" --method ksg --project cca:1 --json --threads 2
checks=$((checks + 1)); [[ "$one" == "$out" ]] || fail "projected ksg: 1 and 2 threads differ"
run estimate mi --x "$workdir/x.txt" --y "$workdir/y.txt" --method ksg --project cca:1
expect_out "^estimate mi \(ksg\): " "text output"
expect_out "projected \(cca:1, cross-fitted halves" "text names the projection"

# Labels 0..3 moved along the first coordinate of a 6-dimensional state, far apart: I = 2 bits.
awk 'BEGIN { srand(5); for (i = 0; i < 4000; i++) { c = i % 4; line = "";
  for (j = 0; j < 6; j++) { u = rand(); v = rand(); if (u < 1e-12) u = 1e-12; g = sqrt(-2 * log(u)) * cos(6.283185307 * v);
    line = line (j ? " " : "") (j == 0 ? 12 * c + g : g) }
  print c > "'"$workdir"'/labels.txt"; print line > "'"$workdir"'/state.txt" } }'
run estimate mi --x "$workdir/labels.txt" --y "$workdir/state.txt" --method mixed --project lda:3 --json
expect_code 0 "projected mixed"
near "$(number estimate_bits)" 2.0 0.05 "lda:3 projected mixed vs log2 4"

# Bad input: wrong pairing of method and projection, malformed projection.
run estimate mi --x "$workdir/x.txt" --y "$workdir/y.txt" --method ksg --project lda:1
expect_code 2 "ksg with lda"
expect_err "--project: ksg takes cca:K" "pairing named"
run estimate mi --x "$workdir/x.txt" --y "$workdir/y.txt" --method gauss --project cca:1
expect_code 2 "gauss with a projection"
run estimate mi --x "$workdir/x.txt" --y "$workdir/y.txt" --method ksg --project cca:0
expect_code 2 "zero components"
expect_err "--project: 'cca:0' is not a projection; use none, cca:K or lda:K with K in 1 .. 64" "range named"

# NSB posterior spread: present, positive, and the interval brackets the mean.
awk 'BEGIN { srand(2); for (i = 0; i < 200; i++) print int(rand() * rand() * 500) }' >"$workdir/zipfish.txt"
run estimate entropy --x "$workdir/zipfish.txt" --method nsb --alphabet 500 --json
expect_code 0 "nsb entropy"
expect_out '"standard_deviation_bits"' "posterior sd reported"
sd=$(number standard_deviation_bits); mean=$(number mean_bits); est=$(number estimate_bits)
lo=$(number lower); hi=$(number upper)
checks=$((checks + 1)); awk -v s="$sd" -v m="$mean" -v e="$est" -v l="$lo" -v h="$hi" \
  'BEGIN { exit !(s > 0 && s < 1 && m == e && l < m && m < h) }' || fail "nsb posterior: sd $sd mean $mean est $est [$lo, $hi]"
expect_no_nan "nsb posterior"
finish
