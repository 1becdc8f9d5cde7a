#!/usr/bin/env bash
# Reference models against PyTorch on the same constructed model and sequences; prints the table for
# bench/RESULTS.md. Usage: bench/models/run.sh BUILD_DIR [repeats=5]
set -euo pipefail
build=${1:?usage: run.sh BUILD_DIR [repeats]}
repeats=${2:-5}
dump=$(mktemp -d)
trap 'rm -rf "$dump"' EXIT
"$build/bench/models/models_bench" "$dump" "$repeats"
/usr/bin/python3 "$(dirname "$0")/torch_bench.py" "$dump" "$repeats"
/usr/bin/python3 - "$dump/results.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print()
print("| d | C++ online s | torch per-token loop s | ratio | torch chunked s | ratio | C++ chunked s | "
      "C++ decode GFLOP/s | C++ chunked GFLOP/s (2 thr) | Eigen sgemm GFLOP/s (1 thr) | accuracy C++ / torch loop / torch chunked |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
for row in r["rows"]:
    print(f"| {row['d']} | {row['cpp_online_seconds']:.3f} | {row['torch_loop_seconds']:.3f} | "
          f"{row['torch_loop_seconds'] / row['cpp_online_seconds']:.1f}x | {row['torch_chunked_seconds']:.3f} | "
          f"{row['torch_chunked_seconds'] / row['cpp_online_seconds']:.2f}x | {row['cpp_chunked_seconds']:.3f} | "
          f"{row['cpp_decode_gflops']:.2f} | {row['cpp_chunked_gflops']:.2f} | {row['cpp_sgemm_gflops_1thread']:.2f} | "
          f"{row['cpp_online_accuracy']:.5f} / {row['torch_loop_accuracy']:.5f} / {row['torch_chunked_accuracy']:.5f} |")
print(f"\ntorch {r['torch_version']} sgemm 1024^3: {r['torch_sgemm_gflops_1thread']:.2f} GFLOP/s (1 thread), "
      f"{r['torch_sgemm_gflops_2threads']:.2f} (2 threads); medians of {r['repeats']} runs")
PY
