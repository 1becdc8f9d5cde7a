"""Shared helpers for the estimator benchmarks (run with /usr/bin/python3)."""
import json
import os
import resource
import statistics
import subprocess
import tempfile
import time

import numpy as np

LN2 = np.log(2.0)


def process_cpu(fn):
    """(fn(), the CPU seconds of this process it took)."""
    start = time.process_time()
    value = fn()
    return value, time.process_time() - start


def median_runs(fn, repeats):
    """fn() returns (value, seconds); runs it `repeats` times: (first value, median seconds, all seconds)."""
    values, times = [], []
    for _ in range(repeats):
        value, seconds = fn()
        values.append(value)
        times.append(seconds)
    return values[0], statistics.median(times), times


def binary(path=None):
    return path or os.environ.get("RECALLBOUND", "build/src/cli/recallbound")


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_cli(args, exe=None, cpu=False):
    """Runs the CLI; returns (parsed JSON, seconds): wall seconds, or CPU seconds (user + system,
    all threads) with cpu=True. Raises on a non-verdict failure."""
    start, start_cpu = time.perf_counter(), children_cpu()
    proc = subprocess.run([binary(exe), *args, "--json"], capture_output=True, text=True)
    seconds = (children_cpu() - start_cpu) if cpu else time.perf_counter() - start
    if proc.returncode not in (0, 10, 11):
        raise RuntimeError(f"{args}: exit {proc.returncode}: {proc.stderr}")
    return json.loads(proc.stdout), seconds


def write_samples(directory, name, array):
    path = os.path.join(directory, name)
    np.savetxt(path, np.asarray(array).reshape(len(array), -1), fmt="%.17g")
    return path


def gaussian_pairs(rng, n, d, rho):
    """d independent coordinate pairs with correlation rho; joint MI in bits."""
    x = rng.standard_normal((n, d))
    y = rho * x + np.sqrt(1 - rho * rho) * rng.standard_normal((n, d))
    return x, y, -0.5 * d * np.log2(1 - rho * rho)


def gaussian_regression(rng, n, dim, r2, w=None):
    """Y = sqrt(r2) <w, X> + noise with X standard normal in `dim` dimensions and w a unit vector
    (drawn after X unless given). Returns x, y, w, the joint MI in bits (-1/2 log2(1 - r2)) and the
    per-feature MIs in bits (-1/2 log2(1 - r2 w_j^2))."""
    x = rng.standard_normal((n, dim))
    if w is None:
        w = rng.standard_normal(dim)
        w /= np.linalg.norm(w)
    y = np.sqrt(r2) * x @ w + np.sqrt(1 - r2) * rng.standard_normal(n)
    return x, y, w, -0.5 * np.log2(1 - r2), -0.5 * np.log2(1 - r2 * w * w)


def tempdir():
    return tempfile.TemporaryDirectory(prefix="rb-bench-")
