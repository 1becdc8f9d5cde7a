#!/usr/bin/env bash
# arch list/show/state and triangle: counts, exact state numbers, JSON shape, the certified bound
# cross-checked against the capacity command, user specs, figures, and bad input (exit 2).
source "$(dirname "$0")/lib.sh"
src=${RECALLBOUND_SOURCE_DIR:?}

run arch list
expect_code 0 "arch list"
rows=$(grep -cE '^[a-z0-9.-]+ +[0-9]{4} ' <<<"$out")
checks=$((checks + 1)); (( rows >= 60 )) || fail "arch list: $rows rows, expected at least 60"
# The catalog is embedded in the binary: it works from a directory without the source tree.
checks=$((checks + 1))
(cd "$workdir" && "$RECALLBOUND" arch show mamba >/dev/null) || fail "arch show failed outside the source tree"
run arch list --json
expect_out '"count": ([6-9][0-9]|[1-9][0-9]{2})' "arch list --json count >= 60"
run arch list --family ssm --json
expect_out '"id": "mamba2"' "family filter keeps ssm"
checks=$((checks + 1)); ! grep -q '"family": "hybrid"' <<<"$out" || fail "family filter let a hybrid through"
run arch list --family rnn
expect_code 2 "unknown family"; expect_err '^recallbound: --family: unknown family .rnn.; known: attention' "family message"

run arch show mamba2 --json
expect_code 0 "show"; expect_out '"citation": "Dao & Gu' "show citation"; expect_out '"conv_dim"' "show derived"
run arch show mamba3
expect_code 2 "unknown arch"; expect_err "unknown name 'mamba3'; closest: mamba" "suggestion"
checks=$((checks + 1)); [[ -z $out ]] || fail "unknown arch printed to stdout"

# Exact state of a preset: 64 x (80*64*128 + 5376*3) = 42,975,232 numbers, x16 bits in bf16.
run arch state --preset mamba2-2.7b --json
expect_code 0 "state"
expect_out '"state_numbers": "42975232"' "mamba2-2.7b numbers"
expect_out '"state_bits": "687603712"' "mamba2-2.7b bits"
expect_out '"conv": "conv buffers hold k-1 columns' "conv convention in JSON"
expect_out '"label": "E\+C"' "triangle class in JSON"
run arch state --preset mamba2-2.7b
expect_out 'conv buffers hold k-1 columns' "conv convention in text"
expect_out '^state: +42,975,232 numbers = 687,603,712 bits in bf16' "text total"
run arch state llama-3-8b-typo
expect_code 2 "arch name typo"
run arch state gqa --preset llama-3-8b --context 1000 --precision fp8-e4m3 --json
expect_out '"state_numbers": "65536000"' "llama 32*2*8*128*1000"
expect_out '"state_bits": "524288000"' "fp8 8 bits per number"
expect_out '"kv_elements_per_token": "65536"' "kv per token"

# The certified max pairs equal what the capacity command gives for the same number of bits.
run arch state --preset recurrentgemma-2b --context 65536 --vocab 32000 --error 1/100 --json
expect_code 0 "state with bound"
pairs=$(sed -nE 's/.*"max_pairs": "([0-9]+)".*/\1/p' <<<"$out")
numbers=$(sed -nE 's/.*"state_numbers": "([0-9]+)".*/\1/p' <<<"$out")
run capacity --state-numbers "$numbers" --precision bf16 --vocab 32000 --error 1/100 --json
expect_out "\"max_pairs\": \"$pairs\"" "arch state bound = capacity bound ($pairs)"
checks=$((checks + 1)); [[ $numbers == 8572928 ]] || fail "recurrentgemma-2b at 65536: $numbers, expected 8572928"

# --set overrides, shown as such.
run arch state mamba --set d_state=32 --set n_layers=2 --json
expect_out '"state_numbers": "358400"' "2 x (5120*32 + 5120*3)"
expect_out '"origin": "--set"' "override origin"

