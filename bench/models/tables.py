"""Markdown tables for bench/RESULTS.md from a torch_bench.py results.json. Usage: tables.py RESULTS_JSON"""
import json
import sys

r = json.load(open(sys.argv[1]))
rows = {row["case"]: row for row in r["rows"]}


def ratio(a, b):
    return f"{a / b:.1f}x" if a and b else "-"


def paired(row):
    """The torch loop over the C++ online form, timed in alternating rounds (torch_bench.py)."""
    if "paired_cpp_online_seconds" not in row:
        return "-"
    return (f"{ratio(row['paired_torch_loop_seconds'], row['paired_cpp_online_seconds'])} "
            f"({row['paired_cpp_online_seconds']:.3f} / {row['paired_torch_loop_seconds']:.3f})")


print("fp32 (times are medians, wall seconds; CPU = process CPU seconds, both threads)\n")
print("| model | d | C++ run() s (CPU) | C++ step() s | torch loop s (CPU) | loop / run() wall (CPU) | "
      "paired: loop / run() (run() s / loop s) | loop / step() wall | torch fastest s | fastest / run() | C++ chunked s | C++ chunked GFLOP/s | accuracy C++ / loop / fastest | "
      "differ: loop, fastest, C++ chunked | run() = step() bits |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for row in r["rows"]:
    if row["precision"] != "fp32":
        continue
    chunked = (f"{row['cpp_chunked_seconds']:.3f}", f"{row['cpp_chunked_gflops']:.2f}") if "cpp_chunked_seconds" in row else ("-", "-")
    print(f"| {row['name']} | {row['d']} | {row['cpp_online_seconds']:.3f} ({row['cpp_online_cpu_seconds']:.3f}) | "
          f"{row['cpp_step_seconds']:.3f} | {row['torch_loop_seconds']:.3f} ({row['torch_loop_cpu_seconds']:.3f}) | "
          f"{ratio(row['torch_loop_seconds'], row['cpp_online_seconds'])} "
          f"({ratio(row['torch_loop_cpu_seconds'], row['cpp_online_cpu_seconds'])}) | {paired(row)} | "
          f"{ratio(row['torch_loop_seconds'], row['cpp_step_seconds'])} | "
          f"{row['torch_fastest_seconds']:.3f} | {ratio(row['torch_fastest_seconds'], row['cpp_online_seconds'])} | "
          f"{chunked[0]} | {chunked[1]} | {row['cpp_online_accuracy']:.4f} / {row['torch_loop_accuracy']:.4f} / "
          f"{row['torch_fastest_accuracy']:.4f} | {row['torch_loop_disagreements']}, {row['torch_fastest_disagreements']}, "
          f"{row.get('cpp_chunked_disagreements', '-')} | {'yes' if row['cpp_step_same_bits'] else 'NO'} |")

print("\nbf16 state (rounded after every update on both sides)\n")
print("| model | d | C++ run() s (CPU) | C++ step() s | torch loop s (CPU) | loop / run() wall (CPU) | "
      "paired: loop / run() (run() s / loop s) | loop / step() wall | accuracy C++ / loop | differ | run() = step() bits |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
for row in r["rows"]:
    if row["precision"] == "fp32":
        continue
    print(f"| {row['name']} | {row['d']} | {row['cpp_online_seconds']:.3f} ({row['cpp_online_cpu_seconds']:.3f}) | "
          f"{row['cpp_step_seconds']:.3f} | {row['torch_loop_seconds']:.3f} ({row['torch_loop_cpu_seconds']:.3f}) | "
          f"{ratio(row['torch_loop_seconds'], row['cpp_online_seconds'])} "
          f"({ratio(row['torch_loop_cpu_seconds'], row['cpp_online_cpu_seconds'])}) | {paired(row)} | "
          f"{ratio(row['torch_loop_seconds'], row['cpp_step_seconds'])} | "
          f"{row['cpp_online_accuracy']:.4f} / {row['torch_loop_accuracy']:.4f} | {row['torch_loop_disagreements']} | "
          f"{'yes' if row['cpp_step_same_bits'] else 'NO'} |")

cpp = r["cpp"]
print(f"\nqueries per case: {r['rows'][0]['batch'] * r['rows'][0]['pairs']}; medians of {r['repeats']} runs; 2 threads each side")
print(f"Eigen sgemm 1024^3: {cpp['sgemm_gflops_1thread']:.2f} GFLOP/s on 1 thread, {cpp['sgemm_gflops_2threads']:.2f} "
      f"on 2 threads at once; torch {r['torch_version']} sgemm: {r['torch_sgemm_gflops_1thread']:.2f} (1 thread), "
      f"{r['torch_sgemm_gflops_2threads']:.2f} (2 threads)")
for d, gflops in cpp.get("decode_gflops_1thread", {}).items():
    print(f"decode at d = {d} (one [8192 x {d}] x [{d} x 4096] product, 1 thread): {gflops:.2f} GFLOP/s")
