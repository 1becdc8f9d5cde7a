#!/usr/bin/env bash
# recall and recall-capacity from the command line: output, JSON contract, reproducibility across
# thread counts, bad input (exit 2, exact messages, no partial files).
source "$(dirname "$0")/lib.sh"

run recall --help
expect_code 0 "recall --help"
expect_out "--arch" "recall --help lists --arch"

run recall --arch linear-attention --d 16 --vocab 256 --pairs 4:16:x2 --trials 5 --precision bf16 --seed 3
expect_code 0 "recall table"
expect_out "linear-attention  d=16  vocab=256  precision=bf16" "header"
expect_out "^ +16 +[01]\.[0-9]{5} +\[" "a row for N = 16"
expect_no_nan "recall table"

# The contract document for verify.
run recall --arch deltanet --d 16 --vocab 256 --pairs 8,24 --trials 4 --precision fp8-e4m3 --seed 9 --json --threads 1
expect_code 0 "recall --json"
one_thread=$out
for key in '"format": "recallbound-recall-run"' '"version": 1' '"arch": "deltanet"' '"precision": "fp8-e4m3"' \
           '"seq_len": 96' '"state_bits_measured": "2176"' '"state_bits_catalog": "2176"' '"max_pairs_bound": "' \
           '"accuracy_ci": \[' '"power_a": 0.01' '"random_non_queries": false'; do
  expect_out "$key" "json has $key"
done
# deltanet, d = 16: a 16 x 16 memory and a 16-wide token shift, 8 bits each = 272 * 8 = 2176 bits.

run recall --arch deltanet --d 16 --vocab 256 --pairs 8,24 --trials 4 --precision fp8-e4m3 --seed 9 --json --threads 3
checks=$((checks + 1))
[[ "$out" == "$one_thread" ]] || fail "JSON differs between 1 and 3 threads"

if "$PYTHON_ORACLE" -c "import json" 2>/dev/null; then
  checks=$((checks + 1))
  "$PYTHON_ORACLE" - "$one_thread" <<'PY' || fail "JSON contract shape"
import json, sys
doc = json.loads(sys.argv[1])
assert doc["format"] == "recallbound-recall-run" and doc["version"] == 1
assert doc["trials"] == 4 and doc["seed"] == 9 and doc["config"]["d"] == 16
for row in doc["rows"]:
    assert set(row) == {"pairs", "queries", "errors", "state_bits_measured", "state_bits_catalog",
                        "max_pairs_bound", "accuracy", "accuracy_ci"}, row
    assert row["queries"] == 4 * row["pairs"]
    assert abs(row["accuracy"] - (1 - row["errors"] / row["queries"])) < 1e-12
    lo, hi = row["accuracy_ci"]
    assert lo <= row["accuracy"] <= hi
    assert isinstance(row["state_bits_measured"], str) and row["max_pairs_bound"] == "unbounded" or int(row["max_pairs_bound"]) >= row["pairs"]
PY
fi

# Atomic output file, and none on failure.
run recall --arch sliding-window --d 8 --vocab 64 --pairs 4 --trials 2 --json --out "$workdir/run.json"
expect_code 0 "recall --out"
checks=$((checks + 1)); grep -q '"recallbound-recall-run"' "$workdir/run.json" || fail "--out wrote no run"
# The run document is what `verify --run` reads: it must accept it and find it consistent.
run verify --run "$workdir/run.json"
expect_code 0 "verify accepts the run document"

# The learned read-out.
run recall --arch linear-attention --d 16 --vocab 34 --embedding orthonormal --value-embedding gaussian --pairs 16 \
    --trials 3 --readout probe --probe-trials 50 --json
expect_code 0 "recall --readout probe"
expect_out '"readout": "probe"' "config records the probe"
expect_out '"errors": 0,' "the probe recovers every value orthonormal keys stored"

run recall --arch sliding-window --d 8 --vocab 64 --pairs 40 --trials 2 --json --out "$workdir/bad.json"
expect_code 2 "too many pairs"
expect_err "^recallbound: --pairs: 40 is out of range; with --vocab 64 the number of pairs must be in 1..31" "pairs message"
checks=$((checks + 1)); [[ ! -e "$workdir/bad.json" ]] || fail "a failed run left an output file"

run recall --arch transformer --pairs 4
expect_code 2 "unknown arch"
expect_err "--arch: 'transformer' is not a reference model; allowed: softmax-attention, sliding-window, linear-attention, mamba2, deltanet, gated-deltanet, based" "arch message"
run recall --arch mamba2 --pairs 4 --precision fp7
expect_code 2 "unknown precision"
expect_err "--precision: 'fp7' is not a storage format" "precision message"
run recall --arch mamba2 --pairs 4:2
expect_code 2 "backwards range"
expect_err "--pairs: '4:2' ends before it starts" "range message"
run recall --arch mamba2 --pairs 8 --seq-len 20
expect_code 2 "short sequence"
expect_err "--seq-len: 20 is out of range; with 8 pairs it must be in 32..2\^26" "seq-len message"
run recall --arch deltanet --pairs 8 --embedding orthonormal
expect_code 2 "orthonormal keys need d"
expect_err "--embedding: orthonormal keys need --d >= 4095" "embedding message"
run recall --arch mamba2 --pairs 8 --trials 0
expect_code 2 "zero trials"
expect_err "--trials: 0 is out of range; the number of trials must be an integer in 1..1000000" "trials message"
run recall --arch mamba2 --pairs 8 --power-a 0
expect_code 2 "power_a 0"
expect_err "--power-a: 0 is out of range" "power-a message"

# Capacity search.
run recall-capacity --arch linear-attention --d 16 --vocab 512 --error 0.05 --trials 6 --seed 2
expect_code 0 "recall-capacity"
expect_out "^capacity: [0-9]+ pairs" "capacity line"
expect_no_nan "recall-capacity"
run recall-capacity --arch deltanet --d 16 --vocab 34 --embedding orthonormal --value-embedding gaussian --error 0 --trials 3 --json
expect_code 0 "recall-capacity --json"
expect_out '"capacity": 16' "orthonormal deltanet recalls all 16 keys"
expect_out '"limit_reached": true' "limit reached"
run recall-capacity --arch deltanet --error 1.5
expect_code 2 "error out of range"
expect_err "^recallbound: --error: 1.5 is out of range; the allowed error rate must be in \[0, 1\]" "error message"

finish
