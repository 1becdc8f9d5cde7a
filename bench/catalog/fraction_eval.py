"""The alternative for bench/catalog: the same formulas (read from `recallbound arch show --json`),
parsed once with Python's ast and evaluated over fractions.Fraction at the same contexts, doing the
same work as one account() call (state and cost at T, state at 1 and 0).
Usage: fraction_eval.py RECALLBOUND CONTEXTS REPEATS"""
import ast
import json
import math
import subprocess
import sys
import time
from fractions import Fraction

binary, contexts, repeats = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])


def run(*args):
    return json.loads(subprocess.run([binary, *args], check=True, capture_output=True, text=True).stdout)


def compile_formula(text):
    tree = ast.parse(text.replace("^", "**"), mode="eval").body

    def build(node):
        if isinstance(node, ast.Constant):
            value = Fraction(str(node.value))
            return lambda env: value
        if isinstance(node, ast.Name):
            name = node.id
            return lambda env: env[name]
        if isinstance(node, ast.UnaryOp):
            inner = build(node.operand)
            return (lambda env: -inner(env)) if isinstance(node.op, ast.USub) else inner
        if isinstance(node, ast.BinOp):
            a, b = build(node.left), build(node.right)
            op = type(node.op)
            return {ast.Add: lambda env: a(env) + b(env), ast.Sub: lambda env: a(env) - b(env),
                    ast.Mult: lambda env: a(env) * b(env), ast.Div: lambda env: a(env) / b(env),
                    ast.Pow: lambda env: a(env) ** int(b(env))}[op]
        if isinstance(node, ast.Call):
            args = [build(x) for x in node.args]
            f = node.func.id
            if f == "min":
                return lambda env: min(x(env) for x in args)
            if f == "max":
                return lambda env: max(x(env) for x in args)
            if f == "ceil":
                return lambda env: Fraction(math.ceil(args[0](env)))
            return lambda env: Fraction(math.floor(args[0](env)))
        raise ValueError(ast.dump(node))

    return build(tree)


configs = []
for row in run("arch", "list", "--json")["architectures"]:
    entry = run("arch", "show", row["id"], "--json")
    derived = [(d["name"], compile_formula(d["formula"])) for d in entry["derived"]]
    blocks = [(compile_formula(b["count"]), [compile_formula(s["numbers"]) for s in b["state"]],
               compile_formula(b["madds"])) for b in entry["blocks"]]
    base = {p["name"]: Fraction(p["default"]) for p in entry["parameters"]}
    variants = [base] + [{**base, **{k: Fraction(v) for k, v in p["values"].items()}} for p in entry["presets"]]
    for values in variants:
        env = dict(values)
        for name, formula in derived:
            env[name] = formula(env)
        configs.append((env, blocks))


def totals(env, blocks, T, with_cost):
    env["T"] = Fraction(T)
    state = cost = Fraction(0)
    for count, buffers, madds in blocks:
        n = count(env)
        state += n * sum(b(env) for b in buffers)
        if with_cost:
            cost += n * madds(env)
    return state, cost


for _ in range(repeats):
    start = time.perf_counter()
    checksum = 0
    evaluations = 0
    for env, blocks in configs:
        for i in range(contexts):
            state, cost = totals(env, blocks, 1 + 997 * i, True)
            totals(env, blocks, 1, False)
            totals(env, blocks, 0, False)
            checksum += state + cost
            evaluations += 1
    elapsed = time.perf_counter() - start
    print(f"configs={len(configs)} evaluations={evaluations} ns_per_evaluation={elapsed * 1e9 / evaluations:.0f} "
          f"checksum={checksum}")
