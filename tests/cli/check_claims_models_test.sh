#!/usr/bin/env bash
# check-claims rows that name a model (arch/preset, context, precision): the state bits are the catalog's,
# the max pairs equal `arch state --json`'s, and bad rows exit 2 naming file, line and column.
source "$(dirname "$0")/lib.sh"
field() { sed -n "s/.*\"$1\": \"\\([0-9/]*\\)\".*/\\1/p" <<<"$out" | head -1; }

run arch state --preset mamba-2.8b --context 8192 --precision bf16 --vocab 32000 --error 0.01 --json
mamba_max=$(field max_pairs); mamba_bits=$(field state_bits)
run arch state gqa --preset llama-3-8b --context 8192 --precision fp16 --vocab 32000 --error 0.01 --json
llama_max=$(field max_pairs); llama_bits=$(field state_bits)
checks=$((checks + 1)); [[ -n "$mamba_max" && -n "$llama_max" ]] || fail "arch state gave no max_pairs"

cat >"$workdir/models.csv" <<CSV
label,state_bits,arch,preset,context,precision,vocab,error,pairs
mamba fits,,,mamba-2.8b,8192,bf16,32000,0.01,$mamba_max
mamba over,,,mamba-2.8b,8192,bf16,32000,0.01,$((mamba_max + 1))
llama fits,,gqa,llama-3-8b,8192,fp16,32000,0.01,$llama_max
llama over,,gqa,llama-3-8b,8192,fp16,32000,0.01,$((llama_max + 1))
plain,$mamba_bits,,,,,32000,0.01,$mamba_max
CSV
run check-claims --json "$workdir/models.csv"
expect_code 10 "two overclaims"
verdicts=$(grep -o '"verdict": "[a-z]*"' <<<"$out" | cut -d'"' -f4 | tr '\n' ' ')
checks=$((checks + 1)); [[ "$verdicts" == "consistent inconsistent consistent inconsistent consistent " ]] || fail "verdicts: $verdicts"
maxes=$(grep -o '"max_pairs": "[0-9]*"' <<<"$out" | cut -d'"' -f4 | tr '\n' ' ')
checks=$((checks + 1)); [[ "$maxes" == "$mamba_max $mamba_max $llama_max $llama_max $mamba_max " ]] || fail "max pairs: $maxes"
bits=$(grep -o '"state_bits": "[0-9]*"' <<<"$out" | cut -d'"' -f4 | tr '\n' ' ')
checks=$((checks + 1)); [[ "$bits" == "$mamba_bits $mamba_bits $llama_bits $llama_bits $mamba_bits " ]] || fail "state bits: $bits"
expect_out '"preset": "llama-3-8b"' "model JSON names the preset"
expect_out '"architecture": "gqa"' "model JSON names the architecture"
expect_out '"precision": "fp16"' "model JSON names the precision"
expect_out '"model": null' "plain rows have model null"

run check-claims "$workdir/models.csv"
expect_code 10 "text output"
expect_out "^line 2 \(mamba fits\): $mamba_max pairs at V = 32000, eps = 1/100, B = $mamba_bits bits \(state of mamba preset mamba-2.8b, T = 8192, bf16\): consistent \(max pairs $mamba_max\)\$" "text row names the model"

# A table without a state_bits column at all.
printf 'preset,context,precision,vocab,error,pairs\nmamba-2.8b,8192,bf16,32000,0.01,%s\n' "$mamba_max" >"$workdir/no_bits.csv"
run check-claims "$workdir/no_bits.csv"
expect_code 0 "no state_bits column"

# Bad rows: exit 2, the file, line and column in the message, nothing on stdout.
bad() {  # bad NAME ROW EXPECTED-STDERR-REGEX
  printf 'label,state_bits,arch,preset,context,precision,vocab,error,pairs\nok,,,mamba-2.8b,8192,bf16,32000,0.01,1\n%s\n' "$2" >"$workdir/$1.csv"
  run check-claims "$workdir/$1.csv"
  expect_code 2 "$1"
  expect_err "$3" "$1 message"
  checks=$((checks + 1)); [[ -z "$out" ]] || fail "$1: printed output: $out"
}
bad unknown_preset "x,,,mamba-9b,8192,bf16,32000,0.01,1" "unknown_preset.csv:3: preset: unknown preset 'mamba-9b'"
bad both "x,1000,,mamba-2.8b,8192,bf16,32000,0.01,1" "both.csv:3: state_bits: give either state_bits or a model"
bad no_context "x,,,mamba-2.8b,,bf16,32000,0.01,1" "no_context.csv:3: context: empty"
bad no_precision "x,,,mamba-2.8b,8192,,32000,0.01,1" "no_precision.csv:3: precision: empty"
bad bad_precision "x,,,mamba-2.8b,8192,fp7,32000,0.01,1" "bad_precision.csv:3: precision"
bad negative_context "x,,,mamba-2.8b,-5,bf16,32000,0.01,1" "negative_context.csv:3: context: -5 is out of range"
bad mismatch "x,,gqa,mamba-2.8b,8192,bf16,32000,0.01,1" "mismatch.csv:3: preset: 'mamba-2.8b' is a preset of 'mamba', not of 'gqa'"
bad unknown_arch "x,,nosuch,,8192,bf16,32000,0.01,1" "unknown_arch.csv:3: architecture: unknown name 'nosuch'"
bad nothing "x,,,,8192,bf16,32000,0.01,1" "nothing.csv:3: state_bits"
printf 'context,precision,vocab,error,pairs\n8192,bf16,32000,0.01,1\n' >"$workdir/no_model_column.csv"
run check-claims "$workdir/no_model_column.csv"
expect_code 2 "header without state_bits or a model"
expect_err "the header lacks the column 'state_bits' \(or 'arch'/'preset'" "header message"
finish
