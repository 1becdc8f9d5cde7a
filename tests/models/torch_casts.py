"""Oracle for tests/models/storage_format_test.cpp: float32 inputs and torch's bfloat16 / float16 casts
of them (widened back to float32), as lines "dtype input_hex result_hex". Prints SKIP without torch."""
import sys

try:
    import numpy as np
    import torch
except ImportError:
    print("SKIP: torch or numpy missing")
    sys.exit(0)

rng = np.random.default_rng(11)
random_bits = rng.integers(0, 2**32, size=60000, dtype=np.uint64).astype(np.uint32)
# Inputs around the rounding boundaries of both formats: low bits at, just below and just above a tie.
patterns = []
for low_mask, tie in ((0xFFFF, 0x8000), (0x1FFF, 0x1000)):
    for low in (tie - 1, tie, tie + 1, 0, low_mask):
        patterns.append((random_bits & np.uint32(~low_mask & 0xFFFFFFFF)) | np.uint32(low))
every_bf16 = (np.arange(2**16, dtype=np.uint32) << 16)
inputs = np.concatenate(patterns + [random_bits, every_bf16, every_bf16 | np.uint32(0x8000), every_bf16 | np.uint32(0x7FFF)])
floats = inputs.view(np.float32)
keep = ~np.isnan(floats)
inputs, floats = inputs[keep], floats[keep]
tensor = torch.from_numpy(floats.copy())
out = sys.stdout
for name, dtype in (("bf16", torch.bfloat16), ("fp16", torch.float16)):
    rounded = tensor.to(dtype).to(torch.float32).numpy().view(np.uint32)
    out.write("".join(f"{name} {a:08x} {b:08x}\n" for a, b in zip(inputs.tolist(), rounded.tolist())))
