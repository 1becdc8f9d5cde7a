"""PyTorch implementation of the same constructed linear-attention model (identity features, token
shift, argmax over value codes) on the sequences and weights models_bench dumped, timed in two forms:
a per-token stepping loop (batched over the 64 sequences) and a chunked batched-matmul form (the
fastest PyTorch form here; a cumulative sum over outer products would need B*L*d*d floats).
Run with Debian's interpreter: /usr/bin/python3 bench/models/torch_bench.py DUMP_DIR [repeats=5]"""
import json
import os
import sys
import time

import numpy as np
import torch

root = sys.argv[1]
repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
torch.set_num_threads(2)


def median_seconds(work):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2], result


def sgemm_gflops(threads):
    torch.set_num_threads(threads)
    a, b = torch.rand(1024, 1024), torch.rand(1024, 1024)
    seconds, _ = median_seconds(lambda: a @ b)
    torch.set_num_threads(2)
    return 2 * 1024 ** 3 / seconds / 1e9


def load(directory):
    meta = json.load(open(os.path.join(directory, "meta.json")))
    b, l, n, d, v = meta["batch"], meta["seq_len"], meta["pairs"], meta["d"], meta["vocab"]
    tokens = torch.from_numpy(np.fromfile(os.path.join(directory, "tokens.i32"), dtype=np.int32).reshape(b, l).astype(np.int64))
    queries = torch.from_numpy(np.fromfile(os.path.join(directory, "queries.i64"), dtype=np.int64).reshape(b, n, 2))
    keys = torch.from_numpy(np.fromfile(os.path.join(directory, "keys.f32"), dtype=np.float32).reshape(v, d))
    values = torch.from_numpy(np.fromfile(os.path.join(directory, "values.f32"), dtype=np.float32).reshape(v, d))
    return meta, tokens, queries, keys, values


def accuracy(outputs, queries, values, vocab):
    # outputs [B, N, d] at the query positions; decode against the value codes [V/2, d].
    codes = values[vocab // 2:]
    decoded = (outputs @ codes.T).argmax(dim=-1) + vocab // 2
    return (decoded == queries[:, :, 1]).double().mean().item()


def per_token_loop(tokens, queries, keys, values):
    b, l = tokens.shape
    d = keys.shape[1]
    k = keys[tokens]                      # [B, L, d] k_t
    v = values[tokens]                    # [B, L, d] v_t
    shifted = torch.zeros_like(k)         # [B, L, d] k_{t-1}
    shifted[:, 1:] = k[:, :-1]
    # which (sequence, query slot) reads out at each position
    readers = [[] for _ in range(l)]
    for bi in range(b):
        for qi, (position, _) in enumerate(queries[bi].tolist()):
            readers[position].append((bi, qi))
    out = torch.zeros(b, queries.shape[1], d)
    state = torch.zeros(b, d, d)          # [B, d, d] S
    for t in range(l):
        state.add_(shifted[:, t, :, None] * v[:, t, None, :])  # S += k_{t-1} v_t^T
        if readers[t]:
            rows = torch.tensor([r[0] for r in readers[t]])
            slots = torch.tensor([r[1] for r in readers[t]])
            out[rows, slots] = torch.bmm(k[rows, t, None, :], state[rows]).squeeze(1)  # o = S^T q_t
    return out


def chunked(tokens, queries, keys, values, chunk):
    b, l = tokens.shape
    d = keys.shape[1]
    k = keys[tokens]
    v = values[tokens]
    shifted = torch.zeros_like(k)
    shifted[:, 1:] = k[:, :-1]
    state = torch.zeros(b, d, d)
    outputs = torch.empty(b, l, d)
    causal = torch.ones(chunk, chunk).tril()
    for start in range(0, l, chunk):
        q_c, k_c, v_c = k[:, start:start + chunk], shifted[:, start:start + chunk], v[:, start:start + chunk]
        c = q_c.shape[1]
        mixing = torch.bmm(q_c, k_c.transpose(1, 2)) * causal[:c, :c]        # [B, C, C]
        outputs[:, start:start + c] = torch.bmm(q_c, state) + torch.bmm(mixing, v_c)
        state = state + torch.bmm(k_c.transpose(1, 2), v_c)                  # S += K^T V
    index = queries[:, :, 0, None].expand(-1, -1, d)
    return torch.gather(outputs, 1, index)


results = {"torch_version": torch.__version__, "threads": 2, "repeats": repeats,
           "torch_sgemm_gflops_1thread": sgemm_gflops(1), "torch_sgemm_gflops_2threads": sgemm_gflops(2), "rows": []}
for name in sorted(os.listdir(root), key=lambda s: int(s[1:]) if s[1:].isdigit() else 0):
    directory = os.path.join(root, name)
    if not os.path.isfile(os.path.join(directory, "meta.json")):
        continue
    meta, tokens, queries, keys, values = load(directory)
    with torch.no_grad():
        loop_seconds, loop_out = median_seconds(lambda: per_token_loop(tokens, queries, keys, values))
        chunk_seconds, chunk_out = median_seconds(lambda: chunked(tokens, queries, keys, values, meta["chunk"]))
    row = dict(meta)
    row.update({"torch_loop_seconds": loop_seconds, "torch_chunked_seconds": chunk_seconds,
                "torch_loop_accuracy": accuracy(loop_out, queries, values, meta["vocab"]),
                "torch_chunked_accuracy": accuracy(chunk_out, queries, values, meta["vocab"])})
    results["rows"].append(row)
    print(f"d={meta['d']}: torch loop {loop_seconds:.4f} s, chunked {chunk_seconds:.4f} s, "
          f"accuracy loop {row['torch_loop_accuracy']:.5f} chunked {row['torch_chunked_accuracy']:.5f} | "
          f"C++ online {meta['cpp_online_seconds']:.4f} s ({loop_seconds / meta['cpp_online_seconds']:.1f}x the loop, "
          f"{chunk_seconds / meta['cpp_online_seconds']:.2f}x torch chunked), C++ chunked {meta['cpp_chunked_seconds']:.4f} s, "
          f"accuracy C++ {meta['cpp_online_accuracy']:.5f}", flush=True)
json.dump(results, open(os.path.join(root, "results.json"), "w"), indent=2)
print(f"sgemm 1024^3: torch {results['torch_sgemm_gflops_1thread']:.2f} GFLOP/s (1 thread), "
      f"{results['torch_sgemm_gflops_2threads']:.2f} (2 threads)")
