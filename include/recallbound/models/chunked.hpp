#pragma once
// The parallel (chunked) form of the linear models: linear attention (any feature map), the
// Mamba-2-style SSM, DeltaNet and Gated DeltaNet (by the UT transform, see chunked.cpp), and Based
// (its Taylor linear part as below with the normaliser as one more value column, plus an exact
// banded softmax for its sliding window). Within a chunk of C positions the outputs are matrix products,
//   O_c = diag(e^{g}) Q_c S + ((Q_c K_c^T) .* M_c) V_c,   M_c[t, s] = e^{g_t - g_s} for s <= t, else 0,
//   S  <- e^{g_C} S + K_c^T diag(e^{g_C - g_s}) V_c,
// with g the cumulative log-decay inside the chunk. It computes in fp32 without rounding the
// state to a storage format; it agrees with the recurrent form at fp32 up to round-off. Its products
// use fused multiply-adds where the machine has them (matmul.hpp's Summation::fused), so its bits,
// unlike the recurrent form's, may differ between machines.
#include "recallbound/models/model.hpp"

#include <memory>
#include <span>

namespace recallbound::models {

/// True for the architectures with a chunked form here: every recurrent one and based (not the
/// KV-cache attention models, whose parallel form is a masked score matrix).
bool has_chunked_form(const ModelConfig& config);

/// The chunked forms' buffers (a chunk's inputs, the state, the sequence's features), kept from one
/// call of chunked_outputs to the next: a caller that runs many sequences on one thread passes the
/// same workspace each time, so that a call allocates nothing but its outputs and finds the buffers
/// still in the core's caches. Any configuration may follow any other; one thread at a time.
class ChunkedWorkspace {
 public:
  ChunkedWorkspace();
  ~ChunkedWorkspace();
  ChunkedWorkspace(ChunkedWorkspace&&) noexcept;
  ChunkedWorkspace& operator=(ChunkedWorkspace&&) noexcept;
  ChunkedWorkspace(const ChunkedWorkspace&) = delete;
  ChunkedWorkspace& operator=(const ChunkedWorkspace&) = delete;
  struct Buffers;  // chunked.cpp
  [[nodiscard]] Buffers& buffers() { return *buffers_; }

 private:
  std::unique_ptr<Buffers> buffers_;
};

/// Outputs [L, d] after every position of `tokens` (row t = the read-out after step t), for one
/// sequence, `chunk` positions at a time (chunk >= 1).
Eigen::MatrixXf chunked_outputs(const ModelConfig& config, const Weights& weights, std::span<const Token> tokens,
                                std::size_t chunk);
/// The same, with the buffers of `workspace` (the same outputs, bit for bit).
Eigen::MatrixXf chunked_outputs(const ModelConfig& config, const Weights& weights, std::span<const Token> tokens,
                                std::size_t chunk, ChunkedWorkspace& workspace);

}  // namespace recallbound::models
