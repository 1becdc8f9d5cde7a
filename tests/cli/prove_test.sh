#!/usr/bin/env bash
# `prove` and `check-cert`: verdicts and exit codes, bad input, limits, output files, JSON shape.
source "$(dirname "$0")/lib.sh"

run prove 'I(X;Z) <= I(X;Y)' --given 'X -> Y -> Z'
expect_code 0 "data processing"
expect_out '^PROVED' "data processing verdict"
expect_out 'I\(X;Y\|Z\) +>= 0  Shannon' "readable proof names the Shannon term"
expect_out 'kernel: VERIFIED' "kernel line"

run prove 'I(X;Y) <= I(X;Z)' --given 'X -> Y -> Z'
expect_code 10 "over-claimed data processing"
expect_out '^NOT PROVABLE' "over-claim verdict"
expect_out 'does not mean the inequality is false' "not provable is not false"
expect_out 'violation: le form = -[0-9/]+ < 0' "violation amount"

run prove 'I(X1;X5) <= I(X1;X2)' --given 'X1 -> X2 -> X3 -> X4 -> X5' --json
expect_code 0 "data processing over a chain of 5"
expect_out '"reduction": "independence: 31 elementals forced to 0, 15 of 31 coordinates"' "chain LP is reduced"
run prove 'I(X1;X5) <= I(X1;X2)' --given 'X1 -> X2 -> X3 -> X4 -> X5' --no-reduce --json
expect_code 0 "same verdict without reduction"
expect_out '"reduction": "none"' "--no-reduce solves the plain LP"
expect_out '"lp_rows": 31' "plain LP has 2^5 - 1 rows"
run prove 'H(A,B) + H(B,C) + H(A,C) >= 2*H(A,B,C)'
expect_code 0 "Han n = 3"
expect_out 'LP reduction: symmetry S3 \(3 rows' "symmetric goal is solved over orbits"

run prove '[A;B;C;D] >= 0' --latex
expect_code 10 "Ingleton"
expect_out 'begin\{tabular\}' "LaTeX counterexample"

run prove 'I(X;Y,Z) = I(X;Y) + I(X;Z|Y)' --latex
expect_code 0 "chain rule"
expect_out 'begin\{align\*\}' "LaTeX proof"

# JSON: shape and exact strings.
run prove 'H(X|Y) <= H(X)' --json
expect_code 0 "json proof"
checks=$((checks + 1))
/usr/bin/python3 - "$out" <<'PY' || fail "json proof shape"
import json, sys
d = json.loads(sys.argv[1])
assert d["verdict"] == "proved" and d["kernel"]["verified"] is True
assert d["kernel"]["digest"].startswith("sha256:")
block = d["proof"][0]
assert block["direction"] == "le"
assert all(isinstance(t["multiplier"], str) for t in block["terms"])
PY
run prove 'I(X;Y;Z) >= 0' --json
expect_code 10 "json counterexample"
checks=$((checks + 1))
/usr/bin/python3 - "$out" <<'PY' || fail "json counterexample shape"
import json, sys
from fractions import Fraction
d = json.loads(sys.argv[1])
assert d["verdict"] == "not-provable"
p = {k: Fraction(v) for k, v in d["counterexample"]["point"].items()}
value = p["X"] + p["Y"] + p["Z"] - p["X,Y"] - p["X,Z"] - p["Y,Z"] + p["X,Y,Z"]
assert value == Fraction(d["counterexample"]["violation"]) < 0, value
PY

# Certificates: written atomically, checked by the kernel, bound to their problem.
run prove 'H(X,Y) <= H(X) + H(Y)' --cert "$workdir/sub.cert"
expect_code 0 "write certificate"
run check-cert "$workdir/sub.cert"
expect_code 0 "check written certificate"
expect_out 'VERIFIED proof' "verified"
run check-cert "$workdir/sub.cert" --goal 'H(X,Y) >= H(X) + H(Y)'
expect_code 10 "replay against another goal"
expect_out 'rule D' "replay names rule D"
sed 's/^term 1 /term 2 /' "$workdir/sub.cert" >"$workdir/bad.cert"
run check-cert "$workdir/sub.cert" "$workdir/bad.cert" --json
expect_code 10 "one of two rejected"
expect_out '"all_verified": false' "json all_verified"
expect_out 'rule E' "identity failure"
run check-cert "$workdir/missing.cert"
expect_code 2 "missing file"
expect_err "check-cert: cannot read '$workdir/missing.cert'" "missing file message"

# Bad input: exit 2, column in the message, no output file.
run prove 'H(X,Y >= 0' --cert "$workdir/never.cert"
expect_code 2 "parse error"
expect_err 'goal: column 7: expected' "parse error column"
checks=$((checks + 1)); [[ ! -e $workdir/never.cert ]] || fail "a certificate was written for bad input"
run prove 'H(X) >= 0' --given 'X -> Y'
expect_code 2 "short Markov chain"
expect_err 'given 1: column 7: a Markov chain needs at least 3 variable lists, found 2' "Markov message"
run prove 'H(X) >= 0' --time-limit 0
expect_code 2 "zero time limit"
expect_err -- '--time-limit: 0 is out of range' "time limit message"
run prove 'H(X) >= 0' --max-variables 0
expect_code 2 "zero max variables"

# Limits: exit 3 with the option named.
run prove 'I(A;B|C) + I(C;D) >= 0' --max-variables 3
expect_code 3 "size limit"
expect_err -- '--max-variables: the problem has 4 variables' "size limit message"

# --given takes exactly one value, so the goal may come after it.
run prove --given 'A -> B -> C' 'I(A;C) <= I(A;B)'
expect_code 0 "goal after --given"

run prove --help
expect_code 0 "help"
expect_out '0 proved, 10 not provable' "help documents exit codes"
run check-cert --help
expect_out 'VERIFIED only when' "check-cert help"
finish
