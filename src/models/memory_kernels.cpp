#include "memory_kernels.hpp"
#include "vector_rounding.hpp"

#include <Eigen/Core>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

// This file is compiled with -ffp-contract=off (src/models/CMakeLists.txt): a multiply and an add
// must stay two roundings, as in PyTorch's reference loop and in both builds of each kernel.

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define RECALLBOUND_KERNEL __attribute__((target_clones("avx2", "default")))
#else
#define RECALLBOUND_KERNEL
#endif

namespace recallbound::models::detail {
namespace {

using namespace vec;

// Columns per cache block: about 16 KB of the memory, so a block and its step's inputs stay in L1.
std::size_t column_block(std::size_t features) { return std::max<std::size_t>(1, 4096 / features); }

// sums[k] = x . column_k for K columns, with one fixed order per column (two vector accumulators
// over alternating 8-float slices, their lane sums, then the tail in index order), so the result of
// a column does not depend on K or on which columns share the pass. The fused additive kernel
// (run_additive_tiles) reproduces this order tile by tile.
template <std::size_t K, bool Scale>
[[gnu::always_inline]] inline void dot_columns(float* const* column, const float* x, std::size_t n, float gate,
                                               float* sums) {
  std::array<Vec, K> even{}, odd{};
  std::size_t i = 0;
  const auto slice = [&](std::size_t at, std::array<Vec, K>& accumulators) __attribute__((always_inline)) {
    const Vec xv = load(x + at);
    for (std::size_t k = 0; k < K; ++k) {
      Vec s = load(column[k] + at);
      if constexpr (Scale) {  // S <- gate S before the prediction is read (gated delta rule)
        s = gate * s;
        store(column[k] + at, s);
      }
      accumulators[k] += xv * s;
    }
  };
  for (; i + 2 * lanes <= n; i += 2 * lanes) {
    slice(i, even);
    slice(i + lanes, odd);
  }
  if (i + lanes <= n) {
    slice(i, even);
    i += lanes;
  }
  for (std::size_t k = 0; k < K; ++k) sums[k] = lane_sum(even[k] + odd[k]);
  for (; i < n; ++i)
    for (std::size_t k = 0; k < K; ++k) {
      float s = column[k][i];
      if constexpr (Scale) column[k][i] = s = gate * s;
      sums[k] += x[i] * s;
    }
}

// column_k <- gate column_k + coefficient_k (scale x), rounded, for K columns (Gate false: gate
// is 1, the same bits since 1 * s = s). Flagged lanes are rounded by the caller (Rounder::fix).
template <std::size_t K, bool Gate, class Round>
[[gnu::always_inline]] inline void add_scaled(float* const* column, const float* x, std::size_t n, float scale,
                                              const float* coefficient, float gate, const Round& round,
                                              VecI& flagged) {
  std::array<float, K> c;
  for (std::size_t k = 0; k < K; ++k) c[k] = coefficient[k];
  std::size_t i = 0;
  for (; i + lanes <= n; i += lanes) {
    const Vec xv = scale == 1.0f ? load(x + i) : scale * load(x + i);
    for (std::size_t k = 0; k < K; ++k) {
      const Vec s = load(column[k] + i);
      if constexpr (Gate) store(column[k] + i, round(gate * s + c[k] * xv, flagged));
      else store(column[k] + i, round(s + c[k] * xv, flagged));
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
template <std::size_t K, class Round>
[[gnu::always_inline]] inline void step_group(const MemoryLayout& m, std::size_t first, const MemoryRuleParams& params,
                                              const float* phi, const float* values, float gate, const Round& round) {
  std::array<float*, K> column;
  for (std::size_t k = 0; k < K; ++k) column[k] = m.memory + (first + k) * m.features;
  VecI flagged{};
  if (params.rule == MemoryRule::additive) {
    if (gate == 1.0f) add_scaled<K, false>(column.data(), phi, m.features, 1.0f, values + first, 1.0f, round, flagged);
    else add_scaled<K, true>(column.data(), phi, m.features, 1.0f, values + first, gate, round, flagged);
  } else {
    std::array<float, K> error;  // v_j - phi . S[:, j]
    if (gate == 1.0f) dot_columns<K, false>(column.data(), phi, m.features, 1.0f, error.data());
    else dot_columns<K, true>(column.data(), phi, m.features, gate, error.data());
    for (std::size_t k = 0; k < K; ++k) error[k] = values[first + k] - error[k];
    // S += (beta phi) e^T
    add_scaled<K, false>(column.data(), phi, m.features, params.beta, error.data(), 1.0f, round, flagged);
  }
  round.fix(column[0], K * m.features, flagged);
}

// One step on columns [first, last).
template <class Round>
[[gnu::always_inline]] inline void step_columns(const MemoryLayout& m, std::size_t first, std::size_t last,
                                                const MemoryRuleParams& params, const float* phi, const float* values,
                                                float gate, const Round& round) {
  std::size_t j = first;
  for (; j + 4 <= last; j += 4) step_group<4>(m, j, params, phi, values, gate, round);
  for (; j < last; ++j) step_group<1>(m, j, params, phi, values, gate, round);
}

[[gnu::always_inline]] inline void read_columns(const MemoryLayout& m, std::size_t first, std::size_t last,
                                                const float* query, float* out) {
  std::array<float*, 4> column;
  std::size_t j = first;
  for (; j + 4 <= last; j += 4) {
    for (std::size_t k = 0; k < 4; ++k) column[k] = m.memory + (j + k) * m.features;
    dot_columns<4, false>(column.data(), query, m.features, 1.0f, out + j);
  }
  for (; j < last; ++j) {
    column[0] = m.memory + j * m.features;
    dot_columns<1, false>(column.data(), query, m.features, 1.0f, out + j);
  }
}

// The fused delta rule: all steps on one block of columns at a time (about 16 KB, in L1), since a
// column's write needs its whole prediction k . S[:, j] first.
template <class Round>
[[gnu::always_inline]] inline void run_delta_blocks(const MemoryLayout& m, const MemoryRuleParams& params,
                                                    const FusedSequence& sequence, const Round& round) {
  const std::size_t block = column_block(m.features);
  const std::span<const std::size_t> positions = sequence.readout_positions;
  for (std::size_t first = 0; first < m.columns; first += block) {
    const std::size_t last = std::min(m.columns, first + block);
    std::size_t next = 0;  // next read-out
    for (std::size_t t = 0; t < sequence.length; ++t) {
      step_columns(m, first, last, params, sequence.features[t], sequence.values[t],
                   sequence.gates[t], round);
      for (; next < positions.size() && positions[next] == t; ++next)
        read_columns(m, first, last, sequence.features[t + 1], sequence.readouts + next * m.columns);
    }
  }
}

// The fused additive rule: S[i, j] <- a_t S[i, j] + v_tj phi_t[i] touches one element, so a tile of
// up to 16 rows x K columns stays in registers for all L steps and is stored once. The read-outs are summed
// in dot_columns' order: per read-out and column, two vector accumulators (the 8-row slices at even
// and at odd multiples of 8 rows) advance tile by tile in row order, and the rows that fill no
// vector are added after the lane sums, in row order.
//
// One tile: rows [row, row + 8 Slices) of the K columns from `first`, for all L steps.
// `accumulators` holds this group's [R, K, 2] vectors, carried over from the group's earlier rows;
// slice l of the tile feeds the accumulator of its parity, (row / 8 + l) mod 2.
template <std::size_t K, std::size_t Slices, bool Decays, class Round>
[[gnu::always_inline]] inline void additive_tile(const MemoryLayout& m, std::size_t first, std::size_t row,
                                                 const FusedSequence& sequence, const Round& round,
                                                 const float* features, const float* values, float* accumulators) {
  const std::span<const std::size_t> positions = sequence.readout_positions;
  const std::size_t readouts = positions.size(), length = sequence.length, n = m.features;
  constexpr std::size_t never = ~std::size_t{0};
  std::array<float*, K> column;
  for (std::size_t k = 0; k < K; ++k) column[k] = m.memory + (first + k) * n;
  const float* gates = sequence.gates;
  const float* group_values = values + first * length;  // [L, K]
  std::array<const float*, Slices> slice_features;      // [L + 1, 8] each
  for (std::size_t l = 0; l < Slices; ++l) slice_features[l] = features + (row + l * lanes) * (length + 1);
  std::array<std::array<Vec, K>, Slices> s;
  for (std::size_t l = 0; l < Slices; ++l)
    for (std::size_t k = 0; k < K; ++k) s[l][k] = load(column[k] + row + l * lanes);
  std::size_t next = 0, next_at = readouts > 0 ? positions[0] : never;
  for (std::size_t t = 0; t < length; ++t) {
    std::array<Vec, Slices> x;  // phi(k_{t-1}) on the tile's rows
    for (std::size_t l = 0; l < Slices; ++l) x[l] = load(slice_features[l] + t * lanes);
    const float* v = group_values + t * K;  // v_t on the group's columns
    VecI flagged{};
    if (Decays && gates[t] != 1.0f) {  // (a gate of 1 skips its multiply: the same bits)
      const float gate = gates[t];
      for (std::size_t k = 0; k < K; ++k)
        for (std::size_t l = 0; l < Slices; ++l) s[l][k] = round(gate * s[l][k] + v[k] * x[l], flagged);
    } else {
      for (std::size_t k = 0; k < K; ++k)
        for (std::size_t l = 0; l < Slices; ++l) s[l][k] = round(s[l][k] + v[k] * x[l], flagged);
    }
    if (Round::flags && Round::any(flagged)) [[unlikely]] {
      for (auto& slice : s)
        for (Vec& vector : slice) {
          alignas(32) float spill[lanes];
          store(spill, vector);
          for (float& number : spill) number = round(number);
          vector = load(spill);
        }
    }
    if (t == next_at) [[unlikely]] {
      for (; next < readouts && positions[next] == t; ++next)
        for (std::size_t l = 0; l < Slices; ++l) {
          const Vec q = load(slice_features[l] + (t + 1) * lanes);  // phi(q_t) on the slice's rows
          float* acc = accumulators + (next * K * 2 + (row / lanes + l) % 2) * lanes;
          for (std::size_t k = 0; k < K; ++k) store(acc + 2 * k * lanes, load(acc + 2 * k * lanes) + q * s[l][k]);
        }
      next_at = next < readouts ? positions[next] : never;
    }
  }
  for (std::size_t l = 0; l < Slices; ++l)
    for (std::size_t k = 0; k < K; ++k) store(column[k] + row + l * lanes, s[l][k]);
}

// Tiles of the vector rows [0, vector_rows) of the K columns from `first`, in row order: two
// slices (16 rows) per tile, so a column's value is broadcast once per two vectors of rows and the
// tile (8 vectors at K = 4), its inputs and temporaries fit the 16 vector registers (three slices
// measured slower: one accumulator spilled to the stack), then one slice.
template <std::size_t K, bool Decays, class Round>
[[gnu::always_inline]] inline void additive_tiles(const MemoryLayout& m, std::size_t first, std::size_t vector_rows,
                                                  const FusedSequence& sequence, const Round& round,
                                                  const float* features, const float* values, float* accumulators) {
  std::size_t row = 0;
  for (; row + 2 * lanes <= vector_rows; row += 2 * lanes)
    additive_tile<K, 2, Decays>(m, first, row, sequence, round, features, values, accumulators);
  if (row < vector_rows) additive_tile<K, 1, Decays>(m, first, row, sequence, round, features, values, accumulators);
}

// The rows that fill no vector (one at a time), then the read-outs of the K columns from `first`:
// lane sums of `accumulators` plus those rows' products in row order.
template <std::size_t K, bool Decays, class Round>
[[gnu::always_inline]] inline void additive_finish(const MemoryLayout& m, std::size_t first,
                                                   const FusedSequence& sequence, const Round& round,
                                                   const float* features, const float* values,
                                                   const float* accumulators, std::vector<float>& tail) {
  const std::span<const std::size_t> positions = sequence.readout_positions;
  const std::size_t readouts = positions.size(), length = sequence.length, n = m.features;
  const std::size_t vector_rows = n / lanes * lanes, tail_rows = n - vector_rows;
  tail.assign(readouts * K * tail_rows, 0.0f);
  const float* group_values = values + first * length;  // [L, K]
  for (std::size_t i = vector_rows; i < n; ++i) {
    std::array<float, K> s;
    for (std::size_t k = 0; k < K; ++k) s[k] = m.memory[(first + k) * n + i];
    const float* row_features = features + i * (length + 1);  // [L + 1]
    std::size_t next = 0;
    for (std::size_t t = 0; t < length; ++t) {
      const float x = row_features[t];
      const float* v = group_values + t * K;
      for (std::size_t k = 0; k < K; ++k) {
        if constexpr (Decays) s[k] = round(sequence.gates[t] * s[k] + v[k] * x);
        else s[k] = round(s[k] + v[k] * x);
      }
      for (; next < readouts && positions[next] == t; ++next)
        for (std::size_t k = 0; k < K; ++k)
          tail[(next * K + k) * tail_rows + (i - vector_rows)] = row_features[t + 1] * s[k];
    }
    for (std::size_t k = 0; k < K; ++k) m.memory[(first + k) * n + i] = s[k];
  }
  for (std::size_t r = 0; r < readouts; ++r)
    for (std::size_t k = 0; k < K; ++k) {
      const float* acc = accumulators + (r * K + k) * 2 * lanes;
      float sum = lane_sum(load(acc) + load(acc + lanes));
      for (std::size_t i = 0; i < tail_rows; ++i) sum += tail[(r * K + k) * tail_rows + i];
      sequence.readouts[r * m.columns + first + k] = sum;
    }
}

constexpr std::size_t tile_columns = 4;

template <bool Decays, class Round>
[[gnu::always_inline]] inline void run_additive_tiles(const MemoryLayout& m, const FusedSequence& sequence,
                                                      const Round& round) {
  // Each tile pass reads its steps' inputs contiguously: the features of the 8 rows starting at
  // `row` at [row (L + 1) + 8 t] (a row that fills no vector: [row (L + 1) + t]); the values of the
  // group of columns starting at `first` with width K (8, then 1) at [first L + K t].
  const std::size_t n = m.features, length = sequence.length, d = m.columns;
  const std::size_t vector_rows = n / lanes * lanes, wide_columns = d / tile_columns * tile_columns;
  std::vector<float>& features = sequence.scratch->features;  // [F, L + 1] in tiles, see above
  std::vector<float>& values = sequence.scratch->values;      // [d, L] in groups, see above
  features.resize(n * (length + 1));
  values.resize(d * length);
  for (std::size_t t = 0; t <= length; ++t) {
    const float* from = sequence.features[t];
    std::size_t i = 0;
    for (; i < vector_rows; i += lanes)
      std::memcpy(features.data() + i * (length + 1) + t * lanes, from + i, sizeof(Vec));
    for (; i < n; ++i) features[i * (length + 1) + t] = from[i];
  }
  for (std::size_t t = 0; t < length; ++t) {
    if (t + 8 < length) __builtin_prefetch(sequence.values[t + 8]);  // often a random row of the embedding table
    const float* from = sequence.values[t];
    std::size_t j = 0;
    for (; j < wide_columns; j += tile_columns)
      std::memcpy(values.data() + j * length + t * tile_columns, from + j, tile_columns * sizeof(float));
    for (; j < d; ++j) values[j * length + t] = from[j];
  }
  // One group of columns at a time over all rows. (Blocking rows and columns so that a block of the
  // features and values stays in L2 measured 1.4x slower on 2 threads: more passes, no fewer misses.)
  const std::size_t readouts = sequence.readout_positions.size(), group_floats = readouts * tile_columns * 2 * lanes;
  std::vector<float>& accumulators = sequence.scratch->accumulators;  // [R, K, 2] vectors of one group
  std::vector<float>& tail = sequence.scratch->tail;
  for (std::size_t j = 0; j < wide_columns; j += tile_columns) {
    accumulators.assign(group_floats, 0.0f);
    additive_tiles<tile_columns, Decays>(m, j, vector_rows, sequence, round, features.data(), values.data(),
                                         accumulators.data());
    additive_finish<tile_columns, Decays>(m, j, sequence, round, features.data(), values.data(), accumulators.data(),
                                          tail);
  }
  for (std::size_t j = wide_columns; j < d; ++j) {  // columns that fill no group, one at a time
    accumulators.assign(readouts * 2 * lanes, 0.0f);
    additive_tiles<1, Decays>(m, j, vector_rows, sequence, round, features.data(), values.data(), accumulators.data());
    additive_finish<1, Decays>(m, j, sequence, round, features.data(), values.data(), accumulators.data(), tail);
  }
}

template <class Round>
[[gnu::always_inline]] inline void run_additive(const MemoryLayout& m, bool decays, const FusedSequence& sequence,
                                                const Round& round) {
  if (decays) run_additive_tiles<true>(m, sequence, round);
  else run_additive_tiles<false>(m, sequence, round);
}

}  // namespace

// Each entry point picks the rounding once; everything below it is inlined into each build.
#define RECALLBOUND_WITH_ROUNDER(format, call)                                           \
  switch ((format).kind) {                                                              \
    case FormatKind::fp32: { const Rounder<RoundMode::none> round(format); call; break; }  \
    case FormatKind::integer: { const Rounder<RoundMode::integer> round(format); call; break; } \
    case FormatKind::bf16: { const Rounder<RoundMode::bf16> round(format); call; break; }       \
    default: { const Rounder<RoundMode::float_bits> round(format); call; break; }        \
  }

RECALLBOUND_KERNEL void step_memory(const MemoryLayout& memory, const MemoryRuleParams& params, const float* phi,
                                    const float* values, float gate, const StorageFormat& format) {
  RECALLBOUND_WITH_ROUNDER(format, step_columns(memory, 0, memory.columns, params, phi, values, gate, round))
}

RECALLBOUND_KERNEL void read_memory(const MemoryLayout& memory, const float* query, float* out) {
  read_columns(memory, 0, memory.columns, query, out);
}

namespace {

// Whether no number of a fused additive run can leave bf16's finite range, so that the rounding
// needs no per-lane check (bf16 shares fp32's exponent range, so its subnormals round right on the
// bit pattern and only overflow, inf and NaN are odd). |S| <= B_t with B_0 = max |S_0| and
// B_t = (max(1, |a_t|) B_{t-1} + max |phi_t| max |v_t|) (1 + 2^-6): the fp32 product, the fp32 sum
// and the bf16 rounding each grow a magnitude by a factor of at most 1 + 2^-8. B_L < 2^100 is far
// below bf16's largest finite number (about 2^128); a NaN or inf anywhere fails the test.
bool stays_finite_bf16(const MemoryLayout& m, const FusedSequence& sequence) {
  // max |x| over a row; inf for a row holding inf or NaN (the max propagates NaN; |x| and max are exact)
  const auto largest = [](const float* values, std::size_t count) {
    const float most = Eigen::Map<const Eigen::ArrayXf>(values, static_cast<Eigen::Index>(count))
                           .abs()
                           .maxCoeff<Eigen::PropagateNaN>();
    return most <= std::numeric_limits<float>::max() ? static_cast<double>(most)
                                                     : std::numeric_limits<double>::infinity();
  };
  double bound = largest(m.memory, m.features * m.columns);
  const float* last_features = nullptr;  // rows repeat (a token's rows are shared): reuse the last max
  const float* last_values = nullptr;
  double feature_max = 0, value_max = 0;
  for (std::size_t t = 0; t < sequence.length && bound < 0x1p100; ++t) {
    if (sequence.features[t] != last_features) feature_max = largest(last_features = sequence.features[t], m.features);
    if (sequence.values[t] != last_values) value_max = largest(last_values = sequence.values[t], m.columns);
    const double gate = largest(sequence.gates + t, 1);
    bound = (std::max(1.0, gate) * bound + feature_max * value_max) * (1 + 0x1p-6);
  }
  return bound < 0x1p100;
}

}  // namespace

RECALLBOUND_KERNEL void run_memory_fused(const MemoryLayout& memory, const MemoryRuleParams& params,
                                         const FusedSequence& sequence, const StorageFormat& format) {
  if (params.rule == MemoryRule::delta) {
    RECALLBOUND_WITH_ROUNDER(format, run_delta_blocks(memory, params, sequence, round))
  } else if (format.kind == FormatKind::bf16 && stays_finite_bf16(memory, sequence)) {
    run_additive(memory, params.decays, sequence, Rounder<RoundMode::bf16_bounded>(format));
  } else {
    RECALLBOUND_WITH_ROUNDER(format, run_additive(memory, params.decays, sequence, round))
  }
}

}  // namespace recallbound::models::detail
