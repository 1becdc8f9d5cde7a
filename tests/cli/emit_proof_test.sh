#!/usr/bin/env bash
# capacity/min-bits --emit-proof write instance scripts that the kernel VERIFIES, whose theorem
# part is proofs/recall_capacity.proof verbatim, and whose integer agrees with the command's own.
source "$(dirname "$0")/lib.sh"
theorem="$RECALLBOUND_SOURCE_DIR/proofs/recall_capacity.proof"

steps() { grep -E '^([1-9]|1[0-9]|2[0-2])\. ' "$1"; }

for args in "--vocab 32000 --error 0.01 --state-bits 1048576" "--vocab 2 --error 0 --state-bits 1000" \
            "--vocab 50257 --error 0.3 --state-bits 12345/7" "--vocab 3 --error 0.6 --state-bits 100"; do
  # shellcheck disable=SC2086
  run capacity $args --json --emit-proof "$workdir/max.proof"
  expect_code 0 "capacity $args"
  max=$(sed -n 's/.*"max_pairs": "\([0-9]*\)".*/\1/p' <<<"$out")
  run check "$workdir/max.proof"
  expect_code 0 "check emitted proof for $args"
  expect_out "theorem: N <= $max\$" "the proof's bound equals capacity's max_pairs ($args)"
  checks=$((checks + 1))
  diff <(steps "$theorem") <(steps "$workdir/max.proof") >/dev/null || fail "emitted theorem steps differ from $theorem"
done

run min-bits --pairs 1000 --vocab 32000 --error 0.01 --json --emit-proof "$workdir/min.proof"
expect_code 0 "min-bits --emit-proof"
bits=$(sed -n 's/.*"min_state_bits": "\([0-9]*\)".*/\1/p' <<<"$out")
run check "$workdir/min.proof"
expect_code 0 "check min-bits proof"
expect_out "theorem: B >= $bits\$" "the proof's bound equals min-bits"

# Vacuous bound or irrational state bits: exit 2 and no file.
run capacity --vocab 2 --error 0.5 --state-bits 10 --emit-proof "$workdir/vacuous.proof"
expect_code 2 "vacuous"
expect_err "--emit-proof: the bound is vacuous" "vacuous message"
checks=$((checks + 1)); [[ ! -e "$workdir/vacuous.proof" ]] || fail "vacuous run left a file"
run capacity --vocab 2 --error 0 --state-numbers 3 --precision fp16 --count distinct --emit-proof "$workdir/irrational.proof"
expect_code 2 "irrational bits"
expect_err "--emit-proof: needs a rational number of state bits" "irrational message"
checks=$((checks + 1)); [[ ! -e "$workdir/irrational.proof" ]] || fail "irrational run left a file"

# A hand-edited instance with a wrong number is rejected at the rounding step.
sed 's/^24\. N <= \([0-9]*\)/24. N <= 1\1/' "$workdir/max.proof" >"$workdir/edited.proof"
run check "$workdir/edited.proof"
expect_code 10 "edited instance"
expect_out "step 24 \(max-integer\): the certified floor is" "edited instance message"
finish
