#!/usr/bin/env bash
# Reference models against PyTorch on the same constructed models and sequences; prints the tables
# for bench/RESULTS.md. Usage: bench/models/run.sh BUILD_DIR [repeats=3] [d ...]
set -euo pipefail
build=${1:?usage: run.sh BUILD_DIR [repeats] [d ...]}
repeats=${2:-3}
shift $(( $# >= 2 ? 2 : 1 ))
dump=${MODELS_BENCH_DUMP:-$(mktemp -d)}
mkdir -p "$dump"
[[ -n ${MODELS_BENCH_DUMP:-} ]] || trap 'rm -rf "$dump"' EXIT
uptime
# The machine's sgemm rate (the goals' reference: the fastest sgemm_rate build) before and after the C++ cases.
/usr/bin/python3 "$(dirname "$0")/machine_rate.py" "$build" > "$dump/native_sgemm_before.json"
"$build/bench/models/models_bench" "$dump" "$repeats" "$@"
/usr/bin/python3 "$(dirname "$0")/machine_rate.py" "$build" > "$dump/native_sgemm_after.json"
# The decode and chunked goals again, each round alternating with the machine's sgemm rate.
/usr/bin/python3 "$(dirname "$0")/paired_rates.py" "$build" "$dump" 11
ONLINE_TIMER="$build/bench/models/online_timer" /usr/bin/python3 "$(dirname "$0")/torch_bench.py" "$dump" "$repeats"
uptime
/usr/bin/python3 "$(dirname "$0")/tables.py" "$dump/results.json"
