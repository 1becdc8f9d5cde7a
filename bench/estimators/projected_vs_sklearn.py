"""Cross-fitted projected estimates of the joint I(X; Y) against scikit-learn's per-feature
estimator, at n = 10^5 samples in 16 dimensions: error against the closed-form joint truth, and time.

  /usr/bin/python3 bench/estimators/projected_vs_sklearn.py [--repeats 3] [--n 100000] [--dims 16]

Cases (truth in bits):
  gaussian: Y = sqrt(r2) <w, X> + noise, |w| = 1, r2 = 0.75: I(X; Y) = -1/2 log2(1 - r2) = 1 bit;
            recallbound `--method ksg --project cca:1`; also `--method ksg` (joint, exact) on a
            subsample when --joint-n is given, and `--method gauss`.
  mixture:  4 labels, S = 1.5 c u + N(0, I) with u a unit vector over all coordinates:
            I(C; S) = I(C; <u, S>), a one-dimensional quadrature; recallbound `--method mixed
            --project lda:3`.
scikit-learn (mutual_info_regression / mutual_info_classif, n_neighbors=3) estimates the 16
per-feature I(X_j; Y) instead; its error is against the per-feature truths (its own targets:
-1/2 log2(1 - r2 w_j^2), and the 1-D quadrature with separation 1.5 u_j), averaged over features.
Times are CPU seconds (user + system, all threads): recallbound as a subprocess on text files
(parsing included), scikit-learn in process on arrays. Medians of --repeats runs.
"""
import argparse

import numpy as np
from sklearn.feature_selection import mutual_info_classif, mutual_info_regression

from common import LN2, gaussian_regression, median_runs, process_cpu, run_cli, tempdir, write_samples
from speed_vs_sklearn import mixture_mi_bits


def row(case, truth, est, err, t, sk_t, note=""):
    ratio = f"{sk_t / t:.1f}" if sk_t else "-"
    print(f"| {case} | {truth} | {est} | {err} | {t:.2f} | {ratio} | {note} |", flush=True)


def runs_text(times):
    return " ".join(f"{t:.2f}" for t in times)


