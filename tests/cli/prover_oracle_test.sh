#!/usr/bin/env bash
# Independent oracle (optional; skips without numpy): a second implementation in Python re-checks
# prover output: proof identities with exact fractions, counterexamples against every elemental
# Shannon inequality.
source "$(dirname "$0")/lib.sh"
if ! "$PYTHON_ORACLE" -c 'import numpy' 2>/dev/null; then echo "SKIP: numpy not available for $PYTHON_ORACLE"; exit 0; fi
oracle=$(cat <<'PY'
import json, re, sys, itertools
from fractions import Fraction
d = json.load(sys.stdin)
names = d["variables"]
def mask(text):
    return sum(1 << names.index(v.strip()) for v in text.split(",")) if text.strip() else 0
def quantity(q):  # H(S|T) or I(S;T|U) -> {mask: coeff}
    kind, body = q[0], q[2:-1]
    body, _, cond = body.partition("|")
    c = mask(cond); out = {}
    def add(m, v):
        if m: out[m] = out.get(m, 0) + v
    if kind == "H":
        add(mask(body) | c, 1); add(c, -1)
    else:
        a, b = (mask(x) for x in body.split(";"))
        add(a | c, 1); add(b | c, 1); add(a | b | c, -1); add(c, -1)
    return out
n = len(names); full = (1 << n) - 1
if d["verdict"] == "proved":
    target = {int(k): Fraction(v) for k, v in json.loads(sys.argv[1]).items()}
    for block in d["proof"]:
        assert not block["uses"], "oracle problems have no givens"
        total = {}
        for t in block["terms"]:
            assert Fraction(t["multiplier"]) > 0
            for m, v in quantity(t["quantity"]).items():
                total[m] = total.get(m, 0) + Fraction(t["multiplier"]) * v
        sign = 1 if block["direction"] == "ge" else -1
        want = {m: sign * v for m, v in target.items()}
        keys = set(total) | set(want)
        assert all(total.get(k, 0) == want.get(k, 0) for k in keys), "identity fails"
else:
    h = [Fraction(0)] * (full + 1)
    for k, v in d["counterexample"]["point"].items(): h[mask(k)] = Fraction(v)
    for i in range(n):
        assert h[full] - h[full & ~(1 << i)] >= 0
    for i, j in itertools.combinations(range(n), 2):
        rest = [k for k in range(n) if k not in (i, j)]
        for r in range(len(rest) + 1):
            for K in itertools.combinations(rest, r):
                k = sum(1 << x for x in K)
                assert h[(1 << i) | k] + h[(1 << j) | k] - h[(1 << i) | (1 << j) | k] - h[k] >= 0
    target = {int(k): Fraction(v) for k, v in json.loads(sys.argv[1]).items()}
    sign = 1 if d["counterexample"]["violated"] == "ge" else -1
    value = sign * sum(v * h[m] for m, v in target.items())
    assert value == Fraction(d["counterexample"]["violation"]) and value < 0
print("ok")
PY
)
# goal, expected exit code, goal form as {mask: coefficient} of LHS - RHS (written by hand)
check_case() {
  run prove "$1" --json
  expect_code "$2" "$1"
  checks=$((checks + 1))
  result=$("$PYTHON_ORACLE" -c "$oracle" "$3" <<<"$out" 2>&1) || fail "oracle rejects '$1': $result"
}
# Han n=4: sum_i H(N-i) - 3 H(N); masks X1=1 X2=2 X3=4 X4=8
check_case 'H(X2,X3,X4) + H(X1,X3,X4) + H(X1,X2,X4) + H(X1,X2,X3) >= 3*H(X1,X2,X3,X4)' 0 '{"14":1,"13":1,"11":1,"7":1,"15":-3}'
check_case 'H(X2,X3,X4) + H(X1,X3,X4) + H(X1,X2,X4) + H(X1,X2,X3) >= 4*H(X1,X2,X3,X4)' 10 '{"14":1,"13":1,"11":1,"7":1,"15":-4}'
# Ingleton [A;B;C;D] = -H(A)-H(B)+H(AB)+H(AC)+H(BC)+H(AD)+H(BD)-H(ABC)-H(ABD)-H(CD); A=1 B=2 C=4 D=8
check_case '[A;B;C;D] >= 0' 10 '{"1":-1,"2":-1,"3":1,"5":1,"6":1,"9":1,"10":1,"7":-1,"11":-1,"12":-1}'
# Shearer pairs n=3: H(A,B)+H(A,C)+H(B,C) - 2 H(A,B,C)
check_case 'H(A,B) + H(A,C) + H(B,C) >= 2*H(A,B,C)' 0 '{"3":1,"5":1,"6":1,"7":-2}'
finish
