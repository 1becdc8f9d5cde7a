"""Independent oracle: max_pairs = floor(B / D(eps, V)) with mpmath at 60 digits, compared with the
CLI's --batch output on a seeded grid (random rows plus rows built to sit near integers).
Run with /usr/bin/python3 (Debian's python3-mpmath). Exit 0 = agree, 1 = disagree, 77 = skipped."""
import csv, io, random, subprocess, sys

try:
    import mpmath
except ImportError:
    print("SKIP: mpmath not available to", sys.executable)
    sys.exit(77)

mpmath.mp.dps = 60
binary = sys.argv[1]
rng = random.Random(20261128)


def denominator(bits_unused, vocab, eps):
    eps = mpmath.mpf(eps.numerator) / eps.denominator
    h2 = (-eps * mpmath.log(eps, 2) if eps > 0 else 0) - ((1 - eps) * mpmath.log(1 - eps, 2) if eps < 1 else 0)
    return mpmath.log(vocab, 2) - h2 - (eps * mpmath.log(vocab - 1, 2) if eps > 0 else 0)


from fractions import Fraction

rows = []
for _ in range(3000):
    vocab = rng.randint(2, 2**20)
    eps = Fraction(rng.randrange(0, 10**6), 10**6)
    if eps >= 1 - Fraction(1, vocab):
        continue
    rows.append((rng.randint(1, 2**27), vocab, eps))
# Near-integer rows: B = ceil(k * D) or floor(k * D) for large k, so B / D sits just above/below k.
for _ in range(300):
    vocab = rng.randint(2, 2**16)
    eps = Fraction(rng.randrange(0, 1000), 1000 * rng.randint(1, 9))
    if eps >= 1 - Fraction(1, vocab):
        continue
    k = rng.randint(10**6, 10**9)
    exact = k * denominator(None, vocab, eps)
    rows.append((int(mpmath.floor(exact)), vocab, eps))
    rows.append((int(mpmath.ceil(exact)), vocab, eps))

text = "state_bits,vocab,error\n" + "".join(f"{b},{v},{e.numerator}/{e.denominator}\n" for b, v, e in rows)
result = subprocess.run([binary, "capacity", "--batch", "-"], input=text, capture_output=True, text=True)
if result.returncode != 0:
    print("FAIL: CLI exited", result.returncode, result.stderr)
    sys.exit(1)
bad = 0
for (b, v, e), out in zip(rows, csv.DictReader(io.StringIO(result.stdout))):
    d = denominator(None, v, e)
    ratio = mpmath.mpf(b) / d
    expected = int(mpmath.floor(ratio))
    if abs(ratio - mpmath.nint(ratio)) < mpmath.mpf(10) ** -40:
        continue  # too close to call at 60 digits: the oracle abstains
    lo, hi = mpmath.mpf(out["denominator_lower"]), mpmath.mpf(out["denominator_upper"])
    if str(expected) != out["max_pairs"] or not (lo <= d <= hi):
        bad += 1
        print("MISMATCH", b, v, e, "expected", expected, "got", out["max_pairs"], out["denominator_lower"], out["denominator_upper"])
print(f"{len(rows) - bad} passed, {bad} failed")
sys.exit(1 if bad else 0)
