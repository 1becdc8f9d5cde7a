"""Writes proofs/corpus/mutants/*.cert: altered copies of corpus certificates that the kernel must
reject. Each starts with '# mutant of BASE: WHAT' and '# expect-rule: R' (the rule letter the
kernel's first failure must name). Some mutants also recompute the problem digest (asking the
kernel for it), so that the deeper rules are exercised, not just rule D.
Usage: /usr/bin/python3 proofs/corpus/make_mutants.py path/to/recallbound"""
import os, re, subprocess, sys

binary = sys.argv[1]
here = os.path.dirname(os.path.abspath(__file__))
out_dir = os.path.join(here, "mutants")
os.makedirs(out_dir, exist_ok=True)
for old in os.listdir(out_dir):
    if old.endswith(".cert"): os.remove(os.path.join(out_dir, old))

def body(name):
    with open(os.path.join(here, name + ".cert")) as f:
        return [l for l in f.read().splitlines() if not l.startswith("#")]

def fix_digest(lines):
    """Recomputes the digest via the kernel's own error message (rule D reports the real one)."""
    text = "\n".join(lines) + "\n"
    path = os.path.join(out_dir, "tmp.cert")
    with open(path, "w") as f: f.write(text)
    out = subprocess.run([binary, "check-cert", path], capture_output=True, text=True).stdout
    os.remove(path)
    m = re.search(r"does not match the problem \((sha256:[0-9a-f]+)\)", out)
    if not m: return lines
    return [("problem-digest " + m.group(1)) if l.startswith("problem-digest") else l for l in lines]

count = 0
def write(base, what, rule, lines, raw=None):
    global count
    count += 1
    name = f"{base}__{count:02d}.cert"
    text = raw if raw is not None else "\n".join(lines) + "\n"
    with open(os.path.join(out_dir, name), "w") as f:
        f.write(f"# mutant of {base}.cert: {what}\n# expect-rule: {rule}\n" + text)

def index(lines, prefix, nth=0):
    hits = [i for i, l in enumerate(lines) if l.startswith(prefix)]
    return hits[nth]

def replace(lines, i, new):
    copy = list(lines); copy[i] = new; return copy

def delete(lines, i):
    copy = list(lines); del copy[i]; return copy

