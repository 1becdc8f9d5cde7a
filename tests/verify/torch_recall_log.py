"""Writes a per-query recall log (CSV: sequence,position,true,predicted) from a small PyTorch model.

  torch_recall_log.py MODEL SEQS PAIRS VOCAB DIM SEED OUT
MODEL 'linear': a linear-attention associative memory, state S = sum_i v_i k_i^T (DIM x DIM
float32 numbers), values read back by nearest value embedding. MODEL 'cache': the same
interface but it keeps every (key, value) in a Python dict, a cache growing with the pairs.
"""
import sys

import torch

model, seqs, pairs, vocab, dim, seed, out = sys.argv[1], *map(int, sys.argv[2:7]), sys.argv[7]
gen = torch.Generator().manual_seed(seed)
value_embedding = torch.nn.functional.normalize(torch.randn(vocab, dim, generator=gen), dim=1)
with open(out, "w") as f:
    f.write("sequence,position,true,predicted\n")
    for s in range(seqs):
        keys = torch.nn.functional.normalize(torch.randn(pairs, dim, generator=gen), dim=1)
        values = torch.randint(0, vocab, (pairs,), generator=gen)
        if model == "linear":
            state = torch.zeros(dim, dim)
            for i in range(pairs):  # online update, one pair at a time
                state += torch.outer(value_embedding[values[i]], keys[i])
            predicted = ((keys @ state.T) @ value_embedding.T).argmax(dim=1)
        else:
            cache = {i: int(values[i]) for i in range(pairs)}
            predicted = torch.tensor([cache[i] for i in range(pairs)])
        for i in range(pairs):
            f.write(f"{s},{i},{int(values[i])},{int(predicted[i])}\n")