def compare(case, sklearn_fn, sklearn_name, truth, feature_truth, x_path, y_path, method, projection, args):
    """scikit-learn's per-feature estimates, then recallbound's projected joint estimate on 1 and
    args.threads threads; returns scikit-learn's median CPU seconds."""
    sk, sk_t, sk_runs = median_runs(lambda: process_cpu(sklearn_fn), args.repeats)
    sk_err = np.mean(np.abs(sk / LN2 - feature_truth))
    row(f"{case}: sklearn {sklearn_name}, {len(feature_truth)} per-feature values",
        f"{truth:.4f} joint; per-feature {feature_truth.min():.3f}..{feature_truth.max():.3f}",
        f"sum {np.sum(sk) / LN2:.4f}", f"{sk_err:.4f} (mean per feature, vs its own targets)", sk_t, None,
        runs_text(sk_runs))
    for threads in (1, args.threads):
        rb, t, runs = median_runs(lambda: run_cli(["estimate", "mi", "--x", x_path, "--y", y_path, "--method", method,
                                                   "--project", projection, "--threads", str(threads)], cpu=True),
                                  args.repeats)
        est, folds = rb["estimate_bits"], rb["projection"]["fold_bits"]
        row(f"{case}: recallbound {method} --project {projection} (joint lower bound), {threads} thread(s)",
            f"{truth:.4f}", f"{est:.4f} (folds {folds[0]:.4f}, {folds[1]:.4f})", f"{abs(est - truth):.4f}", t, sk_t,
            runs_text(runs))
    return sk_t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--n", type=int, default=100000)
    ap.add_argument("--dims", type=int, default=16)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--error-seeds", type=int, default=0,
                    help="then: the projected estimates' error over this many fresh data sets (no sklearn)")
    args = ap.parse_args()
    rng = np.random.default_rng(2027)
    n, dim = args.n, args.dims
    print(f"n = {n}, {dim} dimensions, {args.repeats} repeats (CPU s medians)")
    print("| estimator | truth (bits) | estimate (bits) | abs error (bits) | CPU s | sklearn CPU s / this | runs (CPU s) |")
    print("|---|---|---|---|---|---|---|")
    with tempdir() as d:
        # Gaussian regression: the joint truth is 1 bit.
        r2 = 0.75
        x, y, w, truth, feature_truth = gaussian_regression(rng, n, dim, r2)
        px, py = write_samples(d, "x.txt", x), write_samples(d, "y.txt", y)
        sk_t = compare("Gaussian", lambda: mutual_info_regression(x, y, n_neighbors=3, random_state=0),
                       "mutual_info_regression", truth, feature_truth, px, py, "ksg", "cca:1", args)
        g, t, runs = median_runs(lambda: run_cli(["estimate", "mi", "--x", px, "--y", py, "--method", "gauss"], cpu=True), args.repeats)
        row("Gaussian: recallbound gauss (log-det, joint)", f"{truth:.4f}", f"{g['estimate_bits']:.4f}", f"{abs(g['estimate_bits'] - truth):.4f}", t, sk_t, runs_text(runs))

        # Label mixture along one direction: truth by quadrature.
        sep = 1.5
        labels = rng.integers(0, 4, n)
        u = rng.standard_normal(dim)
        u /= np.linalg.norm(u)
        state = sep * labels[:, None] * u[None, :] + rng.standard_normal((n, dim))
        truth_m = mixture_mi_bits(sep)
        feature_truth_m = np.array([mixture_mi_bits(sep * abs(uj)) if abs(uj) > 1e-3 else 0.0 for uj in u])
        pl, ps = write_samples(d, "l.txt", labels), write_samples(d, "s.txt", state)
        compare("mixture", lambda: mutual_info_classif(state, labels, n_neighbors=3, random_state=0),
                "mutual_info_classif", truth_m, feature_truth_m, pl, ps, "mixed", "lda:3", args)

        if args.error_seeds:
            errors = {"ksg --project cca:1 (Gaussian)": [], "mixed --project lda:3 (mixture)": [], "mixed --project lda:1 (mixture)": []}
            for _ in range(args.error_seeds):
                x, y, _, _, _ = gaussian_regression(rng, n, dim, r2, w)
                px, py = write_samples(d, "x.txt", x), write_samples(d, "y.txt", y)
                rb, _ = run_cli(["estimate", "mi", "--x", px, "--y", py, "--method", "ksg", "--project", "cca:1"])
                errors["ksg --project cca:1 (Gaussian)"].append(rb["estimate_bits"] - truth)
                labels = rng.integers(0, 4, n)
                state = sep * labels[:, None] * u[None, :] + rng.standard_normal((n, dim))
                pl, ps = write_samples(d, "l.txt", labels), write_samples(d, "s.txt", state)
                rb, _ = run_cli(["estimate", "mi", "--x", pl, "--y", ps, "--method", "mixed", "--project", "lda:3"])
                errors["mixed --project lda:3 (mixture)"].append(rb["estimate_bits"] - truth_m)
                rb, _ = run_cli(["estimate", "mi", "--x", pl, "--y", ps, "--method", "mixed", "--project", "lda:1"])
                errors["mixed --project lda:1 (mixture)"].append(rb["estimate_bits"] - truth_m)
            print()
            print(f"| estimator, {args.error_seeds} fresh data sets | mean error (bits) | sd (bits) | max abs error (bits) |")
            print("|---|---|---|---|")
            for name, e in errors.items():
                e = np.array(e)
                print(f"| {name} | {e.mean():+.4f} | {e.std(ddof=1):.4f} | {np.abs(e).max():.4f} |", flush=True)


if __name__ == "__main__":
    main()
