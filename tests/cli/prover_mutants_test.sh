#!/usr/bin/env bash
# Soundness regression: every certificate in proofs/corpus/mutants/ is an altered copy of a valid
# certificate, and the kernel must reject it, naming the rule its header expects.
source "$(dirname "$0")/lib.sh"
dir="$RECALLBOUND_SOURCE_DIR/proofs/corpus/mutants"
total=0
for file in "$dir"/*.cert; do
  total=$((total + 1))
  rule=$(sed -n 's/^# expect-rule: //p' "$file")
  run check-cert "$file"
  expect_code 10 "$(basename "$file")"
  expect_out "REJECTED: .*rule $rule" "$(basename "$file") ($(sed -n 's/^# mutant of //p' "$file"))"
  expect_no_nan "$(basename "$file")"
done
# The mutants are only meaningful if the certificates they were made from are accepted.
for base in $(ls "$dir" | sed 's/__.*//' | sort -u); do
  run check-cert "$RECALLBOUND_SOURCE_DIR/proofs/corpus/$base.cert"
  expect_code 0 "base certificate $base"
done
checks=$((checks + 1)); (( total >= 100 )) || fail "only $total mutants"
finish
