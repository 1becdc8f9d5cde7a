#!/usr/bin/env bash
# verify --arch NAME / --preset P --precision F [--set ...] [--context T]: the state's bits are the
# catalog's count for that configuration (the same as `arch state ... --json` gives) times the
# format's bits. A perfect-recall log of 256 pairs over 256 values needs about 2048 bits: a released
# checkpoint holds far more (CONSISTENT), a tiny --set override far less (VIOLATION).
source "$(dirname "$0")/lib.sh"
planted="$RECALLBOUND_SOURCE_DIR/tests/cli/planted_log.awk"
awk -v model=cache -v seqs=40 -v pairs=256 -v vocab=256 -v bits=1024 -v seed=6 -f "$planted" >"$workdir/cache.csv"
log=(--log "$workdir/cache.csv" --vocab 256)
json_field() { jq -r "$1" <<<"$2"; }

# verify_matches_arch_state LABEL EXPECTED_CODE ARCH_STATE_ARGS -- VERIFY_ARGS: runs both, checks the
# verdict's exit code and that verify's state bits equal arch state's.
verify_matches_arch_state() {
  local label=$1 expected=$2; shift 2
  local state_args=() verify_args=()
  while [[ $1 != -- ]]; do state_args+=("$1"); shift; done
  shift
  verify_args=("$@")
  run arch state "${state_args[@]}" --json
  expect_code 0 "$label: arch state"
  local want; want=$(json_field .state_bits "$out")
  run verify "${log[@]}" "${verify_args[@]}" --json
  expect_code "$expected" "$label: verify"
  checks=$((checks + 1))
  local got; got=$(json_field .catalog_state.state_bits "$out")
  [[ -n $want && $got == "$want" ]] || fail "$label: verify counts $got state bits, arch state $want"
  checks=$((checks + 1))
  local lower upper
  lower=$(json_field '.rows[0].state_bits.enclosure.lower | tonumber' "$out")
  upper=$(json_field '.rows[0].state_bits.enclosure.upper | tonumber' "$out")
  [[ $(jq -n "$lower == $want and $upper == $want") == true ]] ||
    fail "$label: the row was not checked against $want bits: $(json_field '.rows[0].state_bits' "$out")"
}

# A big preset whose state does not depend on T: --context is optional.
verify_matches_arch_state "rwkv6 preset" 0 --preset rwkv6-finch-7b --precision bf16 -- \
  --arch rwkv6 --preset rwkv6-finch-7b --precision bf16
expect_out '"verdict": "CONSISTENT"' "rwkv6 preset: consistent"
expect_out '"context_dependent": false' "rwkv6: state independent of T"
# The same preset shrunk to 80 numbers (1280 bits in bf16): the log recalls more than that.
verify_matches_arch_state "rwkv6 tiny" 10 rwkv6 --preset rwkv6-finch-7b --set n_layers=1 --set d_model=8 --set head_size=8 --precision bf16 -- \
  --arch rwkv6 --preset rwkv6-finch-7b --set n_layers=1 --set d_model=8 --set head_size=8 --precision bf16
expect_out '"verdict": "VIOLATION"' "rwkv6 tiny: violation"
expect_out '"state_numbers": "80"' "rwkv6 tiny: 8 + 8*8 + 8 numbers"
expect_out '"state_bits": "1280"' "rwkv6 tiny: 80 * 16 bits"

# A KV cache: the state depends on T, so --context is required.
run verify "${log[@]}" --arch gqa --preset llama-3-8b --precision bf16
expect_code 2 "gqa without --context"
expect_err "^recallbound: --context: required for 'gqa', whose state depends on the context length; give T, an integer >= 0$" "--context required"
verify_matches_arch_state "llama-3-8b at 1024" 0 --preset llama-3-8b --context 1024 --precision bf16 -- \
  --preset llama-3-8b --context 1024 --precision bf16
expect_out '"architecture": "gqa"' "preset alone names its entry"
expect_out '"context": "1024"' "context recorded"
verify_matches_arch_state "gqa tiny at T = 8" 10 gqa --set n_layers=1 --set n_kv_heads=1 --set head_dim=1 --context 8 --precision fp32 -- \
  --arch gqa --set n_layers=1 --set n_kv_heads=1 --set head_dim=1 --context 8 --precision fp32
expect_out '"state_bits": "512"' "gqa tiny: 2 * 8 numbers * 32 bits"

# Text output names the accounting.
run verify "${log[@]}" --arch rwkv6 --set n_layers=1 --set d_model=8 --set head_size=8 --precision bf16
expect_code 10 "text: violation"
expect_out "state bits B: .*\(catalog: rwkv6 n_layers=1 d_model=8 head_size=8, T = 0: 80 numbers \* 16 bits \(bf16\)\)" "text accounting"

# Unknown names: exit 2 with the catalog's own "did you mean" message.
run arch show rwkv66
arch_err=$err
run verify "${log[@]}" --arch rwkv66 --precision bf16
expect_code 2 "unknown arch"
checks=$((checks + 1)); [[ -n $arch_err && $err == "$arch_err" ]] || fail "unknown arch: '$err', catalog says '$arch_err'"
expect_err "rwkv6" "unknown arch: suggestion"
run arch state --preset llama-3-8 --context 1
preset_err=$err
run verify "${log[@]}" --preset llama-3-8 --precision bf16 --context 1
expect_code 2 "unknown preset"
checks=$((checks + 1)); [[ -n $preset_err && $err == "$preset_err" ]] || fail "unknown preset: '$err', catalog says '$preset_err'"
expect_err "llama-3-8b" "unknown preset: suggestion"

# Contradictory or incomplete options: exit 2, naming the field.
run verify "${log[@]}" --arch rwkv6 --preset llama-3-8b --precision bf16
expect_code 2 "preset of another entry"
expect_err "--preset: 'llama-3-8b' is a preset of 'gqa', not of 'rwkv6'" "preset mismatch named"
run verify "${log[@]}" --arch rwkv6
expect_code 2 "no --precision"
expect_err "^recallbound: --precision: required with --arch/--preset" "precision required"
run verify "${log[@]}" --arch rwkv6 --precision bf16 --state-bits 100
expect_code 2 "--state-bits with --arch"
expect_err "--arch/--preset: the catalog gives the state; drop --state-bits" "both states named"
run verify "${log[@]}" --state-bits 100 --context 8
expect_code 2 "--context without --arch"
expect_err "--set and --context: they configure a catalog state; give --arch NAME or --preset P" "context without arch"
run verify "${log[@]}" --preset llama-3-8b --precision bf16 --context -1
expect_code 2 "negative context"
expect_err "--context: -1 is out of range; T must be an integer >= 0" "negative context named"
run verify "${log[@]}" --arch rwkv6 --precision bf16 --set d_model
expect_code 2 "malformed --set"
expect_err "--set: 'd_model' is not of the form name=value" "malformed --set named"
run verify "${log[@]}" --arch rwkv6 --precision bf17
expect_code 2 "bad precision"
expect_err "bf17" "bad precision named"
finish
