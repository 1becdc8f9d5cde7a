#!/usr/bin/env bash
# check-claims: a row is consistent exactly when its pairs do not exceed capacity's max_pairs
# (a second code path), with an exactly signed margin; bad input exits 2 naming file and line.
source "$(dirname "$0")/lib.sh"

cat >"$workdir/claims.csv" <<'CSV'
label,state_bits,vocab,error,pairs
# comment lines and blank lines are skipped

fits,1048576,32000,0.01,71160
one too many,1048576,32000,0.01,71161
guessing,10,2,0.5,1000000
exact zero margin,1000,2,0,1000
CSV
run check-claims --json "$workdir/claims.csv"
expect_code 10 "one inconsistent row"
expect_out '"all_consistent": false' "all_consistent"
verdicts=$(grep -o '"verdict": "[a-z]*"' <<<"$out" | cut -d'"' -f4 | tr '\n' ' ')
checks=$((checks + 1))
[[ "$verdicts" == "consistent inconsistent vacuous consistent " ]] || fail "verdicts: $verdicts"
expect_out '"lower": "0",' "exact zero margin lower"
expect_out '"line": 5,' "line numbers count comment lines"

# Cross-check against capacity for a grid: consistent iff pairs <= max_pairs.
printf 'state_bits,vocab,error,pairs\n' >"$workdir/grid.csv"
expected=""
for v in 2 10 50257; do
  for eps in 0 0.01 0.25; do
    run capacity --vocab "$v" --error "$eps" --state-bits 4096 --json
    max=$(sed -n 's/.*"max_pairs": "\([0-9]*\)".*/\1/p' <<<"$out")
    [[ -n "$max" ]] || continue
    printf '4096,%s,%s,%s\n4096,%s,%s,%s\n' "$v" "$eps" "$max" "$v" "$eps" "$((max + 1))" >>"$workdir/grid.csv"
    expected+="consistent inconsistent "
  done
done
run check-claims --json "$workdir/grid.csv"
expect_code 10 "grid"
verdicts=$(grep -o '"verdict": "[a-z]*"' <<<"$out" | cut -d'"' -f4 | tr '\n' ' ')
checks=$((checks + 1))
[[ "$verdicts" == "$expected" ]] || fail "grid verdicts: $verdicts, expected $expected"

printf 'state_bits,vocab,error,pairs\n1048576,32000,0.01,1000\n' >"$workdir/ok.csv"
run check-claims "$workdir/ok.csv"
expect_code 0 "all consistent"
expect_out "line 2: 1000 pairs at V = 32000, eps = 1/100, B = 1048576 bits: consistent \(max pairs 71160\)" "human output"

printf 'state_bits,vocab,pairs\n1,2,3\n' >"$workdir/nocol.csv"
run check-claims "$workdir/nocol.csv"
expect_code 2 "missing column"
expect_err "nocol.csv: the header lacks the column 'error'" "missing column message"
printf 'state_bits,vocab,error,pairs\n1,1,0,3\n' >"$workdir/badvocab.csv"
run check-claims "$workdir/badvocab.csv"
expect_code 2 "bad vocab"
expect_err "badvocab.csv:2: " "bad vocab names file and line"
printf 'state_bits,vocab,error,pairs\n1,2,nan,3\n' >"$workdir/nan.csv"
run check-claims "$workdir/nan.csv"
expect_code 2 "nan error"
run check-claims "$workdir/missing.csv"
expect_code 2 "missing file"
expect_no_nan "check-claims"
finish
