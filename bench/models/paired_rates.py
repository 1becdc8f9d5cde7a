"""The decode and chunked-form goals, timed paired: rounds of the library's chunked form (or decoding)
alternate with rounds of the machine's sgemm rate (machine_rate.py: the fastest sgemm_rate build), so that the machine's drift (about
+-30% over minutes on the 2-core VM) hits both sides alike; each side's median over the rounds gives
the ratio. Writes DUMP/paired_rates.json for tables.py.
Usage: paired_rates.py BUILD_DIR DUMP_DIR [rounds=7]"""
import json
import os
import statistics
import subprocess
import sys

import machine_rate

build, root = sys.argv[1], sys.argv[2]
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 7
timer = os.path.join(build, "bench", "models", "online_timer")
manifest = json.load(open(os.path.join(root, "manifest.json")))


def ask(process):
    process.stdin.write("\n")
    process.stdin.flush()
    return process.stdout.readline().split()


def paired(name, form, d, flops, sgemm, column):
    """Medians of the form's GFLOP/s and of the machine's rate, `column` (0: 1 thread, 1: 2 threads)."""
    command = [timer, name, form, str(d), "5"]  # 5 runs a round: the chunked forms take 5-20 ms a run
    ours, machine = [], []
    with subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) as process:
        for _ in range(rounds):
            ours.append(flops / float(ask(process)[0]) / 1e9)
            machine.append(sgemm.ask()[column])
        process.stdin.close()
    if process.returncode != 0:
        sys.exit(f"paired_rates: {' '.join(command)} exited with {process.returncode}")
    return statistics.median(ours), statistics.median(machine)


results = {"rounds": rounds, "chunked": [], "chunked_1thread": [], "decode": [], "decode_2threads": []}
sgemm = machine_rate.PerLine(build, 3)
decoded_widths = set()
for case in manifest["cases"]:
    meta = json.load(open(os.path.join(root, case, "meta.json")))
    if meta["precision"] != "fp32":
        continue
    d = meta["d"]
    if d not in decoded_widths:  # one decode per width: the product's shape does not depend on the model
        decoded_widths.add(d)
        flops = 2.0 * meta["batch"] * meta["pairs"] * d * (meta["vocab"] // 2)
        ours, machine = paired(meta["name"], "decode", d, flops, sgemm, 0)
        results["decode"].append({"d": d, "gflops": ours, "sgemm_1thread": machine, "ratio": ours / machine})
        print(f"d={d}: decode {ours:.2f} GFLOP/s, the machine's 1-thread sgemm {machine:.2f}: {ours / machine:.2f}",
              flush=True)
        ours, machine = paired(meta["name"], "decode2", d, flops, sgemm, 1)
        results["decode_2threads"].append({"d": d, "gflops": ours, "sgemm_2threads": machine, "ratio": ours / machine})
        print(f"d={d}: decode on 2 threads {ours:.2f} GFLOP/s, the machine's 2-thread sgemm {machine:.2f}: "
              f"{ours / machine:.2f}", flush=True)
    if "cpp_chunked_gflops" not in meta:
        continue
    flops = meta["cpp_chunked_gflops"] * meta["cpp_chunked_seconds"] * 1e9
    ours, machine = paired(meta["name"], "chunked", d, flops, sgemm, 1)
    results["chunked"].append({"case": case, "name": meta["name"], "d": d, "gflops": ours,
                               "sgemm_2threads": machine, "ratio": ours / machine})
    print(f"{case}: chunked {ours:.2f} GFLOP/s, the machine's 2-thread sgemm {machine:.2f}: {ours / machine:.2f}",
          flush=True)
    # Not a goal: the same on 1 thread against the 1-thread rate, to tell the code's rate from
    # what running on both CPUs at once costs it.
    ours, machine = paired(meta["name"], "chunked1", d, flops, sgemm, 0)
    results["chunked_1thread"].append({"case": case, "name": meta["name"], "d": d, "gflops": ours,
                                       "sgemm_1thread": machine, "ratio": ours / machine})
    print(f"{case}: chunked on 1 thread {ours:.2f} GFLOP/s, the machine's 1-thread sgemm {machine:.2f}: "
          f"{ours / machine:.2f}", flush=True)
sgemm.close()
json.dump(results, open(os.path.join(root, "paired_rates.json"), "w"), indent=2)
