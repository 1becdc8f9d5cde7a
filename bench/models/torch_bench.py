"""Times the PyTorch forms of the reference models (torch_models.py) on every case models_bench dumped
and compares their decoded answers with the C++ ones.
Run with Debian's interpreter: /usr/bin/python3 bench/models/torch_bench.py DUMP_DIR [repeats=3] [case-substring ...]
Writes DUMP_DIR/results.json: per case the C++ figures (meta.json), torch loop / fastest medians (wall and
process CPU seconds), accuracies, and how many queries each torch form decodes differently from the C++
online form of the same precision.

Paired timing: with ONLINE_TIMER set to bench/models/online_timer, each case also alternates `repeats`
rounds of the C++ online form (online_timer, a median of 3 runs per round) with single runs of the torch
loop, and records the median of each side: the machine's speed drifts by about +-30% over minutes on
the 2-core VM, and models_bench times every C++ case minutes before this script times torch, so the
paired ratio is the one that both sides' drift hits alike."""
import json
import os
import subprocess
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_models  # noqa: E402

root = sys.argv[1]
repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
filters = sys.argv[3:]
torch.set_num_threads(2)


def median_timing(work):
    walls, cpus, result = [], [], None
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        result = work()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return sorted(walls)[len(walls) // 2], sorted(cpus)[len(cpus) // 2], result


def paired_timing(meta, inputs):
    """Medians of the C++ online form and the torch loop, timed in alternating rounds."""
    command = [os.environ["ONLINE_TIMER"], meta["name"], meta["precision"], str(meta["d"]), "3"]
    cpp, loop = [], []
    with subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) as timer:
        for _ in range(repeats):
            timer.stdin.write("\n")
            timer.stdin.flush()
            cpp.append(float(timer.stdout.readline()))
            start = time.perf_counter()
            torch_models.loop(meta, inputs)
            loop.append(time.perf_counter() - start)
        timer.stdin.close()
    if timer.returncode != 0:
        sys.exit(f"torch_bench: {' '.join(command)} exited with {timer.returncode}")
    return sorted(cpp)[len(cpp) // 2], sorted(loop)[len(loop) // 2]


def sgemm_gflops(threads):
    torch.set_num_threads(threads)
    a, b = torch.rand(1024, 1024), torch.rand(1024, 1024)
    wall, _, _ = median_timing(lambda: a @ b)
    torch.set_num_threads(2)
    return 2 * 1024 ** 3 / wall / 1e9


manifest = json.load(open(os.path.join(root, "manifest.json")))
results = {"torch_version": torch.__version__, "threads": 2, "repeats": repeats,
           "torch_sgemm_gflops_1thread": sgemm_gflops(1), "torch_sgemm_gflops_2threads": sgemm_gflops(2),
           "cpp": {k: v for k, v in manifest.items() if k not in ("inputs", "cases")}, "rows": []}
# sgemm_rate's measurements of the machine's rate (run.sh), before and after the C++ cases, and the
# goals timed paired with it (paired_rates.py).
results["native_sgemm"] = [json.load(open(os.path.join(root, f"native_sgemm_{when}.json")))
                           for when in ("before", "after") if os.path.exists(os.path.join(root, f"native_sgemm_{when}.json"))]
if os.path.exists(os.path.join(root, "paired_rates.json")):
    results["paired_rates"] = json.load(open(os.path.join(root, "paired_rates.json")))
inputs_cache = {}
# fp32 cases first (the speed goals are stated for them), then the rounded-state ones.
for name in sorted(manifest["cases"], key=lambda case: (not case.endswith("-fp32"), manifest["cases"].index(case))):
    if filters and not any(f in name for f in filters):
        continue
    meta = json.load(open(os.path.join(root, name, "meta.json")))
    if meta["inputs"] not in inputs_cache:
        inputs_cache = {meta["inputs"]: torch_models.load_inputs(os.path.join(root, meta["inputs"]), meta)}
    inputs = inputs_cache[meta["inputs"]]
    expected = inputs["queries"][:, :, 1].int()
    cpp = torch_models.load_decoded(root, name, "online", meta)
    row = dict(meta)
    row["case"] = name
    with torch.no_grad():
        wall, cpu, out = median_timing(lambda: torch_models.loop(meta, inputs))
        decoded = torch_models.decode(out, inputs, meta["vocab"])
        row.update({"torch_loop_seconds": wall, "torch_loop_cpu_seconds": cpu,
                    "torch_loop_accuracy": (decoded == expected).double().mean().item(),
                    "torch_loop_disagreements": int((decoded != cpp).sum())})
        line = (f"{name}: torch loop {wall:.3f} s ({wall / meta['cpp_online_seconds']:.1f}x C++ online), "
                f"accuracy {row['torch_loop_accuracy']:.5f} vs C++ {meta['cpp_online_accuracy']:.5f}, "
                f"{row['torch_loop_disagreements']} queries decoded differently")
        if os.environ.get("ONLINE_TIMER"):
            cpp_paired, loop_paired = paired_timing(meta, inputs)
            row.update({"paired_cpp_online_seconds": cpp_paired, "paired_torch_loop_seconds": loop_paired})
            line += f" | paired: C++ {cpp_paired:.4f} s, loop {loop_paired:.3f} s, {loop_paired / cpp_paired:.1f}x"
        if meta["precision"] == "fp32":
            wall, cpu, out = median_timing(lambda: torch_models.fastest(meta, inputs))
            decoded = torch_models.decode(out, inputs, meta["vocab"])
            row.update({"torch_fastest_seconds": wall, "torch_fastest_cpu_seconds": cpu,
                        "torch_fastest_accuracy": (decoded == expected).double().mean().item(),
                        "torch_fastest_disagreements": int((decoded != cpp).sum())})
            chunked = torch_models.load_decoded(root, name, "chunked", meta)
            if chunked is not None:
                row["cpp_chunked_disagreements"] = int((chunked != cpp).sum())
            line += (f" | torch fastest {wall:.3f} s ({wall / meta['cpp_online_seconds']:.2f}x C++ online), "
                     f"accuracy {row['torch_fastest_accuracy']:.5f}, {row['torch_fastest_disagreements']} differ")
    results["rows"].append(row)
    print(line, flush=True)
    json.dump(results, open(os.path.join(root, "results.json"), "w"), indent=2)
print(f"torch {results['torch_version']} sgemm 1024^3: {results['torch_sgemm_gflops_1thread']:.2f} GFLOP/s (1 thread), "
      f"{results['torch_sgemm_gflops_2threads']:.2f} (2 threads)")
