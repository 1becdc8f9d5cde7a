"""False-alarm rate of `verify` on honest simulated models, and detection of a leaking one.

  /usr/bin/python3 bench/estimators/false_alarms.py [--seeds 1000]

Honest at capacity: each answer is wrong with probability eps* where N * D(eps*, V) = B (a q-ary
symmetric channel carrying exactly the state's bits: the hardest honest case). Leaking: the
state holds B bits but 60% of the values it cannot hold are read from outside it.
N = 512 pairs, V = 64, B = 2000 bits, 20 trials per run, confidence 0.99.
"""
import argparse
import json
import os

import numpy as np

from common import run_cli, tempdir

N, V, B, TRIALS = 512, 64, 2000, 20
LEAK = 0.6  # fraction of the values the state cannot hold that are read from outside it


def fano_bits(eps):
    h2 = 0 if eps <= 0 else -eps * np.log2(eps) - (1 - eps) * np.log2(1 - eps)
    return N * (np.log2(V) - h2 - eps * np.log2(V - 1))


def capacity_eps():
    lo, hi = 0.0, 1 - 1 / V
    for _ in range(200):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if fano_bits(mid) > B else (lo, mid)
    return hi


def run_doc(errors):
    return {"format": "recallbound-recall-run", "version": 1, "arch": "simulated", "task": {"vocab": V},
            "rows": [{"pairs": N, "queries": N * TRIALS, "errors": int(errors), "state_bits_measured": str(B)}]}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=1000)
    args = ap.parse_args()
    eps = capacity_eps()
    kept = int(B // np.log2(V))
    counts = {"honest": {}, "leaking": {}}
    with tempdir() as d:
        path = os.path.join(d, "run.json")
        for seed in range(args.seeds):
            rng = np.random.default_rng(seed)
            honest = rng.binomial(N * TRIALS, eps)
            unknown = (N - kept) * TRIALS
            leaked = rng.binomial(unknown, LEAK)
            leaking = rng.binomial(unknown - leaked, 1 - 1 / V)
            for name, errors in (("honest", honest), ("leaking", leaking)):
                with open(path, "w") as f:
                    json.dump(run_doc(errors), f)
                out, _ = run_cli(["verify", "--run", path])
                counts[name][out["verdict"]] = counts[name].get(out["verdict"], 0) + 1
    print(f"eps* = {eps:.6f} (N D(eps*, V) = B = {B}); {args.seeds} seeds; confidence 0.99")
    print("| model | VIOLATION | INCONCLUSIVE | CONSISTENT | VIOLATION rate |")
    print("|---|---|---|---|---|")
    for name, c in counts.items():
        v = c.get("VIOLATION", 0)
        print(f"| {name} | {v} | {c.get('INCONCLUSIVE', 0)} | {c.get('CONSISTENT', 0)} | {v / args.seeds:.4f} |")


if __name__ == "__main__":
    main()
