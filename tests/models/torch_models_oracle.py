"""Oracle for the reference models: the PyTorch implementation in bench/models/torch_models.py, run on
small cases of all seven models that tests/models/torch_dump.cpp writes, must agree with the C++ forms.
Usage: torch_models_oracle.py MODELS_TORCH_DUMP SOURCE_DIR. Exits 77 (skip) without torch or numpy.

What is checked, per model and storage format:
- the torch per-token loop against the C++ online form of the same precision (state rounded after
  every update on both sides): read-outs within a tolerance, and the decoded answers equal except
  where the C++ scores of the two candidates are within that tolerance of each other (a near-tie that
  round-off may break either way);
- in fp32, torch's fastest form (chunked / masked matmul) and the C++ chunked form the same way.
Tolerances, relative to the largest read-out: fp32 1e-5 (different summation orders in the dot
products; measured at most 6e-7); bf16 and fp16 2^-8 (the state is re-rounded after every update, so
one round-off difference in a dot product can move a stored number by a unit in the last place of
the format, 2^-8 relative for bf16; measured at most 2.3e-4, in fp16 DeltaNet)."""
import os
import subprocess
import sys
import tempfile

try:
    import numpy as np  # noqa: F401
    import torch
except ImportError:
    print("SKIP: torch or numpy missing for /usr/bin/python3")
    sys.exit(77)

dumper, source = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(source, "bench", "models"))
import torch_models  # noqa: E402

TOLERANCE = {"fp32": 1e-5, "bf16": 2.0 ** -8, "fp16": 2.0 ** -8}
torch.set_num_threads(1)
failures = []


def compare(label, reference, other, decoded_reference, decoded_other, inputs, meta, tolerance):
    scale = max(1.0, reference.abs().max().item())
    difference = (reference - other).abs().max().item()
    if not difference <= tolerance * scale:
        failures.append(f"{label}: read-outs differ by {difference:.3g} > {tolerance:.3g} x {scale:.3g}")
    codes = inputs["values"][meta["vocab"] // 2:]
    scores = reference @ codes.T                                     # [B, N, V/2] the reference's scores
    differs = (decoded_reference != decoded_other).nonzero().tolist()
    for b, n in differs:
        a = scores[b, n, decoded_reference[b, n] - meta["vocab"] // 2].item()
        c = scores[b, n, decoded_other[b, n] - meta["vocab"] // 2].item()
        # A near-tie: the scores of both answers within what the read-out tolerance can move them.
        if abs(a - c) > 2 * tolerance * scale * codes.abs().sum(dim=-1).max().item():
            failures.append(f"{label}: query ({b}, {n}) decoded {int(decoded_other[b, n])} instead of "
                            f"{int(decoded_reference[b, n])}, and their scores differ by {abs(a - c):.3g}")
    return difference / scale, len(differs)


with tempfile.TemporaryDirectory() as root:
    subprocess.run([dumper, root], check=True)
    import json
    manifest = json.load(open(os.path.join(root, "manifest.json")))
    for name in manifest["cases"]:
        meta, inputs = torch_models.load_case(root, name)
        tolerance = TOLERANCE[meta["precision"]]
        cpp = torch_models.load_readouts(root, name, "online", meta)
        cpp_decoded = torch_models.load_decoded(root, name, "online", meta)
        expected = inputs["queries"][:, :, 1].int()
        with torch.no_grad():
            loop = torch_models.loop(meta, inputs)
            loop_decoded = torch_models.decode(loop, inputs, meta["vocab"])
            relative, differ = compare(f"{name} torch loop vs C++ online", cpp, loop, cpp_decoded, loop_decoded,
                                       inputs, meta, tolerance)
            line = (f"{name}: accuracy C++ {(cpp_decoded == expected).double().mean().item():.4f} torch loop "
                    f"{(loop_decoded == expected).double().mean().item():.4f}; loop {relative:.2e} rel, {differ} differ")
            if meta["precision"] == "fp32":
                fast = torch_models.fastest(meta, inputs)
                fast_decoded = torch_models.decode(fast, inputs, meta["vocab"])
                relative, differ = compare(f"{name} torch fastest vs C++ online", cpp, fast, cpp_decoded, fast_decoded,
                                           inputs, meta, tolerance)
                line += f"; fastest {relative:.2e} rel, {differ} differ"
                chunked = torch_models.load_readouts(root, name, "chunked", meta)
                if chunked is not None:
                    chunked_decoded = torch_models.load_decoded(root, name, "chunked", meta)
                    relative, differ = compare(f"{name} C++ chunked vs torch fastest", fast, chunked, fast_decoded,
                                               chunked_decoded, inputs, meta, tolerance)
                    line += f"; C++ chunked {relative:.2e} rel, {differ} differ"
        print(line)
    if len(manifest["cases"]) != 27:
        failures.append(f"expected 27 cases (9 variants x 3 formats), the dumper wrote {len(manifest['cases'])}")

for failure in failures:
    print("FAIL:", failure)
if not failures:
    print("all 27 cases agree")
sys.exit(1 if failures else 0)
