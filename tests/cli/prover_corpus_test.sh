#!/usr/bin/env bash
# The problem corpus: every stored certificate passes the kernel with the expected kind, and
# proving each problem afresh gives the expected verdict and a certificate the kernel accepts.
source "$(dirname "$0")/lib.sh"
corpus="$RECALLBOUND_SOURCE_DIR/proofs/corpus"
problems=0
while IFS=$'\t' read -r name expect why goal rest; do
  [[ $name == \#* || -z $name ]] && continue
  problems=$((problems + 1))
  run check-cert --json "$corpus/$name.cert"
  expect_code 0 "$name: stored certificate"
  expect_out "\"kind\": \"$expect\"" "$name: stored certificate kind"
  args=()
  if [[ -n ${rest:-} ]]; then IFS=$'\t' read -ra givens <<<"$rest"; for g in "${givens[@]}"; do args+=(--given "$g"); done; fi
  want=0; [[ $expect == counterexample ]] && want=10
  run prove "$goal" "${args[@]}" --cert "$workdir/$name.cert"
  expect_code "$want" "$name: prove"
  run check-cert "$workdir/$name.cert" --goal "$goal" "${args[@]}"
  expect_code 0 "$name: fresh certificate against the stated problem"
  # A certificate for one problem is not accepted for another.
  run check-cert "$corpus/$name.cert" --goal "H(Zz) >= 0"
  expect_code 10 "$name: replay against another problem"
  expect_out "rule D" "$name: replay names the digest rule"
done <"$corpus/problems.tsv"
checks=$((checks + 1)); (( problems >= 40 )) || fail "only $problems problems"
echo "$problems problems"
finish
