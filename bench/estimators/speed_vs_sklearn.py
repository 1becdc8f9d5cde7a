"""KSG and the mixed estimator against scikit-learn on the same data: error and time.

  /usr/bin/python3 bench/estimators/speed_vs_sklearn.py [--repeats 3] [--sizes 10000,100000] [--joint-sizes 5000,10000]

Per-feature case (1-D X, 1-D Y): the same quantity for both. Joint case (16-D X, 1-D Y):
recallbound estimates I(X; Y) jointly; scikit-learn estimates the 16 I(X_j; Y) one at a time.
Times are CPU seconds (user + system over all threads; the machine is shared, so CPU time is
steadier than wall time): recallbound as a subprocess (including reading the text files),
scikit-learn in process (arrays already in memory). Medians of --repeats runs.
"""
import argparse

import numpy as np
from scipy import integrate, stats
from sklearn.feature_selection import mutual_info_classif, mutual_info_regression

from common import LN2, gaussian_pairs, gaussian_regression, median_runs, process_cpu, run_cli, tempdir, write_samples


def median_time(fn, repeats):
    value, seconds, _ = median_runs(fn, repeats)
    return value, seconds


def mixture_mi_bits(sep, labels=4):
    """I(C; Z) for C uniform over `labels`, Z = sep * C + N(0, 1), by quadrature."""
    def p(z):
        return np.mean([stats.norm.pdf(z - sep * c) for c in range(labels)], axis=0)
    hz = integrate.quad(lambda z: -p(z) * np.log2(p(z)) if p(z) > 0 else 0, -10, sep * labels + 10, limit=400)[0]
    hz_c = 0.5 * np.log2(2 * np.pi * np.e)
    return hz - hz_c


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--joint-sizes", default="5000,10000")
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    rng = np.random.default_rng(2026)
    print("| case | n | truth (bits) | recallbound est | sklearn est | |err| rb | |err| sk | rb CPU s | sk CPU s | sk/rb |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    with tempdir() as d:
        for n in map(int, args.sizes.split(",")):
            x, y, truth = gaussian_pairs(rng, n, 1, 0.8)
            px, py = write_samples(d, "x.txt", x), write_samples(d, "y.txt", y)
            rb, rb_t = median_time(lambda: run_cli(["estimate", "mi", "--x", px, "--y", py, "--method", "ksg"], cpu=True), args.repeats)
            sk, sk_t = median_time(lambda: process_cpu(lambda: mutual_info_regression(x, y[:, 0], n_neighbors=3, random_state=0)[0]), args.repeats)
            est, skb = rb["estimate_bits"], sk / LN2
            print(f"| KSG 1+1 dims | {n} | {truth:.4f} | {est:.4f} | {skb:.4f} | {abs(est - truth):.4f} | {abs(skb - truth):.4f} | {rb_t:.2f} | {sk_t:.2f} | {sk_t / rb_t:.1f} |", flush=True)

            labels = rng.integers(0, 4, n)
            z = 1.5 * labels + rng.standard_normal(n)
            truth_m = mixture_mi_bits(1.5)
            pl, pz = write_samples(d, "l.txt", labels), write_samples(d, "z.txt", z)
            rb, rb_t = median_time(lambda: run_cli(["estimate", "mi", "--x", pl, "--y", pz, "--method", "mixed"], cpu=True), args.repeats)
            sk, sk_t = median_time(lambda: process_cpu(lambda: mutual_info_classif(z.reshape(-1, 1), labels, n_neighbors=3, random_state=0)[0]), args.repeats)
            est, skb = rb["estimate_bits"], sk / LN2
            print(f"| mixed label vs 1 dim | {n} | {truth_m:.4f} | {est:.4f} | {skb:.4f} | {abs(est - truth_m):.4f} | {abs(skb - truth_m):.4f} | {rb_t:.2f} | {sk_t:.2f} | {sk_t / rb_t:.1f} |", flush=True)

        for n in map(int, args.joint_sizes.split(",")):
            dim, r2 = 16, 0.75
            x, y, _, joint_truth, feature_truth = gaussian_regression(rng, n, dim, r2)
            px, py = write_samples(d, "x.txt", x), write_samples(d, "y.txt", y)
            rb, rb_t = median_time(lambda: run_cli(["estimate", "mi", "--x", px, "--y", py, "--method", "ksg", "--threads", str(args.threads)], cpu=True), args.repeats)
            sk, sk_t = median_time(lambda: process_cpu(lambda: mutual_info_regression(x, y, n_neighbors=3, random_state=0)), args.repeats)
            est = rb["estimate_bits"]
            sk_err = np.mean(np.abs(sk / LN2 - feature_truth))
            print(f"| KSG joint 16+1 dims ({args.threads} threads) vs 16 per-feature | {n} | {joint_truth:.4f} (joint) | {est:.4f} | sum {np.sum(sk) / LN2:.4f} | {abs(est - joint_truth):.4f} | {sk_err:.4f} (mean per feature) | {rb_t:.2f} | {sk_t:.2f} | {sk_t / rb_t:.2f} |", flush=True)
            labels = rng.integers(0, 4, n)
            centers = rng.standard_normal((4, dim))
            state = 0.5 * centers[labels] + rng.standard_normal((n, dim))
            pl, ps = write_samples(d, "l.txt", labels), write_samples(d, "s.txt", state)
            rb, rb_t = median_time(lambda: run_cli(["estimate", "mi", "--x", pl, "--y", ps, "--method", "mixed"], cpu=True), args.repeats)
            sk, sk_t = median_time(lambda: process_cpu(lambda: mutual_info_classif(state, labels, n_neighbors=3, random_state=0)), args.repeats)
            print(f"| mixed joint label vs 16 dims vs 16 per-feature | {n} | <= 2 (joint) | {rb['estimate_bits']:.4f} | sum {np.sum(sk) / LN2:.4f} | - | - | {rb_t:.2f} | {sk_t:.2f} | {sk_t / rb_t:.2f} |", flush=True)
            g, g_t = median_time(lambda: run_cli(["estimate", "mi", "--x", px, "--y", py, "--method", "gauss"], cpu=True), args.repeats)
            print(f"| Gaussian log-det joint 16+1 dims | {n} | {joint_truth:.4f} | {g['estimate_bits']:.4f} | - | {abs(g['estimate_bits'] - joint_truth):.4f} | - | {g_t:.2f} | - | - |", flush=True)


if __name__ == "__main__":
    main()