# Bad input: exit 2, field named, nothing on stdout.
for args in "mamba --set d_state=-3|--set d_state: -3 is out of range; d_state must be an integer >= 1" \
            "mamba --set d_stat=3|--set d_stat: 'mamba' has no parameter 'd_stat'; closest: d_state" \
            "mamba --set d_state|--set: 'd_state' is not of the form name=value" \
            "--preset llama-3-7b|--preset: unknown preset 'llama-3-7b'; closest: llama-3-8b" \
            "mamba --preset llama-3-8b|--preset: 'llama-3-8b' is a preset of 'gqa', not of 'mamba'" \
            "mamba --context -5|--context: -5 is out of range" \
            "mamba --vocab 100|--vocab and --error: give both or neither" \
            "mamba --precision fp7|fp7" \
            "jamba --set attn_layers=40|jamba: block mamba count = n_layers - attn_layers evaluates to -8, a negative count"; do
  IFS='|' read -r a message <<<"$args"
  # shellcheck disable=SC2086
  run arch state $a
  expect_code 2 "arch state $a"; expect_err "$message" "arch state $a"
  checks=$((checks + 1)); [[ -z $out ]] || fail "arch state $a wrote to stdout: $out"
done

# User-defined architectures with --spec.
spec="$src/examples/catalog/my-architecture.json"
run arch state my-hybrid --spec "$spec" --context 1000 --json
expect_code 0 "user spec"
expect_out '"state_numbers": "14094336"' "22*(16*128*128 + 3*2048) + 2*2*2048*1000"
run triangle --spec "$spec" --json
expect_out '"id": "my-hybrid"' "user spec in the triangle"
printf '{"format": "recallbound-catalog", "version": 1, "architectures": [{"id": "x", "name": "X", "year": 2024,\n "family": "ssm", "citation": "c", "summary": "s", "parameters": [{"name": "d", "default": 4, "description": "w"}],\n "blocks": [{"name": "b", "count": "1", "madds": "d", "state": [{"name": "s", "numbers": "d * (d + 1", "what": "w"}]}]}]}\n' >"$workdir/bad.json"
run arch list --spec "$workdir/bad.json"
expect_code 2 "malformed spec"
expect_err "bad.json: architecture 'x': blocks\[0\].state\[0\].numbers: column 11: expected '\)'" "spec message names file, entry, field, column"
run arch list --spec "$workdir/missing.json"
expect_code 2 "missing spec"; expect_err "cannot read" "missing spec message"
run arch list --spec "$spec" --spec "$spec"
expect_code 2 "two --spec"  # CLI11 takes one --spec

# triangle: nobody has all three; figures are written atomically.
run triangle --json
expect_code 0 "triangle"; expect_out '"all_three": 0' "no entry has all three"; expect_no_nan "triangle json"
first=$out
run triangle --json
checks=$((checks + 1)); [[ $out == "$first" ]] || fail "triangle --json is not deterministic"
run triangle --svg "$workdir/t.svg" --recall-svg "$workdir/r.svg" --presets mamba-2.8b,llama-3-8b
expect_code 0 "figures"
checks=$((checks + 1)); grep -q '^<svg' "$workdir/t.svg" && grep -q '</svg>' "$workdir/t.svg" || fail "triangle svg incomplete"
checks=$((checks + 1)); grep -q 'llama-3-8b' "$workdir/r.svg" || fail "recall svg lacks its series"
run triangle --svg "$workdir/t2.svg" --recall-svg "$workdir/r2.svg" --presets nosuch
expect_code 2 "bad preset in figure"; expect_err "unknown preset 'nosuch'" "figure preset message"
checks=$((checks + 1)); [[ ! -e $workdir/t2.svg && ! -e $workdir/r2.svg ]] || fail "a failed triangle left a file"
run triangle --svg "$workdir/no/such/dir/t.svg"
expect_code 2 "unwritable svg"
run triangle --recall-svg "$workdir/r3.svg" --vocab 10 --error 0.95
expect_code 2 "vacuous error"; expect_err "where the bound says nothing" "vacuous message"
finish
