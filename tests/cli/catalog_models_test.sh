#!/usr/bin/env bash
# The catalog's formulas against the models layer's live buffers: for each reference model, the
# state bits a recall run counts at the end of its sequences equal the catalog's count for the same
# configuration (T = sequence length, bf16).
source "$(dirname "$0")/lib.sh"
L=64
bits_of() { sed -nE 's/.*"state_bits_measured": "([0-9]+)".*/\1/p' <<<"$1" | head -1; }
catalog_bits() { sed -nE 's/.*"state_bits": "([0-9]+)".*/\1/p' <<<"$1" | head -1; }
# models arch | recall options | catalog id | catalog --set options
cases=(
  "softmax-attention||softmax-attention|--set d=16 --set d_v=16"
  "sliding-window|--window 8|sliding-window-attention|--set d=16 --set d_v=16 --set window=8"
  "linear-attention|--feature-map identity|linear-attention|--set d=16 --set d_v=16 --set feature_dim=16"
  "linear-attention|--feature-map taylor --feature-dim 4|linear-attention|--set d=16 --set d_v=16 --set feature_dim=21"
  "mamba2||mamba2-ssm|--set d=16 --set d_v=16"
  "deltanet||deltanet|--set d=16 --set d_v=16"
  "gated-deltanet||gated-deltanet|--set d=16 --set d_v=16"
  "based|--feature-dim 4 --window 8|based|--set d=16 --set d_v=16 --set feature_dim=4 --set window=8"
)
for c in "${cases[@]}"; do
  IFS='|' read -r arch options id sets <<<"$c"
  # shellcheck disable=SC2086
  run recall --arch "$arch" $options --d 16 --vocab 256 --pairs 8 --seq-len $L --trials 2 --precision bf16 --seed 1 --json
  expect_code 0 "recall $arch $options"
  measured=$(bits_of "$out")
  # shellcheck disable=SC2086
  run arch state "$id" $sets --context $L --precision bf16 --json
  expect_code 0 "arch state $id"
  expected=$(catalog_bits "$out")
  checks=$((checks + 1))
  [[ -n $measured && $measured == "$expected" ]] || fail "$arch $options: live buffers $measured bits, catalog $expected bits"
done
finish
