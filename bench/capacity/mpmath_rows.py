"""mpmath at 60 digits on the first ROWS rows of a capacity CSV: seconds per row (the notebook approach).
Usage: /usr/bin/python3 mpmath_rows.py FILE.csv ROWS"""
import sys, time
from fractions import Fraction
import mpmath

mpmath.mp.dps = 60
rows = []
with open(sys.argv[1]) as f:
    next(f)
    for line, _ in zip(f, range(int(sys.argv[2]))):
        b, v, e = line.strip().split(",")
        rows.append((int(b), int(v), Fraction(e)))
start = time.perf_counter()
for b, v, e in rows:
    eps = mpmath.mpf(e.numerator) / e.denominator
    h2 = (-eps * mpmath.log(eps, 2) if eps > 0 else 0) - (1 - eps) * mpmath.log(1 - eps, 2)
    d = mpmath.log(v, 2) - h2 - (eps * mpmath.log(v - 1, 2) if eps > 0 else 0)
    int(mpmath.floor(b / d))
print(f"mpmath60 ns/row {(time.perf_counter() - start) / len(rows) * 1e9:.0f}")
