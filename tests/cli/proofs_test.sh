#!/usr/bin/env bash
# Every proof under proofs/ is VERIFIED; every file under proofs/rejected/ is REJECTED at the line
# its `# expect-rejected-at:` comment names; malformed scripts exit 2 with file:line:column.
source "$(dirname "$0")/lib.sh"
proofs="$RECALLBOUND_SOURCE_DIR/proofs"

shopt -s nullglob
verified=("$proofs"/*.proof "$proofs"/instances/*.proof)
[[ ${#verified[@]} -ge 5 ]] || fail "expected at least 5 proofs, found ${#verified[@]}"
for file in "${verified[@]}"; do
  run check "$file"
  expect_code 0 "check $file"
  expect_out "VERIFIED" "check $file"
done

# The main theorem states N * D(eps, V) <= B.
run check --json "$proofs/recall_capacity.proof"
expect_code 0 "recall_capacity --json"
expect_out '"conclusion": "N\*D\(eps, V\) <= B"' "the theorem's statement"
expect_out '"certificates_checked": 2' "two Shannon certificates"

rejected=("$proofs"/rejected/*.proof)
[[ ${#rejected[@]} -ge 5 ]] || fail "expected at least 5 rejected proofs, found ${#rejected[@]}"
for file in "${rejected[@]}"; do
  line=$(sed -n 's/^# expect-rejected-at: \([0-9]*\).*/\1/p' "$file" | head -1)
  checks=$((checks + 1))
  [[ -n "$line" ]] || { fail "$file names no expected line"; continue; }
  grep -q '^# why: ' "$file" || fail "$file does not say why it must fail"
  run check --json "$file"
  expect_code 10 "check $file"
  expect_out "\"line\": $line," "$file rejected at line $line"
done

# The query-dropping data-processing step is refuted by a counterexample from the prover.
run check "$proofs/rejected/dpi_drops_query.proof"
expect_code 10 "dpi_drops_query"
expect_out "dpi_drops_query.proof:26:[0-9]+: step 8 \(shannon\): does not follow from steps 1, 2, 3 by Shannon-type inequalities; counterexample" "counterexample"

# The query-correlated chain, repaired with the two missing hypotheses, verifies: the rejection is
# about the query, not about the rest of the derivation.
awk '/^1\. hypothesis function Y : S, Q$/ {print; print "2. hypothesis independent X[1..N] || Q"; print "3. hypothesis function S : X[1..N]"; next}
     /^2\. hypothesis alphabet S bits B$/ {print "4. hypothesis alphabet S bits B"; next}
     /^3\. markov/ {print "5. markov X[1..N] -> S -> Y by shannon 1, 2, 3"; next}
     /^4\. / {print "6. I(X[1..N]; Y) <= I(X[1..N]; S) by shannon 5"; next}
     /^5\. / {print "7. I(X[1..N]; S) <= H(S) by shannon"; next}
     /^6\. / {print "8. H(S) <= B by cardinality 4"; next}
     /^7\. / {print "9. I(X[1..N]; Y) <= B by linear 6, 7, 8"; next}
     /^conclude/ {print "conclude 9"; next} {print}' "$proofs/rejected/dpi_query_correlated.proof" >"$workdir/repaired.proof"
run check "$workdir/repaired.proof"
expect_code 0 "repaired query-correlated chain"

# Several files: one rejected makes the exit code 10, all verified 0.
run check "$proofs/data_processing.proof" "$proofs/rejected/jensen_reversed.proof"
expect_code 10 "mixed files"
run check "$proofs/data_processing.proof" "$proofs/data_processing_conditional.proof"
expect_code 0 "two verified files"

# Malformed scripts: exit 2, FILE:LINE:COLUMN.
printf 'recallbound-proof 1\nvariables X, Y\n1. hypothesis H(X) >= H(Z)\nconclude 1\nend\n' >"$workdir/undeclared.proof"
run check "$workdir/undeclared.proof"
expect_code 2 "undeclared variable"
expect_err "undeclared.proof:3:25: unknown random variable 'Z'" "undeclared variable message"
printf 'recallbound-proof 1\nvariables X\n1. H(X) >= 0 by\nconclude 1\nend\n' >"$workdir/norule.proof"
run check "$workdir/norule.proof"
expect_code 2 "missing rule"
expect_err "norule.proof:3:[0-9]+: expected a rule name" "missing rule message"
printf 'recallbound-proof 2\nend\n' >"$workdir/version.proof"
run check "$workdir/version.proof"
expect_code 2 "wrong version"
expect_err "version.proof:1:1: a proof script starts with the line" "version message"
run check "$workdir/does-not-exist.proof"
expect_code 2 "missing file"
run check --help
expect_code 0 "--help"
expect_out "Exit codes: 0 every script VERIFIED" "--help exit codes"
expect_no_nan "check"
finish