# Proof mutants.
for base in ["dpi_markov4", "han5", "zhang_yeung_copy_lemma", "contraction", "chain_rule_mi"]:
    L = body(base)
    if any(l.startswith("term") for l in L):
        t = index(L, "term")
        _, m, q = L[t].split(" ", 2)
        write(base, "first term multiplier negated", "T", replace(L, t, f"term -{m} {q}"))
        write(base, "first term multiplier changed (+1)", "E", replace(L, t, f"term {m}+1 {q}".replace(f"{m}+1", str(int(m) + 1) if m.isdigit() else m + "1")))
        write(base, "first term dropped", "E", delete(L, t))
        other = "H(" + L[index(L, "variables")].split()[1] + ")"
        write(base, "first term replaced by another quantity", "E", replace(L, t, f"term {m} {other}"))
        write(base, "first term multiplier zero", "T", replace(L, t, f"term 0 {q}"))
    if any(l.startswith("use") for l in L):
        u = index(L, "use")
        _, comp, m = L[u].split(" ")
        write(base, "first use dropped", "E", delete(L, u))
        write(base, "first use multiplier zero", "U", replace(L, u, f"use {comp} 0"))
        write(base, "use of a component that does not exist", "U", replace(L, u, f"use {comp.split('.')[0]}.9 {m}"))
        write(base, "use of a given that does not exist", "U", replace(L, u, f"use 99.1 {m}"))
        dup = list(L); dup.insert(u, L[u])
        write(base, "component used twice", "U", dup)
        flipped = m[1:] if m.startswith("-") else "-" + m
        write(base, "first use multiplier negated", "E", replace(L, u, f"use {comp} {flipped}"))
    g = index(L, "goal")
    changed_goal = replace(L, g, L[g].replace("<=", ">=") if "<=" in L[g] else L[g].replace(">=", "<=") if ">=" in L[g] else L[g] + " + H(" + L[index(L, "variables")].split()[1] + ")")
    write(base, "goal changed, digest kept", "D", changed_goal)
    write(base, "goal changed, digest recomputed", "[BE]", fix_digest(changed_goal))
    if any(l.startswith("given") for l in L):
        gi = index(L, "given")
        changed = replace(L, gi, "given X9 || X8") if False else delete(L, gi)
        write(base, "first given dropped, digest kept", "D", changed)
        write(base, "first given dropped, digest recomputed", "[UE]", fix_digest(changed))
    v = index(L, "variables")
    names = L[v].split()[1:]
    swapped = [names[1], names[0]] + names[2:]
    renamed = replace(L, v, "variables " + " ".join(swapped))
    write(base, "first two variables swapped in the declaration", "D", renamed)
    # (Swapping the declaration and recomputing the digest gives a *valid* certificate: names,
    # not positions, carry the meaning. So it is not a mutant.)
    write(base, "a variable renamed in the declaration only", "V", replace(L, v, "variables " + " ".join(["Q9"] + names[1:])))
    write(base, "truncated: last three lines lost", "F", L[:-3])
    raw = "\n".join(L) + "\n"
    write(base, "truncated mid-line at 60% of the bytes", "[FE]", None, raw[: int(len(raw) * 0.6)])
    write(base, "garbled: version 2", "F", replace(L, 0, "recallbound-certificate 2"))
    d = index(L, "problem-digest")
    write(base, "garbled: digest altered", "D", replace(L, d, L[d][:-1] + ("0" if L[d][-1] != "0" else "1")))
    write(base, "garbled: text after end", "F", L + ["term 1 H(" + names[0] + ")"])
    write(base, "garbled: kind says counterexample", "F", replace(L, index(L, "kind"), "kind counterexample"))
    if any(l.startswith("term") for l in L):
        t = index(L, "term")
        write(base, "garbled: I( becomes J(", "F", replace(L, t, L[t].replace("I(", "J(").replace("H(", "J(")))
        write(base, "garbled: multiplier 1..5", "F", replace(L, t, "term 1..5 " + L[t].split(" ", 2)[2]))
    blocks = [i for i, l in enumerate(L) if l.startswith("direction")]
    if len(blocks) == 2:
        q = [i for i, l in enumerate(L) if l == "qed"]
        first, second = L[blocks[0]:q[0] + 1], L[blocks[1]:q[1] + 1]
        write(base, "the two direction blocks swapped", "B", L[:blocks[0]] + second + first + L[q[1] + 1:])
        write(base, "second direction block dropped", "B", L[:blocks[1]] + L[q[1] + 1:])
    else:
        b = blocks[0]
        other = "le" if L[b].endswith("ge") else "ge"
        write(base, "direction block renamed", "B", replace(L, b, "direction " + other))

# Counterexample mutants.
for base in ["pairwise_not_mutual_independence", "ingleton", "conditioning_can_increase_mi", "han4_overclaim"]:
    L = body(base)
    p = [i for i, l in enumerate(L) if l.startswith("point")]
    write(base, "a point coordinate dropped", "C", delete(L, p[-1]))
    write(base, "a point coordinate given twice", "C", L[:p[0]] + [L[p[0]]] + L[p[0]:])
    lhs, value = L[p[-1]].split(" = ")
    write(base, "the total entropy raised by 1000 (violates elemental inequalities)", "C", replace(L, p[-1], f"{lhs} = 1000"))
    write(base, "a coordinate negative", "C", replace(L, p[0], L[p[0]].split(" = ")[0] + " = -1"))
    zero = list(L)
    for i in p: zero[i] = L[i].split(" = ")[0] + " = 0"
    write(base, "the zero point (violates nothing)", "C", zero)
    vi = index(L, "violates")
    write(base, "violated direction flipped", "C", replace(L, vi, "violates " + ("le" if L[vi].endswith("ge") else "ge")))
    write(base, "kind says proof", "F", replace(L, index(L, "kind"), "kind proof"))
    write(base, "goal changed, digest kept", "D", replace(L, index(L, "goal"), L[index(L, "goal")] + " + H(" + L[index(L, "variables")].split()[1] + ")"))
    write(base, "truncated: end lost", "F", L[:-1])
    write(base, "garbled: value not a number", "F", replace(L, p[0], L[p[0]].split(" = ")[0] + " = 1/0"))
    if any(l.startswith("given") for l in L):
        gi = index(L, "given")
        write(base, "a given replaced by a stronger one, digest recomputed", "C",
              fix_digest(replace(L, gi, "given " + L[index(L, 'variables')].split()[1] + " : " + L[index(L, 'variables')].split()[2])))
print(count, "mutants")
