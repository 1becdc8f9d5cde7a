// The fused recurrent form of the additive rules (linear attention, Mamba-2, Based's linear part):
// register tiles of the memory kept through all steps of a sequence. The half of run_memory_fused
// that needs no prediction before a write; its own file, so that the two halves compile in parallel.
// Compiled with -ffp-contract=off (src/models/CMakeLists.txt), as memory_kernels.cpp.
#include "memory_kernels.hpp"
#include "vector_rounding.hpp"

#include <Eigen/Core>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <span>
#include <type_traits>
#include <vector>

namespace recallbound::models::detail {
namespace {

using namespace vec;

// The fused additive rule: S[i, j] <- a_t S[i, j] + v_tj phi_t[i] touches one element, so a tile of
// rows x K columns stays in registers for all L steps and is stored once. The read-outs are summed in
// dot_columns' order: per read-out and column one 8-float accumulator, to which each 16-row block
// adds its product (its two 8-row halves summed first), block by block in row order, then the last
// 8-row slice; the rows that fill no vector are added after the lane sum, in row order.
//
// Two builds: narrow, of 8-float vectors (AVX2 and baseline x86-64), and wide, of 16-float vectors
// (x86-64-v4), where one vector holds a 16-row block and its product is summed as its two 8-lane
// halves. Element by element both do the same float operations in the same order: the same bits.

constexpr std::size_t tile_columns = 4;

// Floats of a stride of at least `count` floats that is a whole, odd number of cache lines (64
// bytes), so that a transposition writing one float group per stride walks through all L1 sets
// (with L a power of two, unpadded strides would all fall in one set and evict each other).
std::size_t odd_line_stride(std::size_t count) {
  constexpr std::size_t line = 16;
  const std::size_t lines = (count + line - 1) / line;
  return (lines | 1) * line;
}

// A fused additive run's inputs, transposed so that each tile pass reads its steps' inputs
// contiguously. Features: the 8-row slice starting at vector row `row` holds [8 t + lane] for t in
// [0, L]; a row that fills no vector holds [t]. Values: the group of tile_columns columns starting at
// `first` holds [tile_columns t + k]; a column that fills no group holds [t]. (Reading the rows
// through the sequence's row pointers instead measured 1.7x slower: the rows are scattered.)
// (Inlined into each build of the kernel: out of line it was compiled for baseline x86-64 only.)
class TiledInputs {
 public:
  [[gnu::always_inline]] TiledInputs(const MemoryLayout& m, const FusedSequence& sequence, bool decays)
      : length_(sequence.length),
        vector_rows_(m.features / lanes * lanes),
        wide_columns_(m.columns / tile_columns * tile_columns),
        slice_stride_(odd_line_stride(lanes * (length_ + 1))),
        group_stride_(odd_line_stride(tile_columns * length_)),
        features_(sequence.scratch->features),
        values_(sequence.scratch->values),
        next_gated_(sequence.scratch->next_gated) {
    const std::size_t n = m.features, d = m.columns;
    features_.resize(vector_rows_ / lanes * slice_stride_ + (n - vector_rows_) * (length_ + 1));
    values_.resize(wide_columns_ / tile_columns * group_stride_ + (d - wide_columns_) * length_);
    constexpr std::size_t ahead = 8;  // steps: rows are often random rows of an embedding table
    float* const features = features_.data();  // (a local: a store through it cannot move it)
    float* const values = values_.data();
    for (std::size_t t = 0; t <= length_; ++t) {
      if (t + ahead <= length_) prefetch_lines(sequence.features[t + ahead], n);
      const float* from = sequence.features[t];
      std::size_t i = 0;
      for (; i < vector_rows_; i += lanes) store(features + i / lanes * slice_stride_ + t * lanes, load(from + i));
      for (; i < n; ++i) features[tail_row_offset(i) + t] = from[i];
    }
    for (std::size_t t = 0; t < length_; ++t) {
      if (t + ahead < length_) prefetch_lines(sequence.values[t + ahead], d);
      const float* from = sequence.values[t];
      std::size_t j = 0;
      for (; j < wide_columns_; j += tile_columns)
        std::memcpy(values + j / tile_columns * group_stride_ + t * tile_columns, from + j, tile_columns * sizeof(float));
      for (; j < d; ++j) values[single_column_offset(j) + t] = from[j];
    }
    if (!decays) return;
    next_gated_.resize(length_ + 1);
    next_gated_[length_] = length_;
    for (std::size_t t = length_; t-- > 0;) next_gated_[t] = sequence.gates[t] != 1.0f ? t : next_gated_[t + 1];
  }
  /// The 8-row slice starting at `row` (a multiple of 8 below the vector rows): [L + 1, 8].
  [[nodiscard]] const float* slice(std::size_t row) const { return features_.data() + row / lanes * slice_stride_; }
  /// The first step at or after t whose gate is not 1 (L if none; only when the run decays).
  [[nodiscard]] std::size_t next_gated(std::size_t t) const { return next_gated_[t]; }
  /// A row that fills no vector: [L + 1].
  [[nodiscard]] const float* tail_row(std::size_t i) const { return features_.data() + tail_row_offset(i); }
  /// The values of the group (or single column) starting at column `first`: [L, K].
  [[nodiscard]] const float* values(std::size_t first) const {
    return values_.data() +
           (first < wide_columns_ ? first / tile_columns * group_stride_ : single_column_offset(first));
  }

