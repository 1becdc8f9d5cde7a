#!/usr/bin/env bash
# Compares the online form of two builds of the library on one case, alternating them so that the
# machine's drift (about +-30% over minutes on the 2-core VM) hits both alike: ROUNDS alternations of
# REPEATS timed runs each; prints each build's median and the ratio B / A.
# Usage: bench/models/ab.sh BUILD_A BUILD_B VARIANT PRECISION D [rounds=8] [repeats=5]
set -euo pipefail
a=${1:?usage: ab.sh BUILD_A BUILD_B VARIANT PRECISION D [rounds] [repeats]}
b=${2:?}; variant=${3:?}; precision=${4:?}; d=${5:?}
rounds=${6:-8}; repeats=${7:-5}
for build in "$a" "$b"; do [[ -x $build/bench/models/online_timer ]] || { echo "ab.sh: no $build/bench/models/online_timer" >&2; exit 2; }; done
times_a=() times_b=()
for ((i = 0; i < rounds; ++i)); do
  times_a+=("$(echo | "$a/bench/models/online_timer" "$variant" "$precision" "$d" "$repeats")")
  times_b+=("$(echo | "$b/bench/models/online_timer" "$variant" "$precision" "$d" "$repeats")")
done
/usr/bin/python3 - "$variant" "$precision" "$d" "${times_a[*]}" "${times_b[*]}" <<'PY'
import statistics, sys
variant, precision, d, a, b = sys.argv[1:]
a, b = [float(x) for x in a.split()], [float(x) for x in b.split()]
print(f"{variant} {precision} d={d}: A median {statistics.median(a):.4f} s, B median {statistics.median(b):.4f} s, "
      f"B / A {statistics.median(b) / statistics.median(a):.3f} ({len(a)} rounds each)")
PY
