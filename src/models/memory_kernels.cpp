#include "memory_kernels.hpp"
#include "vector_rounding.hpp"

#include "recallbound/error.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <vector>

// This file is compiled with -ffp-contract=off (src/models/CMakeLists.txt): a multiply and an add
// must stay two roundings, as in PyTorch's reference loop and in both builds of each kernel. The
// fused form of the additive rules is in fused_additive.cpp.

namespace recallbound::models::detail {
namespace {

using namespace vec;

// Columns per cache block: about 16 KB of the memory, so a block and its step's inputs stay in L1.
std::size_t column_block(std::size_t features) { return std::max<std::size_t>(1, 4096 / features); }

// sums[k] = x . column_k for K columns, with one fixed order per column, so that the result of a
// column does not depend on K or on which columns share the pass: one vector accumulator, to which
// each block of 16 rows adds the sum of its two 8-row products (a last 8-row slice adds its
// product), then the lane sum, then the rows that fill no vector in index order. The fused additive
// kernel (fused_additive.cpp) reproduces this order tile by tile, one 16-row block per vector pair.
// V: the vectors of a block (Vec: two 8-row halves; Vec16: one vector, summed by block_sum, the
// same bits).
template <class V, std::size_t K, bool Scale>
[[gnu::always_inline]] inline void dot_columns(float* const* column, const float* x, std::size_t n, float gate,
                                               float* sums) {
  std::array<Vec, K> accumulators{};
  const auto product = [&]<class W>(std::size_t at, std::size_t k) __attribute__((always_inline)) {
    W s = load_as<W>(column[k] + at);
    if constexpr (Scale) {  // S <- gate S before the prediction is read (gated delta rule)
      s = gate * s;
      store(column[k] + at, s);
    }
    return load_as<W>(x + at) * s;
  };
  std::size_t i = 0;
  for (; i + 2 * lanes <= n; i += 2 * lanes)
    for (std::size_t k = 0; k < K; ++k) {
      if constexpr (rows_of<V> == 2 * lanes)
        accumulators[k] += block_sum(product.template operator()<Vec16>(i, k));
      else
        accumulators[k] += product.template operator()<Vec>(i, k) + product.template operator()<Vec>(i + lanes, k);
    }
  if (i + lanes <= n) {
    for (std::size_t k = 0; k < K; ++k) accumulators[k] += product.template operator()<Vec>(i, k);
    i += lanes;
  }
  for (std::size_t k = 0; k < K; ++k) sums[k] = lane_sum(accumulators[k]);
  for (; i < n; ++i)
    for (std::size_t k = 0; k < K; ++k) {
      float s = column[k][i];
      if constexpr (Scale) column[k][i] = s = gate * s;
      sums[k] += x[i] * s;
    }
}

// column_k <- gate column_k + coefficient_k (scale x), rounded, for K columns (Gate false: gate
// is 1, the same bits since 1 * s = s), V's vectors at a time, then 8 floats. Element-wise, so the
// width does not change the bits. Flagged lanes are rounded by the caller (Rounder::fix).
template <class V, std::size_t K, bool Gate, class Round>
[[gnu::always_inline]] inline void add_scaled(float* const* column, const float* x, std::size_t n, float scale,
                                              const float* coefficient, float gate, const Round& round,
                                              SignedBits<V>& flagged) {
  std::array<float, K> c;
  for (std::size_t k = 0; k < K; ++k) c[k] = coefficient[k];
  const auto update = [&]<class W>(std::size_t at, SignedBits<W>& flags) __attribute__((always_inline)) {
    const W xv = scale == 1.0f ? load_as<W>(x + at) : scale * load_as<W>(x + at);
    for (std::size_t k = 0; k < K; ++k) {
      const W s = load_as<W>(column[k] + at);
      if constexpr (Gate) store(column[k] + at, round(gate * s + c[k] * xv, flags));
      else store(column[k] + at, round(s + c[k] * xv, flags));
    }
  };
  std::size_t i = 0;
  for (; i + rows_of<V> <= n; i += rows_of<V>) update.template operator()<V>(i, flagged);
  if constexpr (rows_of<V> == 2 * lanes) {
    if (i + lanes <= n) {
      VecI eight{};
      update.template operator()<Vec>(i, eight);
      flagged |= widen_flags(eight);
      i += lanes;
    }
  }
  for (; i < n; ++i) {
    const float xs = scale == 1.0f ? x[i] : scale * x[i];
    for (std::size_t k = 0; k < K; ++k) {
      if constexpr (Gate) column[k][i] = round(gate * column[k][i] + coefficient[k] * xs);
      else column[k][i] = round(column[k][i] + coefficient[k] * xs);
    }
  }
}

// One step on K consecutive columns starting at `first`, rounded.
template <class V, std::size_t K, class Round>
[[gnu::always_inline]] inline void step_group(const MemoryLayout& m, std::size_t first, const MemoryRuleParams& params,
                                              const float* phi, const float* values, float gate, const Round& round) {
  std::array<float*, K> column;
  for (std::size_t k = 0; k < K; ++k) column[k] = m.memory + (first + k) * m.features;
  SignedBits<V> flagged{};
  if (params.rule == MemoryRule::additive) {
    if (gate == 1.0f) add_scaled<V, K, false>(column.data(), phi, m.features, 1.0f, values + first, 1.0f, round, flagged);
    else add_scaled<V, K, true>(column.data(), phi, m.features, 1.0f, values + first, gate, round, flagged);
  } else {
    std::array<float, K> error;  // v_j - phi . S[:, j]
    if (gate == 1.0f) dot_columns<V, K, false>(column.data(), phi, m.features, 1.0f, error.data());
    else dot_columns<V, K, true>(column.data(), phi, m.features, gate, error.data());
    for (std::size_t k = 0; k < K; ++k) error[k] = values[first + k] - error[k];
    // S += (beta phi) e^T
    add_scaled<V, K, false>(column.data(), phi, m.features, params.beta, error.data(), 1.0f, round, flagged);
  }
  round.fix(column[0], K * m.features, flagged);
}

// One step on columns [first, last).
template <class V, class Round>
[[gnu::always_inline]] inline void step_columns(const MemoryLayout& m, std::size_t first, std::size_t last,
                                                const MemoryRuleParams& params, const float* phi, const float* values,
                                                float gate, const Round& round) {
  std::size_t j = first;
  for (; j + 4 <= last; j += 4) step_group<V, 4>(m, j, params, phi, values, gate, round);
  for (; j < last; ++j) step_group<V, 1>(m, j, params, phi, values, gate, round);
}

template <class V>
[[gnu::always_inline]] inline void read_columns(const MemoryLayout& m, std::size_t first, std::size_t last,
                                                const float* query, float* out) {
  std::array<float*, 4> column;
  std::size_t j = first;
  for (; j + 4 <= last; j += 4) {
    for (std::size_t k = 0; k < 4; ++k) column[k] = m.memory + (j + k) * m.features;
    dot_columns<V, 4, false>(column.data(), query, m.features, 1.0f, out + j);
  }
  for (; j < last; ++j) {
    column[0] = m.memory + j * m.features;
    dot_columns<V, 1, false>(column.data(), query, m.features, 1.0f, out + j);
  }
}

// The fused delta rule: all steps on one block of columns at a time (about 16 KB, in L1), since a
// column's write needs its whole prediction k . S[:, j] first.
template <class V, class Round>
[[gnu::always_inline]] inline void run_delta_blocks(const MemoryLayout& m, const MemoryRuleParams& params,
                                                    const FusedSequence& sequence, const Round& round) {
  const std::size_t block = column_block(m.features);
  const std::span<const std::size_t> positions = sequence.readout_positions;
  for (std::size_t first = 0; first < m.columns; first += block) {
    const std::size_t last = std::min(m.columns, first + block);
    std::size_t next = 0;  // next read-out
    for (std::size_t t = 0; t < sequence.length; ++t) {
      step_columns<V>(m, first, last, params, sequence.features[t], sequence.values[t],
                      sequence.gates[t], round);
      for (; next < positions.size() && positions[next] == t; ++next)
        read_columns<V>(m, first, last, sequence.features[t + 1], sequence.readouts + next * m.columns);
    }
  }
}

}  // namespace

namespace {

// e^x, eight at a time, within 2 units in the last place (Cephes' expf: x = n ln 2 + r with ln 2 split
// in two so that n ln 2 is subtracted exactly, a degree-7 polynomial for e^r on |r| <= ln 2 / 2, then
// the scaling by 2^n in two halves so that results in the subnormal range come out right). e^0 = 1
// exactly. Vector operations only, so both builds give the same bits.
[[gnu::always_inline]] inline Vec exp_vec(Vec x) {
  x = x < -104.0f ? Vec{} - 104.0f : x;  // e^-104 is below half the smallest subnormal: the result is 0
  x = x > 88.72f ? Vec{} + 88.72f : x;   // e^88.72 is just below the largest float
  Vec n = x * 1.44269504088896341f + 0.5f;  // round(x / ln 2): floor(x / ln 2 + 1/2)
  const VecI truncated = __builtin_convertvector(n, VecI);
  Vec whole = __builtin_convertvector(truncated, Vec);
  whole = whole > n ? whole - 1.0f : whole;  // floor, for negative n
  const Vec r = (x - whole * 0.693359375f) - whole * -2.12194440e-4f;
  const Vec r2 = r * r;
  Vec p = 1.9875691500e-4f * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  const Vec y = (p * r2 + r) + 1.0f;
  const VecI k = __builtin_convertvector(whole, VecI);  // in [-150, 128]
  const VecI half = k >> 1;                            // 2^k = 2^half 2^(k - half), each a normal float
  const Vec first = std::bit_cast<Vec>((half + 127) << 23);
  const Vec second = std::bit_cast<Vec>((k - half + 127) << 23);
  return y * first * second;
}

}  // namespace

RECALLBOUND_KERNEL void elu_plus_one(const float* x, float* out, std::size_t n) {
  std::size_t i = 0;
  for (; i + lanes <= n; i += lanes) {
    const Vec v = load(x + i);
    store(out + i, v > 0.0f ? v + 1.0f : exp_vec(v));
  }
  if (i < n) {  // the last entries through the same vector code, so no entry's bits depend on where it sits
    alignas(32) float tail[lanes] = {};
    std::memcpy(tail, x + i, (n - i) * sizeof(float));
    const Vec v = load(tail);
    store(tail, v > 0.0f ? v + 1.0f : exp_vec(v));
    std::memcpy(out + i, tail, (n - i) * sizeof(float));
  }
}

RECALLBOUND_KERNEL void step_memory(const MemoryLayout& memory, const MemoryRuleParams& params, const float* phi,
                                    const float* values, float gate, const StorageFormat& format) {
  RECALLBOUND_WITH_ROUNDER(format, step_columns<Vec>(memory, 0, memory.columns, params, phi, values, gate, round))
}

RECALLBOUND_KERNEL void read_memory(const MemoryLayout& memory, const float* query, float* out) {
  read_columns<Vec>(memory, 0, memory.columns, query, out);
}

namespace {

RECALLBOUND_KERNEL void run_delta_narrow(const MemoryLayout& memory, const MemoryRuleParams& params,
                                         const FusedSequence& sequence, const StorageFormat& format) {
  RECALLBOUND_WITH_ROUNDER(format, run_delta_blocks<Vec>(memory, params, sequence, round))
}

#if RECALLBOUND_WIDE_KERNELS
RECALLBOUND_WIDE_KERNEL void run_delta_wide(const MemoryLayout& memory, const MemoryRuleParams& params,
                                            const FusedSequence& sequence, const StorageFormat& format) {
  RECALLBOUND_WITH_ROUNDER_OF(true, format, run_delta_blocks<Vec16>(memory, params, sequence, round))
}
#endif

}  // namespace

bool wide_recurrence_runs_here() {
#if RECALLBOUND_WIDE_KERNELS
  return __builtin_cpu_supports("x86-64-v4");
#else
  return false;
#endif
}

void run_memory_fused_on(RecurrenceWidth width, const MemoryLayout& memory, const MemoryRuleParams& params,
                         const FusedSequence& sequence, const StorageFormat& format) {
  if (width == RecurrenceWidth::wide && !wide_recurrence_runs_here())
    throw Error::internal("run_memory_fused_on: the wide (x86-64-v4) recurrence does not run on this machine");
  if (params.rule == MemoryRule::additive) return run_additive_fused(width, memory, params, sequence, format);
#if RECALLBOUND_WIDE_KERNELS
  if (width == RecurrenceWidth::wide) return run_delta_wide(memory, params, sequence, format);
#endif
  run_delta_narrow(memory, params, sequence, format);
}

void run_memory_fused(const MemoryLayout& memory, const MemoryRuleParams& params, const FusedSequence& sequence,
                      const StorageFormat& format) {
  run_memory_fused_on(wide_recurrence_runs_here() ? RecurrenceWidth::wide : RecurrenceWidth::narrow, memory, params,
                      sequence, format);
}

}  // namespace recallbound::models::detail
