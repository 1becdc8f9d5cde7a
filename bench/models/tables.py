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
print(f"sgemm 1024^3, GFLOP/s on 1 thread / 2 threads at once: Eigen as the library is built (baseline x86-64) "
      f"{cpp['sgemm_gflops_1thread']:.2f} / {cpp['sgemm_gflops_2threads']:.2f}", end="")
if "library_sgemm_gflops_1thread" in cpp:
    print(f"; the library's fixed-order product {cpp['library_sgemm_gflops_1thread']:.2f} / "
          f"{cpp['library_sgemm_gflops_2threads']:.2f}", end="")
print(f"; torch {r['torch_version']} {r['torch_sgemm_gflops_1thread']:.2f} / {r['torch_sgemm_gflops_2threads']:.2f}")
native = r.get("native_sgemm", [])
for when, m in zip(("before", "after"), native):
    print(f"the machine's rate (the fastest sgemm_rate build, machine_rate.py: Eigen with {m['simd']}), {when} the C++ cases: "
          f"{m['native_sgemm_gflops_1thread']:.2f} / {m['native_sgemm_gflops_2threads']:.2f}")
for d, gflops in cpp.get("decode_gflops_1thread", {}).items():
    two_threads = cpp.get("decode_gflops_2threads", {}).get(d)
    print(f"decode at d = {d} (one [8192 x {d}] x [{d} x 4096] product): {gflops:.2f} GFLOP/s on 1 thread"
          + (f", {two_threads:.2f} on 2" if two_threads else ""))

# The goals against the machine's rate: the higher of the two measurements (the stricter reference).
if native:
    one = max(m["native_sgemm_gflops_1thread"] for m in native)
    two = max(m["native_sgemm_gflops_2threads"] for m in native)
    decode = cpp.get("decode_gflops_1thread", {})
    chunked = [(row["cpp_chunked_gflops"], f"{row['name']} d={row['d']}") for row in r["rows"] if "cpp_chunked_gflops" in row]
    print(f"\ngoal, decode >= half of the machine's 1-thread rate {one:.2f}: "
          + ", ".join(f"d = {d} {g / one:.2f}" for d, g in decode.items()))
    decode_2 = cpp.get("decode_gflops_2threads", {})
    if decode_2:
        print(f"goal, decode on 2 threads >= half of the machine's 2-thread rate {two:.2f}: "
              + ", ".join(f"d = {d} {g / two:.2f}" for d, g in decode_2.items()))
    if chunked:
        low, high = min(chunked), max(chunked)
        under = [f"{name} {g / two:.2f}" for g, name in chunked if g < two / 2]
        print(f"goal, chunked >= half of the machine's 2-thread rate {two:.2f}: {low[0] / two:.2f} ({low[1]}) to "
              f"{high[0] / two:.2f} ({high[1]}); under half: {', '.join(under) if under else 'none'}")

paired = r.get("paired_rates")
if paired:
    print(f"\npaired ({paired['rounds']} rounds alternating with machine_rate.py; medians; bench/models/paired_rates.py):")
    print("goal, decode >= half of the machine's 1-thread rate: " + ", ".join(
        f"d = {x['d']} {x['gflops']:.2f} / {x['sgemm_1thread']:.2f} = {x['ratio']:.2f}" for x in paired["decode"]))
    if paired.get("decode_2threads"):
        print("goal, decode on 2 threads >= half of the machine's 2-thread rate: " + ", ".join(
            f"d = {x['d']} {x['gflops']:.2f} / {x['sgemm_2threads']:.2f} = {x['ratio']:.2f}"
            for x in paired["decode_2threads"]))
    rows = sorted(paired["chunked"], key=lambda x: x["ratio"])
    if rows:
        under = [f"{x['name']} d={x['d']} {x['ratio']:.2f}" for x in rows if x["ratio"] < 0.5]
        print(f"goal, chunked >= half of the machine's 2-thread rate: {rows[0]['ratio']:.2f} ({rows[0]['name']} d={rows[0]['d']}, "
              f"{rows[0]['gflops']:.2f} / {rows[0]['sgemm_2threads']:.2f}) to {rows[-1]['ratio']:.2f} "
              f"({rows[-1]['name']} d={rows[-1]['d']}); under half: {', '.join(under) if under else 'none'}")
        one = {x["case"]: x for x in paired.get("chunked_1thread", [])}
        print("\n| model | d | chunked GFLOP/s | machine 2-thread sgemm GFLOP/s | ratio | "
              "1 thread: chunked GFLOP/s / machine (not a goal) |")
        print("|---|---|---|---|---|---|")
        for x in paired["chunked"]:
            single = one.get(x["case"])
            alone = (f"{single['gflops']:.2f} / {single['sgemm_1thread']:.2f} = {single['ratio']:.2f}"
                     if single else "-")
            print(f"| {x['name']} | {x['d']} | {x['gflops']:.2f} | {x['sgemm_2threads']:.2f} | {x['ratio']:.2f} | {alone} |")
