"""Independent oracle for the catalog: re-evaluates every formula of every entry and preset with
Python's own expression parser (ast) over fractions.Fraction, and compares state numbers and
multiply-adds with `recallbound arch state --json`. Usage: catalog_formulas.py RECALLBOUND."""
import ast
import json
import math
import subprocess
import sys
from fractions import Fraction

binary = sys.argv[1]
CONTEXTS = [0, 777, 10**9]


def run(*args):
    return json.loads(subprocess.run([binary, *args], check=True, capture_output=True, text=True).stdout)


def evaluate(text, names):
    tree = ast.parse(text.replace("^", "**"), mode="eval")

    def ev(node):
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Constant):
            return Fraction(str(node.value))
        if isinstance(node, ast.Name):
            return names[node.id]
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -ev(node.operand)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.UAdd):
            return ev(node.operand)
        if isinstance(node, ast.BinOp):
            a, b = ev(node.left), ev(node.right)
            op = type(node.op)
            if op is ast.Add:
                return a + b
            if op is ast.Sub:
                return a - b
            if op is ast.Mult:
                return a * b
            if op is ast.Div:
                return a / b
            if op is ast.Pow:
                assert b.denominator == 1
                return a ** int(b)
        if isinstance(node, ast.Call):
            args = [ev(a) for a in node.args]
            f = node.func.id
            if f == "min":
                return min(args)
            if f == "max":
                return max(args)
            if f == "ceil":
                return Fraction(math.ceil(args[0]))
            if f == "floor":
                return Fraction(math.floor(args[0]))
        raise ValueError("unsupported: " + ast.dump(node))

    return ev(tree)


def totals(entry, values, T):
    names = {k: Fraction(v) for k, v in values.items()}
    for d in entry["derived"]:
        names[d["name"]] = evaluate(d["formula"], names)
    names["T"] = Fraction(T)
    state = madds = Fraction(0)
    for block in entry["blocks"]:
        count = evaluate(block["count"], names)
        per_layer = sum((evaluate(s["numbers"], names) for s in block["state"]), Fraction(0))
        state += count * per_layer
        madds += count * evaluate(block["madds"], names)
    return state, madds


checked = 0
failures = 0
for row in run("arch", "list", "--json")["architectures"]:
    entry = run("arch", "show", row["id"], "--json")
    configs = [(None, {p["name"]: p["default"] for p in entry["parameters"]})]
    for preset in entry["presets"]:
        values = {p["name"]: p["default"] for p in entry["parameters"]}
        values.update(preset["values"])
        configs.append((preset["id"], values))
    for preset_id, values in configs:
        for T in CONTEXTS:
            args = ["arch", "state", entry["id"], "--context", str(T), "--json"]
            if preset_id:
                args += ["--preset", preset_id]
            got = run(*args)
            state, madds = totals(entry, values, T)
            checked += 1
            if Fraction(got["state_numbers"]) != state or Fraction(got["madds_per_token"]) != madds:
                failures += 1
                print(f"MISMATCH {entry['id']} {preset_id} T={T}: tool {got['state_numbers']}/{got['madds_per_token']}"
                      f" oracle {state}/{madds}")
print(f"{checked} configurations checked against the Fraction oracle, {failures} mismatches")
sys.exit(1 if failures else 0)
