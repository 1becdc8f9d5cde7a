"""The machine's single-precision matrix-multiply rate, the reference of the decode and chunked
goals: the fastest of the sgemm_rate_<set> builds (bench/models/CMakeLists.txt: Eigen's sgemm,
1024^3, built once for each instruction set the build machine runs), on 1 thread and on 2 threads
at once, each the fastest build's figure.
Usage: machine_rate.py BUILD_DIR [repeats=7]: prints one JSON object, {"native_sgemm_gflops_1thread":
x, "native_sgemm_gflops_2threads": y, "simd": the 2-thread rate's instruction set, "simd_1thread": the
1-thread rate's, "builds": [each build's object, with its "build" name]}. paired_rates.py uses PerLine."""
import glob
import json
import os
import subprocess
import sys

ONE, TWO = "native_sgemm_gflops_1thread", "native_sgemm_gflops_2threads"


def builds(build_dir):
    """The sgemm_rate_<set> executables of a build."""
    found = sorted(glob.glob(os.path.join(build_dir, "bench", "models", "sgemm_rate_*")))
    if not found:
        sys.exit(f"machine_rate: no sgemm_rate_* executable under {build_dir}/bench/models (build the bench targets)")
    return found


def measure(build_dir, repeats=7):
    each = []
    for executable in builds(build_dir):
        out = subprocess.run([executable, str(repeats)], check=True, capture_output=True, text=True).stdout
        each.append({**json.loads(out), "build": os.path.basename(executable)})
    best_one, best_two = max(each, key=lambda m: m[ONE]), max(each, key=lambda m: m[TWO])
    return {ONE: best_one[ONE], TWO: best_two[TWO], "simd": best_two["simd"], "simd_1thread": best_one["simd"],
            "builds": each}


class PerLine:
    """Every build in --per-line mode: each call of ask() measures once with each build and returns the
    fastest 1-thread and the fastest 2-thread rate (GFLOP/s)."""

    def __init__(self, build_dir, repeats=3):
        self.processes = [subprocess.Popen([executable, "--per-line", str(repeats)], stdin=subprocess.PIPE,
                                           stdout=subprocess.PIPE, text=True) for executable in builds(build_dir)]

    def ask(self):
        rates = []
        for process in self.processes:
            process.stdin.write("\n")
            process.stdin.flush()
            rates.append([float(x) for x in process.stdout.readline().split()])
        return max(r[0] for r in rates), max(r[1] for r in rates)

    def close(self):
        for process in self.processes:
            process.stdin.close()
            process.wait()


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: machine_rate.py BUILD_DIR [repeats=7]")
    print(json.dumps(measure(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 7)))
