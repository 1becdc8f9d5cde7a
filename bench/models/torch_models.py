"""PyTorch implementation of the seven constructed reference models (src/models/), on the weights
and sequences the C++ side dumped (bench/models/case_io.hpp). Each model has two forms:

- `loop`: the per-token recurrence, batched over the sequences, with the state rounded to its
  storage format after every update exactly as the C++ models do (torch's bfloat16/float16 casts
  round to nearest, ties to even, like recallbound's; state values here stay far from overflow,
  where torch would give infinity and recallbound saturates);
- `fastest`: the fastest PyTorch form for that model, in fp32: chunked batched matmul for linear
  attention, mamba2, DeltaNet / Gated DeltaNet (UT transform) and Based's linear part; batched masked
  matmul of the query rows against every key for softmax and sliding-window attention and Based's
  window.

Both return the read-outs at the query positions, [B, N, d]. The element-wise state updates use the
same operations in the same order as the C++ code (no fused multiply-add on either side), so the
states agree bit for bit until a dot product (read-out, delta-rule prediction, Taylor projection),
whose summation order differs, leaves round-off."""
import json
import math
import os

import numpy as np
import torch

INVERSE_SQRT2 = 0.70710678118654752


def load_inputs(directory, meta):
    """tokens [B, L] int64, queries [B, N, 2] int64, keys / values [V, d], projection [f, d]."""
    b, l, n, d, v, f = meta["batch"], meta["seq_len"], meta["pairs"], meta["d"], meta["vocab"], meta["feature_dim"]

    def read(name, dtype, shape):
        return torch.from_numpy(np.fromfile(os.path.join(directory, name), dtype=dtype).reshape(shape).copy())

    return {"tokens": read("tokens.i32", np.int32, (b, l)).long(), "queries": read("queries.i64", np.int64, (b, n, 2)),
            "keys": read("keys.f32", np.float32, (v, d)), "values": read("values.f32", np.float32, (v, d)),
            "projection": read("projection.f32", np.float32, (f, d))}


def load_case(root, name):
    meta = json.load(open(os.path.join(root, name, "meta.json")))
    return meta, load_inputs(os.path.join(root, meta["inputs"]), meta)


def rounder(precision):
    """Rounds a float32 tensor in place to the storage format (identity for fp32)."""
    if precision == "fp32":
        return lambda x: x
    dtype = {"bf16": torch.bfloat16, "fp16": torch.float16}[precision]
    return lambda x: x.copy_(x.to(dtype).to(torch.float32))


def feature_map(kind, projection, x):
    """phi(x) over the last axis: identity, elu + 1, or Taylor [1, p, vec(p p^T) / sqrt 2] of p = P x."""
    if kind == "identity":
        return x
    if kind == "elu":
        return torch.where(x > 0, x + 1, torch.exp(x))
    p = x @ projection.T                                                       # [..., f]
    outer = (p[..., :, None] * INVERSE_SQRT2) * p[..., None, :]                # [..., f, f]
    return torch.cat([torch.ones(p.shape[:-1] + (1,)), p, outer.flatten(-2)], dim=-1)


def model_feature_map(meta):
    if meta["arch"] == "linear-attention":
        return meta["feature_map"]
    return "taylor" if meta["arch"] == "based" else "identity"