 private:
  [[nodiscard]] std::size_t tail_row_offset(std::size_t i) const {
    return vector_rows_ / lanes * slice_stride_ + (i - vector_rows_) * (length_ + 1);
  }
  [[nodiscard]] std::size_t single_column_offset(std::size_t j) const {
    return wide_columns_ / tile_columns * group_stride_ + (j - wide_columns_) * length_;
  }
  std::size_t length_, vector_rows_, wide_columns_, slice_stride_, group_stride_;
  AlignedFloats& features_;
  AlignedFloats& values_;
  std::vector<std::size_t>& next_gated_;  // [L + 1]
};

// One tile: rows [row, row + Slices rows_of<V>) of the K columns from `first`, for all L steps.
// Narrow (V = Vec): Slices = 2 is a 16-row block of dot_columns (row a multiple of 16), Slices = 1
// the last 8-row slice. Wide (V = Vec16): each slice is a 16-row block.
// `accumulators` holds this group's [R, K] read-out vectors, carried over from the group's earlier
// rows (the first tile starts them from +0, as dot_columns does).
//
// The steps go in runs, each a plain loop up to the next read-out. (A jump per block of 4 steps on
// its pattern of read-outs, 16 copies of the block, mispredicted less, but GCC kept the tile in
// memory across the jump: in a harness of the bare tile at d = 128, runs took 0.83 of its time per
// pass with MQAR's read-outs and 0.66 without read-outs.)
template <class V, std::size_t K, std::size_t Slices, bool Decays, class Round>
[[gnu::always_inline]] inline void additive_tile(const MemoryLayout& m, std::size_t first, std::size_t row,
                                                 const FusedSequence& sequence, const Round& round,
                                                 const TiledInputs& inputs, float* accumulators) {
  const std::span<const std::size_t> positions = sequence.readout_positions;
  const std::size_t readouts = positions.size(), length = sequence.length, n = m.features;
  std::array<float*, K> column;
  for (std::size_t k = 0; k < K; ++k) column[k] = m.memory + (first + k) * n;
  const float* gates = sequence.gates;
  const float* group_values = inputs.values(first);  // [L, K]
  constexpr std::size_t rows = rows_of<V>, halves = rows / lanes;  // a wide slice reads two 8-row slices
  std::array<const float*, Slices * halves> slice_features;        // [L + 1, 8] each
  for (std::size_t h = 0; h < Slices * halves; ++h) slice_features[h] = inputs.slice(row + h * lanes);
  // phi(k_{t-1}) (or phi(q_{t-1})) on slice l's rows
  const auto features_at = [&](std::size_t l, std::size_t t) __attribute__((always_inline)) {
    if constexpr (halves == 1) {
      return load(slice_features[l] + t * lanes);
    } else {
      const Vec low = load(slice_features[2 * l] + t * lanes), high = load(slice_features[2 * l + 1] + t * lanes);
      return V(__builtin_shufflevector(low, high, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
    }
  };
  std::array<std::array<V, K>, Slices> s;
  for (std::size_t l = 0; l < Slices; ++l)
    for (std::size_t k = 0; k < K; ++k) s[l][k] = load_as<V>(column[k] + row + l * rows);

  // Step t, multiplying by its gate when Gated. A gate of 1 may be multiplied by or not (1 s = s
  // exactly; step() skips it): the runs below skip it where a whole stretch has no other gate. (A
  // test per step measured 1.06-1.10x the time of Mamba-2 at d = 64 and 128, whose gates alternate
  // between 1 and a_t over the pairs.)
  const auto update = [&]<bool Gated>(std::size_t t) __attribute__((always_inline)) {
    std::array<V, Slices> x;  // phi(k_{t-1}) on the tile's rows
    for (std::size_t l = 0; l < Slices; ++l) x[l] = features_at(l, t);
    const float* v = group_values + t * K;  // v_t on the group's columns
    SignedBits<V> flagged{};
    if constexpr (Gated) {
      const float gate = gates[t];
      for (std::size_t k = 0; k < K; ++k)
        for (std::size_t l = 0; l < Slices; ++l) s[l][k] = round(gate * s[l][k] + v[k] * x[l], flagged);
    } else {
      for (std::size_t k = 0; k < K; ++k)
        for (std::size_t l = 0; l < Slices; ++l) s[l][k] = round(s[l][k] + v[k] * x[l], flagged);
    }
    if (Round::flags && Round::any(flagged)) [[unlikely]] {
      for (auto& slice : s)
        for (V& vector : slice) vector = round.round_flagged(vector);
    }
  };
  std::size_t next = 0;  // the next read-out
  const auto read = [&](std::size_t t) __attribute__((always_inline)) {  // the read-outs after step t
    std::array<V, Slices> q;  // phi(q_t) on the tile's rows
    for (std::size_t l = 0; l < Slices; ++l) q[l] = features_at(l, t + 1);
    do {
      float* acc = accumulators + next * K * lanes;
      for (std::size_t k = 0; k < K; ++k) {
        Vec sum = row == 0 ? Vec{} : load(acc + k * lanes);
        if constexpr (halves == 2) {  // a block per slice
          for (std::size_t l = 0; l < Slices; ++l) sum = sum + block_sum(q[l] * s[l][k]);
        } else {  // one block (Slices = 2) or the last slice
          Vec product = q[0] * s[0][k];
          if constexpr (Slices == 2) product = product + q[1] * s[1][k];
          sum = sum + product;
        }
        store(acc + k * lanes, sum);
      }
    } while (++next < readouts && positions[next] == t);  // a position may repeat
  };
  // Steps [t, end): those before the first gate other than 1 without a multiply, the rest with one.
  // (One plain loop shared by both branches, with the end chosen by Decays, measured 1.04-1.10x the
  // time, linear attention included: GCC allocated the tile's registers differently.)
  const auto steps = [&](std::size_t& t, std::size_t end) __attribute__((always_inline)) {
    if constexpr (Decays) {
      for (const std::size_t gated = std::min(inputs.next_gated(t), end); t < gated; ++t) update.template operator()<false>(t);
      for (; t < end; ++t) update.template operator()<true>(t);
    } else {
      for (; t < end; ++t) update.template operator()<false>(t);
    }
  };
  std::size_t t = 0;
  while (next < readouts) {  // a run: the steps up to the next read-out, then its read-outs
    const std::size_t last = positions[next];
    steps(t, last + 1);
    read(last);
  }
  steps(t, length);
  for (std::size_t l = 0; l < Slices; ++l)
    for (std::size_t k = 0; k < K; ++k) store(column[k] + row + l * rows, s[l][k]);
}

// Tiles of the vector rows [0, vector_rows) of the K columns from `first`, in row order. Narrow: two
// slices per tile, so a column's value is broadcast once per two vectors of rows and the tile (8
// vectors at K = 4), its inputs and temporaries fit the 16 vector registers of AVX2 (three slices
// measured slower: one accumulator spilled to the stack). Wide: four slices (64 rows, 16 of
// AVX-512's 32 registers) while they fill, then two, then one; on Zen 5 four took 0.92-0.97 of the
// time of two, three 0.95-0.98 (ab.sh, bf16 and fp32, d = 64-256). Then one 8-row slice.
template <class V, std::size_t K, bool Decays, class Round>
[[gnu::always_inline]] inline void additive_tiles(const MemoryLayout& m, std::size_t first, std::size_t vector_rows,
                                                  const FusedSequence& sequence, const Round& round,
                                                  const TiledInputs& inputs, float* accumulators) {
  constexpr std::size_t rows = rows_of<V>;
  std::size_t row = 0;
  if constexpr (rows == 2 * lanes) {
    for (; row + 4 * rows <= vector_rows; row += 4 * rows)
      additive_tile<V, K, 4, Decays>(m, first, row, sequence, round, inputs, accumulators);
  }
  for (; row + 2 * rows <= vector_rows; row += 2 * rows)
    additive_tile<V, K, 2, Decays>(m, first, row, sequence, round, inputs, accumulators);
  if constexpr (rows == 2 * lanes) {
    if (row + rows <= vector_rows) {
      additive_tile<V, K, 1, Decays>(m, first, row, sequence, round, inputs, accumulators);
      row += rows;
    }
  }
  if (row < vector_rows) additive_tile<Vec, K, 1, Decays>(m, first, row, sequence, round, inputs, accumulators);
}

// The rows that fill no vector (one at a time), then the read-outs of the K columns from `first`:
// the lane sums of `accumulators` (+0 when no row fills a vector) plus those rows' products in row
// order.
template <std::size_t K, bool Decays, class Round>
[[gnu::always_inline]] inline void additive_finish(const MemoryLayout& m, std::size_t first,
                                                   const FusedSequence& sequence, const Round& round,
                                                   const TiledInputs& inputs, const float* accumulators,
                                                   FusedScratch& scratch) {
  const std::span<const std::size_t> positions = sequence.readout_positions;
  const std::size_t readouts = positions.size(), length = sequence.length, n = m.features;
  const std::size_t vector_rows = n / lanes * lanes, tail_rows = n - vector_rows;
  std::vector<float>& tail = scratch.tail;  // [R, K, tail rows]: the products of the rows that fill no vector
  tail.resize(readouts * K * tail_rows);
  const float* group_values = inputs.values(first);  // [L, K]
  for (std::size_t i = vector_rows; i < n; ++i) {
    std::array<float, K> s;
    for (std::size_t k = 0; k < K; ++k) s[k] = m.memory[(first + k) * n + i];
    const float* row_features = inputs.tail_row(i);  // [L + 1]
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
  std::vector<float>& sums = scratch.sums;  // [R, K]
  const std::size_t count = readouts * K;
  sums.resize(count);
  std::size_t c = 0;
  if (vector_rows == 0) {
    std::fill(sums.begin(), sums.end(), 0.0f);  // lane_sum of dot_columns' +0 accumulator
    c = count;
  }
  for (; c + lanes <= count; c += lanes) lane_sums8(accumulators + c * lanes, sums.data() + c);
  for (; c < count; ++c) sums[c] = lane_sum(load(accumulators + c * lanes));
  for (std::size_t r = 0; r < readouts; ++r) {
    float* const out = sequence.readouts + r * m.columns + first;  // read-outs are a row of d apart
    if (tail_rows == 0) {  // the K sums are the read-outs: one copy straight from them (through a
      // local array, the K stores and the one load over them stalled on store forwarding)
      std::memcpy(out, sums.data() + r * K, K * sizeof(float));
      continue;
    }
    for (std::size_t k = 0; k < K; ++k) {
      float sum = sums[r * K + k];
      for (std::size_t i = 0; i < tail_rows; ++i) sum += tail[(r * K + k) * tail_rows + i];
      out[k] = sum;
    }
  }
}

template <class V, bool Decays, class Round>
[[gnu::always_inline]] inline void run_additive_tiles(const MemoryLayout& m, const FusedSequence& sequence,
                                                      const Round& round) {
  const std::size_t n = m.features, d = m.columns;
  const std::size_t vector_rows = n / lanes * lanes, wide_columns = d / tile_columns * tile_columns;
  const TiledInputs inputs(m, sequence, Decays);
  // One group of columns at a time over all rows. (Blocking rows and columns so that a block of the
  // features and values stays in L2 measured 1.4x slower on 2 threads, and stretches of 64 or 128
  // steps, each transposed on its own, 2-9% slower: more passes, no fewer misses.)
  AlignedFloats& accumulators = sequence.scratch->accumulators;  // [R, K] vectors of one group
  accumulators.resize(sequence.readout_positions.size() * tile_columns * lanes);
  for (std::size_t j = 0; j < wide_columns; j += tile_columns) {
    additive_tiles<V, tile_columns, Decays>(m, j, vector_rows, sequence, round, inputs, accumulators.data());
    additive_finish<tile_columns, Decays>(m, j, sequence, round, inputs, accumulators.data(), *sequence.scratch);
  }
  for (std::size_t j = wide_columns; j < d; ++j) {  // columns that fill no group, one at a time
    additive_tiles<V, 1, Decays>(m, j, vector_rows, sequence, round, inputs, accumulators.data());
    additive_finish<1, Decays>(m, j, sequence, round, inputs, accumulators.data(), *sequence.scratch);
  }
}

template <class V, class Round>
[[gnu::always_inline]] inline void run_additive(const MemoryLayout& m, bool decays, const FusedSequence& sequence,
                                                const Round& round) {
  if (decays) run_additive_tiles<V, true>(m, sequence, round);
  else run_additive_tiles<V, false>(m, sequence, round);
}

// The run on V's vectors, with the rounding picked once (bounded: stays_finite_bf16 held).
template <class V>
[[gnu::always_inline]] inline void run_additive_on(const MemoryLayout& memory, const MemoryRuleParams& params,
                                                   const FusedSequence& sequence, const StorageFormat& format,
                                                   bool bounded) {
  constexpr bool wide = std::is_same_v<V, Vec16>;
  if (bounded) {
    run_additive<V>(memory, params.decays, sequence, Rounder<RoundMode::bf16_bounded, wide>(format));
  } else {
    RECALLBOUND_WITH_ROUNDER_OF(wide, format, run_additive<V>(memory, params.decays, sequence, round))
  }
}

RECALLBOUND_KERNEL void run_additive_narrow(const MemoryLayout& memory, const MemoryRuleParams& params,
                                            const FusedSequence& sequence, const StorageFormat& format, bool bounded) {
  run_additive_on<Vec>(memory, params, sequence, format, bounded);
}

#if RECALLBOUND_WIDE_KERNELS
RECALLBOUND_WIDE_KERNEL void run_additive_wide(const MemoryLayout& memory, const MemoryRuleParams& params,
                                               const FusedSequence& sequence, const StorageFormat& format,
                                               bool bounded) {
  run_additive_on<Vec16>(memory, params, sequence, format, bounded);
}
#endif

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

void run_additive_fused(RecurrenceWidth width, const MemoryLayout& memory, const MemoryRuleParams& params,
                        const FusedSequence& sequence, const StorageFormat& format) {
  const bool bounded = format.kind == FormatKind::bf16 && stays_finite_bf16(memory, sequence);
#if RECALLBOUND_WIDE_KERNELS
  if (width == RecurrenceWidth::wide) return run_additive_wide(memory, params, sequence, format, bounded);
#endif
  run_additive_narrow(memory, params, sequence, format, bounded);
}

}  // namespace recallbound::models::detail
