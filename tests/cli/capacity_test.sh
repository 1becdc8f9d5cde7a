#!/usr/bin/env bash
# capacity, min-bits, min-error from the command line: answers, JSON shape, bad input, batch CSV.
source "$(dirname "$0")/lib.sh"

run capacity --state-bits 1048576 --vocab 8192 --error 0.01
expect_code 0 "basic capacity"; expect_out '^max pairs: 81989$' "basic capacity"

run capacity --state-bits 160 --vocab 32 --error 0 --json
expect_code 0 "exact integer ratio"; expect_out '"max_pairs": "32"' "exact integer ratio"

run capacity --state-bits 1e6 --vocab 10 --error 0.9
expect_code 0 "guessing"; expect_out 'max pairs: unbounded' "eps = 1 - 1/V is unbounded"

run capacity --state-numbers 4096 --precision bf16 --vocab 2 --error 0 --json
expect_code 0 "bf16 state"; expect_out '"max_pairs": "65536"' "bf16 all encodings"
run capacity --state-numbers 4096 --precision fp16 --count distinct --vocab 63487 --error 0 --json
expect_out '"max_pairs": "4096"' "distinct fp16 values over V = 63487 is exactly m"
expect_out '"exact_zero_test": true' "an irrational B / D equal to an integer needs the exact zero test"
run capacity --state-numbers 10 --snr 15 --vocab 4 --error 0
expect_out '^max pairs: 10$' "gaussian: 10 * 2 bits over log2 4"
run capacity --state-numbers 5 --radius 7 --lipschitz 1 --delta 2 --vocab 8 --error 0
expect_out '^max pairs: 5$' "covering: 5 * 3 bits over log2 8"

run min-bits --pairs 1000 --vocab 1024 --error 0 --json
expect_code 0 "min-bits"; expect_out '"min_state_bits": "10000"' "min-bits exact"
run min-error --pairs 100 --state-bits 500 --vocab 1024 --json
expect_code 0 "min-error"; expect_out '"guaranteed_digits": 30' "min-error digits"

# Bad input: exit 2, message naming the field and range, nothing on stdout.
for args in "--state-bits 10 --vocab 1 --error 0|vocab: 1 is out of range; the vocabulary size must be an integer >= 2" \
            "--state-bits 10 --vocab 2.5 --error 0|vocab: 5/2 is out of range" \
            "--state-bits 10 --vocab 8 --error 1.5|error: 3/2 is out of range; the error rate must be in \[0, 1\]" \
            "--state-bits 10 --vocab 8 --error -0.1|error: -1/10 is out of range" \
            "--state-bits -3 --vocab 8 --error 0|--state-bits: -3 is out of range; it must be >= 0" \
            "--state-bits abc --vocab 8 --error 0|--state-bits: 'abc' is not an exact number" \
            "--state-bits NaN --vocab 8 --error 0|--state-bits: 'NaN' is not an exact number" \
            "--state-numbers 8 --precision fp12 --vocab 8 --error 0|precision: unknown format 'fp12'" \
            "--state-numbers 8 --vocab 8 --error 0|needs exactly one of --precision" \
            "--vocab 8 --error 0|give --state-bits B"; do
  IFS='|' read -r a message <<<"$args"
  # shellcheck disable=SC2086
  run capacity $a
  expect_code 2 "bad input: $a"; expect_err "$message" "bad input: $a"
  [[ -z "$out" ]] || fail "bad input printed to stdout: $a"
done
run capacity --state-bits 10 --vocab 8 --error 0 --out "$workdir/never.json" --bogus
expect_code 2 "unknown option"; [[ ! -e "$workdir/never.json" ]] || fail "partial output file left behind"

# Batch: extra columns carried through, quoted fields kept, unbounded rows, exact floors.
cat > "$workdir/in.csv" <<'CSV'
name,state_bits,vocab,error
"a, quoted",160,32,0
b,159,32,0
c,1e6,10,9/10
d,1048576,8192,0.01
CSV
run capacity --batch "$workdir/in.csv"
expect_code 0 "batch"
expect_out '^name,state_bits,vocab,error,max_pairs,denominator_lower,denominator_upper$' "batch header"
expect_out '^"a, quoted",160,32,0,32,' "batch exact row"
expect_out '^b,159,32,0,31,' "batch row below"
expect_out '^c,1e6,10,9/10,unbounded,' "batch unbounded row"
expect_out '^d,1048576,8192,0.01,81989,' "batch row d"
run capacity --batch - < "$workdir/in.csv"
expect_out '^d,1048576,8192,0.01,81989,' "batch from stdin"

printf 'state_bits,vocab,error\n10,8,0\n10,1,0\n' > "$workdir/bad.csv"
run capacity --batch "$workdir/bad.csv" --out "$workdir/bad.out"
expect_code 2 "batch bad row"; expect_err 'line 3: vocab: 1 is out of range' "batch bad row names the line"
[[ ! -e "$workdir/bad.out" ]] || fail "batch left a partial output file"
printf 'state_bits,vocab\n10,8\n' > "$workdir/nohead.csv"
run capacity --batch "$workdir/nohead.csv"
expect_code 2 "batch header"; expect_err "header lacks the column 'error'" "batch header"
printf 'state_bits,vocab,error\n10,8\n' > "$workdir/short.csv"
run capacity --batch "$workdir/short.csv"
expect_code 2 "short row"; expect_err 'line 2: has 2 fields, the header has 3' "short row"
expect_no_nan "all outputs"
finish
