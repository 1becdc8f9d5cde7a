"""NSB posterior mean and standard deviation of the entropy, by direct numerical integration.

  nsb_oracle.py N1 N2      -> prints: mean_bits sd_bits   (alphabet K = 2, counts N1, N2)

Independent of recallbound's closed forms: for K = 2 the posterior given beta is Beta(N1 + beta,
N2 + beta), so E[H | beta] and E[H^2 | beta] are one-dimensional integrals over p (mpmath's
tanh-sinh quadrature, which copes with the endpoint singularities when N + beta < 1); the mixture
over beta uses the NSB weight
  evidence(beta) * (K psi'(K beta + 1) - psi'(beta + 1)) * beta    (prior flat in the expected entropy)
integrated over t = log(beta) with the trapezoid rule on 101 points (the integrand is smooth and
decays to e^-40 at both ends, where the trapezoid rule converges geometrically).
"""
import sys

import mpmath as mp

mp.mp.dps = 12
n1, n2 = int(sys.argv[1]), int(sys.argv[2])
K, N = 2, n1 + n2


def log_weight(t):
    b = mp.exp(t)
    evidence = mp.loggamma(K * b) - mp.loggamma(N + K * b) + mp.loggamma(n1 + b) + mp.loggamma(n2 + b) - 2 * mp.loggamma(b)
    prior = K * mp.polygamma(1, K * b + 1) - mp.polygamma(1, b + 1)
    return evidence + mp.log(prior) + t


def entropy(p):
    return -(p * mp.log(p) + (1 - p) * mp.log(1 - p))


def moment_given_beta(b, power):
    a1, a2 = n1 + b, n2 + b
    log_norm = mp.log(mp.beta(a1, a2))
    f = lambda p: entropy(p) ** power * mp.exp((a1 - 1) * mp.log(p) + (a2 - 1) * mp.log(1 - p) - log_norm)
    return mp.quad(f, [0, mp.mpf(1) / 2, 1])


# The beta range where the weight is within e^-40 of its peak (on a coarse grid).
grid = [mp.log(1e-8) + (mp.log(1e5) - mp.log(1e-8)) * i / 400 for i in range(401)]
logs = [log_weight(t) for t in grid]
top = max(logs)
keep = [t for t, lw in zip(grid, logs) if lw > top - 40]
lo, hi = keep[0] - (grid[1] - grid[0]), keep[-1] + (grid[1] - grid[0])
w = lambda t: mp.exp(log_weight(t) - top)
ts = [lo + (hi - lo) * i / 100 for i in range(101)]
ws = [w(t) * (mp.mpf(1) / 2 if i in (0, 100) else 1) for i, t in enumerate(ts)]
mass = sum(ws)
first = sum(wi * moment_given_beta(mp.exp(t), 1) for wi, t in zip(ws, ts)) / mass
second = sum(wi * moment_given_beta(mp.exp(t), 2) for wi, t in zip(ws, ts)) / mass
sd = mp.sqrt(max(second - first * first, 0))
print(f"{float(first / mp.log(2)):.10f} {float(sd / mp.log(2)):.10f}")
