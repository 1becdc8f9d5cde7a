#!/usr/bin/env bash
# recall wires the catalog: every row's state_bits_catalog (the catalog formula for the same
# configuration at T = seq_len, times the format's bits) equals state_bits_measured (the live
# buffers), for each of the seven reference models, in JSON and in the table; verify reads it.
source "$(dirname "$0")/lib.sh"
field_values() { grep -oE "\"$1\": (\"[0-9]+\"|null)" <<<"$2" | sed -E 's/.*: "?([0-9]+|null)"?/\1/'; }
# models arch | recall options
cases=(
  "softmax-attention|"
  "sliding-window|--window 8"
  "linear-attention|--feature-map identity"
  "linear-attention|--feature-map elu"
  "linear-attention|--feature-map taylor --feature-dim 4"
  "mamba2|"
  "deltanet|"
  "gated-deltanet|"
  "based|--feature-dim 4 --window 8"
)
models_seen=""
for c in "${cases[@]}"; do
  IFS='|' read -r arch options <<<"$c"
  for precision in bf16 fp32; do
    # shellcheck disable=SC2086
    run recall --arch "$arch" $options --d 8 --vocab 128 --pairs 4,8,16 --trials 2 --precision $precision --seed 2 --json --no-progress
    expect_code 0 "recall $arch $options $precision"
    measured=$(field_values state_bits_measured "$out")
    catalog=$(field_values state_bits_catalog "$out")
    checks=$((checks + 1))
    [[ $(wc -l <<<"$measured") == 3 && -n $measured ]] || fail "$arch $options $precision: expected 3 rows, got: $measured"
    checks=$((checks + 1))
    [[ $catalog == "$measured" ]] || fail "$arch $options $precision: state_bits_catalog [$catalog] != state_bits_measured [$measured]"
    checks=$((checks + 1))
    [[ $(grep -c '"matches": true' <<<"$out") == 3 ]] || fail "$arch $options $precision: instrumentation.catalog.matches not true in every row"
  done
  models_seen+="$arch "
done
checks=$((checks + 1))
[[ $(tr ' ' '\n' <<<"$models_seen" | sort -u | grep -c .) == 7 ]] || fail "not all seven models covered: $models_seen"

# An explicit --seq-len longer than 4N: the softmax cache grows with T, and the catalog follows it.
run recall --arch softmax-attention --d 8 --vocab 128 --pairs 4 --seq-len 100 --trials 2 --precision bf16 --json --no-progress
expect_code 0 "softmax at seq_len 100"
expect_out '"state_bits_measured": "25728"' "softmax cache: (2 * 100 * 8 + 8) * 16 bits"
expect_out '"state_bits_catalog": "25728"' "catalog count at T = 100"

# The table shows the catalog's count, not n/a, and no mismatch line.
run recall --arch mamba2 --d 8 --vocab 128 --pairs 4,8 --trials 2 --precision bf16 --no-progress
expect_code 0 "mamba2 table"
checks=$((checks + 1)); ! grep -qE "^ +[0-9]+ .*n/a" <<<"$out" || fail "a table row still says n/a: $out"
checks=$((checks + 1)); ! grep -q "mismatch" <<<"$out" || fail "unexpected mismatch: $out"
expect_out " 1152 +1152 " "state bits and catalog columns both 1152 ((8*8 + 8) * 16)"

# verify can now take the run's catalog column.
run recall --arch deltanet --d 8 --vocab 128 --pairs 4,8 --trials 4 --precision bf16 --json --no-progress --out "$workdir/run.json"
expect_code 0 "deltanet run"
run verify --run "$workdir/run.json" --state-source catalog --json
checks=$((checks + 1)); [[ $code == 0 || $code == 11 ]] || fail "verify --state-source catalog: exit $code; $err"
expect_out '"source": "run: state_bits_catalog = 1152"' "verify used the catalog column"
finish
