"""Optional oracle: check-claims margins B - N*D(eps, V) against mpmath at 60 digits.

Exit 77 (skip) when mpmath is missing. The certified enclosure printed by recallbound must
contain mpmath's value, and the verdict must follow the sign of that value.
"""
import json
import random
import subprocess
import sys
import tempfile

try:
    import mpmath
except ImportError:
    print("SKIP: mpmath not available")
    sys.exit(77)

mpmath.mp.dps = 60
binary = sys.argv[1]
rng = random.Random(5)
rows = []
for _ in range(60):
    vocab = rng.choice([2, 3, 10, 256, 32000, 50257, 10**6])
    error = mpmath.mpf(rng.choice([0, 1, 5, 10, 100, 250, 499])) / 1000
    bits = rng.choice([64, 1000, 4096, 1048576])
    pairs = rng.randint(0, 3 * bits)
    rows.append((bits, vocab, rng.choice(["0", "0.001", "0.005", "0.01", "0.1", "0.25", "0.499"]), pairs))

with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
    f.write("state_bits,vocab,error,pairs\n")
    for bits, vocab, error, pairs in rows:
        f.write(f"{bits},{vocab},{error},{pairs}\n")
    path = f.name

result = subprocess.run([binary, "check-claims", "--json", path], capture_output=True, text=True)
if result.returncode not in (0, 10):
    print("FAIL: exit", result.returncode, result.stderr)
    sys.exit(1)
out = json.loads(result.stdout)
failures = 0
for (bits, vocab, error, pairs), row in zip(rows, out["rows"]):
    eps = mpmath.mpf(error)
    h2 = 0 if eps == 0 else -eps * mpmath.log(eps, 2) - (1 - eps) * mpmath.log(1 - eps, 2)
    d = mpmath.log(vocab, 2) - h2 - (eps * mpmath.log(vocab - 1, 2) if vocab > 2 else 0)
    margin = bits - pairs * d
    lower, upper = mpmath.mpf(row["margin_bits"]["lower"]), mpmath.mpf(row["margin_bits"]["upper"])
    vacuous = eps >= 1 - mpmath.mpf(1) / vocab
    expected = "vacuous" if vacuous else ("consistent" if margin >= 0 else "inconsistent")
    if not (lower <= margin <= upper) or row["verdict"] != expected:
        failures += 1
        print("FAIL:", bits, vocab, error, pairs, row, "mpmath margin", margin)
print(f"{len(rows)} rows, {failures} failures")
sys.exit(1 if failures else 0)