def embedded(meta, inputs, rnd):
    """k_t, k_{t-1} (token shift), v_t [B, L, d], each rounded to the storage format as the C++ side stores them,
    and the gate a_t [B, L] (exp(-decay) on value tokens for mamba2 / gated-deltanet, else 1)."""
    tokens = inputs["tokens"]
    k = rnd(inputs["keys"][tokens].clone())
    v = rnd(inputs["values"][tokens].clone())
    shifted = torch.zeros_like(k)
    shifted[:, 1:] = k[:, :-1]
    gate_value = np.float32(math.exp(-meta["decay"])) if meta["arch"] in ("mamba2", "gated-deltanet") else np.float32(1)
    gate = torch.where(tokens >= meta["vocab"] // 2, torch.tensor(float(gate_value)), torch.tensor(1.0))
    return k, shifted, v, gate


def readers_by_step(queries, length):
    """For each position, the (sequence rows, query slots) read out after it."""
    by_step = [([], []) for _ in range(length)]
    for b, row in enumerate(queries[:, :, 0].tolist()):
        for slot, position in enumerate(row):
            by_step[position][0].append(b)
            by_step[position][1].append(slot)
    return [(torch.tensor(r), torch.tensor(s)) if r else None for r, s in by_step]


def beta_of(meta):
    return np.float32(meta["beta"]).item()


def attend(keys, values, query, beta):
    """softmax(beta q . k_i) v_i over rows [R, T, d] for queries [R, d], with the maximum subtracted."""
    scores = torch.bmm(keys, query[:, :, None]).squeeze(-1) * beta              # [R, T]
    weights = (scores - scores.max(dim=-1, keepdim=True).values).exp()
    return torch.bmm(weights[:, None, :], values).squeeze(1) / weights.sum(dim=-1, keepdim=True)


# ---- per-token loops ----------------------------------------------------------------------------

def loop(meta, inputs):
    rnd = rounder(meta["precision"])
    arch = meta["arch"]
    k, shifted, v, gate = embedded(meta, inputs, rnd)
    b, l, d = k.shape
    readers = readers_by_step(inputs["queries"], l)
    out = torch.zeros(b, meta["pairs"], d)
    if arch in ("softmax-attention", "sliding-window"):
        window = meta["window"] if arch == "sliding-window" else l
        cache_k, cache_v = torch.zeros(b, l, d), torch.zeros(b, l, d)           # [B, L, d] the KV cache
        for t in range(l):
            cache_k[:, t], cache_v[:, t] = shifted[:, t], v[:, t]             # append (k_{t-1}, v_t)
            if readers[t] is not None:
                rows, slots = readers[t]
                lo = max(0, t - window + 1)
                out[rows, slots] = attend(cache_k[rows, lo:t + 1], cache_v[rows, lo:t + 1], k[rows, t], beta_of(meta))
        return out
    kind = model_feature_map(meta)
    phi_k = feature_map(kind, inputs["projection"], shifted)                   # [B, L, F] phi(k_{t-1})
    phi_q = feature_map(kind, inputs["projection"], k)                         # [B, L, F] phi(k_t)
    state = torch.zeros(b, phi_k.shape[-1], d)                                 # [B, F, d] S
    if arch == "based":
        normalizer = torch.zeros(b, phi_k.shape[-1])                           # [B, F] z
        cache_k, cache_v = torch.zeros(b, l, d), torch.zeros(b, l, d)
        window = meta["window"]
    beta = np.float32(meta["write_strength"]).item()
    for t in range(l):
        if arch in ("linear-attention", "mamba2", "based"):
            if arch == "mamba2":
                state.mul_(gate[:, t, None, None])                             # S <- a_t S
            state.addcmul_(phi_k[:, t, :, None], v[:, t, None, :])             # S += phi(k_{t-1}) v_t^T (no temporary)
        else:                                                                  # (gated) delta rule
            if arch == "gated-deltanet":
                state.mul_(gate[:, t, None, None])
            prediction = torch.bmm(phi_k[:, t, None, :], state).squeeze(1)    # S^T k [B, d]
            state.addcmul_((beta * phi_k[:, t])[:, :, None], (v[:, t] - prediction)[:, None, :])  # S += beta k (v - S^T k)^T
        rnd(state)
        if arch == "based":
            rnd(normalizer.add_(phi_k[:, t]))                                  # z += phi(k_{t-1})
            cache_k[:, t], cache_v[:, t] = shifted[:, t], v[:, t]
        if readers[t] is not None:
            rows, slots = readers[t]
            read = torch.bmm(phi_q[rows, t, None, :], state[rows]).squeeze(1)  # S^T phi(q_t)
            if arch == "based":
                denominator = (normalizer[rows] * phi_q[rows, t]).sum(dim=-1, keepdim=True)
                read = torch.where(denominator > 0, read / denominator, read)
                lo = max(0, t - window + 1)
                read = read + attend(cache_k[rows, lo:t + 1], cache_v[rows, lo:t + 1], k[rows, t], beta_of(meta))
            out[rows, slots] = read
    return out


# ---- fastest forms (fp32) -----------------------------------------------------------------------

def chunked_linear(phi_q, phi_k, v, log_decay, chunk):
    """Chunked linear attention with scalar decay, all positions: [B, L, d_v]."""
    b, l, f = phi_k.shape
    state = torch.zeros(b, f, v.shape[-1])
    outputs = torch.empty(b, l, v.shape[-1])
    causal = torch.ones(chunk, chunk).tril().bool()
    for start in range(0, l, chunk):
        q, k, vc = phi_q[:, start:start + chunk], phi_k[:, start:start + chunk], v[:, start:start + chunk]
        c = q.shape[1]
        g = log_decay[:, start:start + c].cumsum(dim=1)                        # [B, C]
        mixing = torch.bmm(q, k.transpose(1, 2))                               # [B, C, C]
        mixing = torch.where(causal[:c, :c], mixing * (g[:, :, None] - g[:, None, :]).exp(), torch.zeros(()))
        outputs[:, start:start + c] = torch.bmm(q, state) * g.exp()[:, :, None] + torch.bmm(mixing, vc)
        total = g[:, -1:]
        state = state * total.exp()[:, :, None] + torch.bmm(k.transpose(1, 2), vc * (total - g).exp()[:, :, None])
    return outputs


def chunked_delta(q_all, k_all, v_all, log_decay, beta, chunk):
    """Chunked (gated) delta rule by the UT transform (Yang et al. 2024), all positions: [B, L, d]."""
    b, l, d = k_all.shape
    state = torch.zeros(b, d, d)
    outputs = torch.empty(b, l, d)
    causal = torch.ones(chunk, chunk).tril().bool()
    for start in range(0, l, chunk):
        q, k, v = q_all[:, start:start + chunk], k_all[:, start:start + chunk], v_all[:, start:start + chunk]
        c = q.shape[1]
        g = log_decay[:, start:start + c].cumsum(dim=1)
        decay = torch.where(causal[:c, :c], (g[:, :, None] - g[:, None, :]).exp(), torch.zeros(()))  # [B, C, C]
        system = torch.bmm(k, k.transpose(1, 2)) * decay * beta
        system = system.tril(-1) + torch.eye(c)                                # I + strictly lower
        rhs = beta * (v - torch.bmm(k, state) * g.exp()[:, :, None])
        updates = torch.linalg.solve_triangular(system, rhs, upper=False, unitriangular=True)  # U [B, C, d]
        mixing = torch.bmm(q, k.transpose(1, 2)) * decay
        outputs[:, start:start + c] = torch.bmm(q, state) * g.exp()[:, :, None] + torch.bmm(mixing, updates)
        total = g[:, -1:]
        state = state * total.exp()[:, :, None] + torch.bmm(k.transpose(1, 2), updates * (total - g).exp()[:, :, None])
    return outputs


def masked_attention(query_rows, positions, keys, values, beta, window):
    """softmax attention of the query rows [B, N, d] at `positions` [B, N] over keys / values [B, L, d],
    keys s in (position - window, position]."""
    scores = torch.bmm(query_rows, keys.transpose(1, 2)) * beta                # [B, N, L]
    s = torch.arange(keys.shape[1])
    visible = (s[None, None, :] <= positions[:, :, None]) & (s[None, None, :] > positions[:, :, None] - window)
    return torch.softmax(scores.masked_fill(~visible, float("-inf")), dim=-1) @ values


def fastest(meta, inputs):
    arch = meta["arch"]
    k, shifted, v, gate = embedded(meta, inputs, rounder("fp32"))
    b, l, d = k.shape
    positions = inputs["queries"][:, :, 0]                                     # [B, N]
    rows = lambda x: torch.gather(x, 1, positions[:, :, None].expand(-1, -1, x.shape[-1]))
    if arch in ("softmax-attention", "sliding-window"):
        window = meta["window"] if arch == "sliding-window" else l
        return masked_attention(rows(k), positions, shifted, v, beta_of(meta), window)
    kind = model_feature_map(meta)
    phi_k = feature_map(kind, inputs["projection"], shifted)
    phi_q = feature_map(kind, inputs["projection"], k)
    log_decay = gate.log()
    if arch in ("deltanet", "gated-deltanet"):
        return rows(chunked_delta(phi_q, phi_k, v, log_decay, np.float32(meta["write_strength"]).item(), meta["chunk"]))
    if arch != "based":
        return rows(chunked_linear(phi_q, phi_k, v, log_decay, meta["chunk"]))
    # Based: the normaliser is one more value column of ones; the window is the masked query rows.
    linear = rows(chunked_linear(phi_q, phi_k, torch.cat([v, torch.ones(b, l, 1)], dim=-1), log_decay, meta["chunk"]))
    numerator, denominator = linear[..., :d], linear[..., d:]
    local = masked_attention(rows(k), positions, shifted, v, beta_of(meta), meta["window"])
    return torch.where(denominator > 0, numerator / denominator, numerator) + local


def decode(readouts, inputs, vocab):
    """Value token decoded per query [B, N]: argmax over the value codes."""
    codes = inputs["values"][vocab // 2:]
    return (readouts @ codes.T).argmax(dim=-1).int() + vocab // 2


def load_decoded(root, name, form, meta):
    path = os.path.join(root, name, f"{form}.i32")
    if not os.path.isfile(path):
        return None
    return torch.from_numpy(np.fromfile(path, dtype=np.int32).reshape(meta["batch"], meta["pairs"]))


def load_readouts(root, name, form, meta):
    path = os.path.join(root, name, f"{form}.f32")
    if not os.path.isfile(path):
        return None
    return torch.from_numpy(np.fromfile(path, dtype=np.float32).reshape(meta["batch"], meta["pairs"], meta["d"]))
