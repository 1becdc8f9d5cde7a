#!/usr/bin/env bash
# verify: verdicts and exit codes on hand-made run documents and generated logs; bad input.
source "$(dirname "$0")/lib.sh"
fixtures="$RECALLBOUND_SOURCE_DIR/tests/verify/fixtures"
planted="$RECALLBOUND_SOURCE_DIR/tests/cli/planted_log.awk"

run verify --help
expect_code 0 "help"
expect_out "Exit codes: 0 CONSISTENT, 10 VIOLATION, 11 INCONCLUSIVE" "help lists the verdict codes"

run verify --run "$fixtures/consistent_run.json"
expect_code 0 "consistent run"
expect_out "^verdict: CONSISTENT" "consistent verdict"
expect_out "tested at confidence 0.995 \(Bonferroni over 2 rows\)" "Bonferroni shown"
expect_no_nan "consistent run"

run verify --run "$fixtures/violation_run.json" --json
expect_code 10 "violation run"
expect_out '"verdict": "VIOLATION"' "violation verdict in JSON"
expect_out '"exit_code": 10' "exit code in JSON"
expect_out '"errors": "12"' "counts as strings"

run verify --run "$fixtures/inconclusive_run.json"
expect_code 11 "inconclusive run"
expect_out "more queries would decide" "inconclusive explanation"

# The declared state overrides the run's measured bits: 64 bf16 numbers = 1024 bits < 2048 * 10.
run verify --run "$fixtures/consistent_run.json" --state-numbers 64 --precision bf16
expect_code 10 "declared state: violation"
expect_out "m \* bits = 64 \* 16 \(bf16\)" "accounting shown"

# Catalog column null in row 2: a clear message, exit 2.
run verify --run "$fixtures/consistent_run.json" --state-source catalog
expect_code 2 "null catalog bits"
expect_err "rows\[1\].state_bits_catalog is null" "null catalog named"

# Generated logs: an honest model is never a violation, a growing cache is.
awk -v model=honest -v seqs=40 -v pairs=256 -v vocab=256 -v bits=1024 -v seed=5 -f "$planted" >"$workdir/honest.csv"
awk -v model=cache -v seqs=40 -v pairs=256 -v vocab=256 -v bits=1024 -v seed=6 -f "$planted" >"$workdir/cache.csv"
run verify --log "$workdir/honest.csv" --vocab 256 --state-bits 1024
checks=$((checks + 1)); [[ $code == 0 || $code == 11 ]] || fail "honest log: exit $code, expected 0 or 11; $out"
expect_out "log: 40 sequences" "log summary"
run verify --log "$workdir/cache.csv" --vocab 256 --state-bits 1024 --json --figure "$workdir/fig.svg"
expect_code 10 "cache log"
expect_out '"pairs": "256"' "pairs inferred from queries per sequence"
checks=$((checks + 1)); grep -q "<svg" "$workdir/fig.svg" || fail "figure not written"

# JSON Lines log.
printf '{"sequence": "a", "true": 1, "predicted": 1}\n{"sequence": "a", "true": 2, "predicted": 2}\n' >"$workdir/l.jsonl"
run verify --log "$workdir/l.jsonl" --vocab 4 --state-bits 100
expect_code 0 "jsonl log"

# Malformed rows: line numbers, exit 2, no partial output file.
printf 'sequence,true,predicted\n0,1,1\n0,2,2\n0,7,x\n' >"$workdir/bad.csv"
run verify --log "$workdir/bad.csv" --vocab 8 --state-bits 100 --out "$workdir/report.txt"
expect_code 2 "malformed log"
expect_err "bad.csv:4: predicted: 'x' is not a non-negative integer" "line number named"
checks=$((checks + 1)); [[ ! -e $workdir/report.txt ]] || fail "partial output written"
run verify --log "$workdir/honest.csv" --vocab 8 --state-bits 100
expect_code 2 "value above vocab"
expect_err "honest.csv:[0-9]+: (true|predicted): [0-9]+ is out of range" "range named"

# Bad options.
run verify --run "$fixtures/consistent_run.json" --confidence 1.5
expect_code 2 "confidence"
expect_err "--confidence: 3/2 is out of range; the confidence level must be strictly between 0 and 1" "confidence message"
run verify --run "$fixtures/consistent_run.json" --log "$workdir/honest.csv"
expect_code 2 "both inputs"
run verify --log "$workdir/honest.csv" --vocab 256
expect_code 2 "log without state"
expect_err "give the state's size" "state required"
run verify --run "$workdir/missing.json"
expect_code 2 "missing file"
echo '{"format": "recallbound-recall-run", "version": 2}' >"$workdir/v2.json"
run verify --run "$workdir/v2.json"
expect_code 2 "version"
expect_err "version: 2 is not supported" "version named"

# Same input, same bytes.
run verify --run "$fixtures/violation_run.json" --json
first=$out
run verify --run "$fixtures/violation_run.json" --json
checks=$((checks + 1)); [[ "$first" == "$out" ]] || fail "verify output not reproducible"
finish
