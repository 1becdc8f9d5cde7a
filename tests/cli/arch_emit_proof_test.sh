#!/usr/bin/env bash
# arch state --emit-proof: the instance script uses the catalog's exact state bits for the configuration,
# records architecture, preset, overrides, context and precision, is VERIFIED by `check`, and its max pairs
# equal what `arch state --json` reports. Bad input exits 2 and leaves no file (or the old one untouched).
source "$(dirname "$0")/lib.sh"
theorem="$RECALLBOUND_SOURCE_DIR/proofs/recall_capacity.proof"
steps() { grep -E '^([1-9]|1[0-9]|2[0-2])\. ' "$1"; }
json_field() { sed -n "s/.*\"$1\": \"\\([0-9/]*\\)\".*/\\1/p" <<<"$out" | head -1; }

# name|preset|extra options|arch id|context|precision
cases=(
  "mamba-2.8b|--context 8192 --precision bf16|mamba|8192|bf16"
  "rwkv7-world-2.9b|--context 4096 --precision fp32|rwkv7|4096|fp32"
  "llama-3-8b|--context 8192 --precision fp16 --set n_layers=2|gqa|8192|fp16"
)
for c in "${cases[@]}"; do
  IFS='|' read -r preset extra id context precision <<<"$c"
  file="$workdir/$preset.proof"
  # shellcheck disable=SC2086
  run arch state --preset "$preset" $extra --vocab 32000 --error 0.01 --json
  expect_code 0 "arch state $preset"
  max=$(json_field max_pairs); bits=$(json_field state_bits)
  checks=$((checks + 1)); [[ -n "$max" && -n "$bits" ]] || fail "$preset: no max_pairs/state_bits in $out"
  # shellcheck disable=SC2086
  run arch state --preset "$preset" $extra --vocab 32000 --error 0.01 --json --emit-proof "$file"
  expect_code 0 "arch state $preset --emit-proof"
  checks=$((checks + 1)); [[ "$(json_field max_pairs)" == "$max" ]] || fail "$preset: --emit-proof changed max_pairs"
  checks=$((checks + 1)); [[ -s "$file" ]] || fail "$preset: no proof file"
  run check "$file"
  expect_code 0 "check $preset proof"
  expect_out "VERIFIED" "$preset proof verdict"
  expect_out "theorem: N <= $max\$" "$preset: the proof's bound equals arch state's max_pairs"
  # B in the script is the catalog's exact state bits, and the header records the configuration.
  checks=$((checks + 1)); grep -qx "symbol B real >= 0 = $bits" "$file" || fail "$preset: B is not $bits"
  checks=$((checks + 1)); grep -q "^title Max pairs: N <= $max for V = 32000, eps = 1/100, B = $bits (state of $id preset $preset.*, T = $context, $precision)\$" "$file" ||
    fail "$preset: title does not record the configuration: $(grep '^title' "$file")"
  for line in "# Architecture: .*\\[$id\\]" "# Preset: $preset " "# Context: T = $context\$" "# Precision: $precision " \
              "# Written by: recallbound arch state $id --preset $preset .*--context $context --precision $precision --vocab 32000 --error 1/100\$"; do
    checks=$((checks + 1)); grep -q "^$line" "$file" || fail "$preset: no line /$line/"
  done
  checks=$((checks + 1)); diff <(steps "$theorem") <(steps "$file") >/dev/null || fail "$preset: theorem steps differ from $theorem"
  # The same bits through `capacity` give the same number.
  run capacity --vocab 32000 --error 0.01 --state-bits "$bits" --json
  checks=$((checks + 1)); [[ "$(json_field max_pairs)" == "$max" ]] || fail "$preset: capacity disagrees with arch state"
done

# Overrides are recorded; without them the line says none.
checks=$((checks + 1)); grep -qx "# Overrides (--set): n_layers=2" "$workdir/llama-3-8b.proof" || fail "llama override not recorded"
checks=$((checks + 1)); grep -qx "# Overrides (--set): none" "$workdir/mamba-2.8b.proof" || fail "mamba: overrides not 'none'"

# An entry from --spec: the reproducing command names the catalog file.
spec="$RECALLBOUND_SOURCE_DIR/examples/catalog/my-architecture.json"
run arch state my-hybrid --spec "$spec" --context 1000 --vocab 32000 --error 0.01 --json --emit-proof "$workdir/spec.proof"
expect_code 0 "arch state --spec --emit-proof"
max=$(json_field max_pairs)
run check "$workdir/spec.proof"
expect_code 0 "check --spec proof"
expect_out "theorem: N <= $max\$" "--spec proof's bound equals arch state's"
checks=$((checks + 1)); grep -qx "# Written by: recallbound arch state my-hybrid --spec $spec --context 1000 --precision bf16 --vocab 32000 --error 1/100" "$workdir/spec.proof" ||
  fail "--spec missing from the command line: $(grep '^# Written by' "$workdir/spec.proof")"

# The proof depends on B: halving it in the script makes the rounding step fail.
bits=$(sed -n 's/^symbol B real >= 0 = //p' "$workdir/mamba-2.8b.proof")
sed "s|^symbol B real >= 0 = .*|symbol B real >= 0 = $bits/2|" "$workdir/mamba-2.8b.proof" >"$workdir/halved.proof"
run check "$workdir/halved.proof"
expect_code 10 "halved B"
expect_out "REJECTED" "halved B verdict"

# Bad options: exit 2, no file; an existing file is left as it was.
bad() {  # bad EXPECTED-STDERR-REGEX ARGS...
  local want=$1; shift
  rm -f "$workdir/bad.proof"
  run arch state "$@" --emit-proof "$workdir/bad.proof"
  expect_code 2 "arch state $*"
  expect_err "$want" "message for $*"
  checks=$((checks + 1)); [[ ! -e "$workdir/bad.proof" ]] || fail "arch state $* left a file"
}
bad "--emit-proof: needs --vocab and --error" --preset mamba-2.8b
bad "--emit-proof: the bound is vacuous" --preset mamba-2.8b --vocab 2 --error 0.5
bad "precision: unknown format .fp7." --preset mamba-2.8b --precision fp7 --vocab 32000 --error 0.01
bad "--context: -1 is out of range" --preset mamba-2.8b --context -1 --vocab 32000 --error 0.01
bad "error: 2 is out of range" --preset mamba-2.8b --vocab 32000 --error 2
bad "--set: 'd_state' is not of the form name=value" --preset mamba-2.8b --set d_state --vocab 32000 --error 0.01
bad "--preset: 'mamba-2.8b' is a preset of 'mamba', not of 'gqa'" gqa --preset mamba-2.8b --vocab 32000 --error 0.01
cp "$workdir/mamba-2.8b.proof" "$workdir/keep.proof"
run arch state --preset mamba-2.8b --vocab 2 --error 0.5 --emit-proof "$workdir/keep.proof"
expect_code 2 "vacuous over an existing file"
checks=$((checks + 1)); cmp -s "$workdir/mamba-2.8b.proof" "$workdir/keep.proof" || fail "a failed run changed an existing file"
finish
