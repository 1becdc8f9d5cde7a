#pragma once
// Column kernels of the matrix-memory models (linear attention, Mamba-2, DeltaNet, Gated DeltaNet,
// Based's linear part). Column j of the memory S [F, d] evolves on its own: every rule below reads
// and writes only that column, given the step's features, v_j and gate. So the same kernels serve
// `step()` (one step over all columns) and the fused recurrent form (all steps over one block of
// columns that stays in the L1 cache), and both give bit-identical states and read-outs: each
// element sees the same float operations in the same order, and the dot products use one fixed
// summation order. The kernels are built twice (AVX2 and baseline x86-64, chosen at run time); both
// use GCC vector types of 8 floats and no fused multiply-add, so they give the same bits too.
#include "recallbound/models/storage_format.hpp"

#include <boost/align/aligned_allocator.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace recallbound::models::detail {

enum class MemoryRule {
  additive,  // S[:, j] <- gate * S[:, j] + v_j phi          (linear attention, Mamba-2)
  delta,     // S[:, j] <- gate * S[:, j];  S[:, j] += (v_j - phi . S[:, j]) (beta phi)   (delta rules)
};

/// One step of a matrix memory, column-major [features, d] with leading dimension `features`.
struct MemoryLayout {
  float* memory;
  std::size_t features;  // F: rows
  std::size_t columns;   // d
};

struct MemoryRuleParams {
  MemoryRule rule = MemoryRule::additive;
  float beta = 1.0f;     // delta rule write strength
  bool decays = false;   // whether a gate other than 1 can occur (the fused additive form multiplies by it always)
};

/// Applies one step to every column (phi [F], values [d], gate) and rounds S to `format`.
void step_memory(const MemoryLayout& memory, const MemoryRuleParams& params, const float* phi, const float* values,
                 float gate, const StorageFormat& format);

/// out[j] = query . S[:, j] for every column j (query [F], out [d]), in the kernels' fixed order.
void read_memory(const MemoryLayout& memory, const float* query, float* out);

/// Buffers of the fused recurrent form, kept by the model so that runs reuse them. Cache-line
/// aligned: the kernels load and store them 8 floats (32 bytes) at a time, and an access that
/// straddles two lines costs two.
using AlignedFloats = std::vector<float, boost::alignment::aligned_allocator<float, 64>>;
struct FusedScratch {
  AlignedFloats features, values, accumulators;
  std::vector<float> tail, sums;
  std::vector<std::size_t> next_gated;
};

/// A whole sequence for the fused recurrent form, by rows: features[t] is phi(k_{t-1}) [F]
/// (features[0] the features of the empty token shift), so step t writes with features[t] and a
/// read-out after step t queries with features[t + 1]; values[t] is v_t [d], rounded to the storage
/// format. Rows may repeat (a repeated token shares its row).
struct FusedSequence {
  std::span<const float* const> features;  // [L + 1] rows of F floats
  std::span<const float* const> values;    // [L] rows of d floats
  const float* gates;                      // [L]
  std::size_t length;                      // L
  std::span<const std::size_t> readout_positions;  // ascending, each < L
  float* readouts;                                 // [R, d] row-major: row r = S^T phi(q) after step readout_positions[r]
  FusedScratch* scratch;
};

/// Runs every step of `sequence` on `memory` (which must hold the starting state), one block of
/// columns at a time: the same states and read-outs as step_memory / read_memory per token. On the
/// widest build that runs here (RecurrenceWidth below).
void run_memory_fused(const MemoryLayout& memory, const MemoryRuleParams& params, const FusedSequence& sequence,
                      const StorageFormat& format);

/// Asks for every cache line of `count` floats from `row` (a row that is about to be read, often a
/// random row of an embedding table).
inline void prefetch_lines(const float* row, std::size_t count) {
  for (std::size_t at = 0; at < count; at += 16) {
    __builtin_prefetch(row + at);
    // A prefetch is no side effect to GCC, so without this the loop has none and, as a loop that
    // may be assumed to end (-ffinite-loops, on in C++ at -O2), it was deleted whole: an empty
    // volatile asm is a side effect that costs no instruction.
    asm volatile("");
  }
}

/// out[i] = elu(x[i]) + 1 (x + 1 for x > 0, e^x otherwise; e^x within 2 units in the last place).
/// The bits of an entry depend on its value only (not on n or its place), on every build.
void elu_plus_one(const float* x, float* out, std::size_t n);

/// The builds of the fused recurrent form: 8-float vectors (AVX2 or baseline x86-64) or 16-float
/// vectors (x86-64-v4, that is AVX-512). Both give the same bits; run_memory_fused takes the wide one
/// where it runs.
enum class RecurrenceWidth { narrow, wide };
bool wide_recurrence_runs_here();
/// run_memory_fused on the given build; Error::internal if it does not run on this machine.
void run_memory_fused_on(RecurrenceWidth width, const MemoryLayout& memory, const MemoryRuleParams& params,
                         const FusedSequence& sequence, const StorageFormat& format);

/// The additive half of run_memory_fused_on (fused_additive.cpp), on a build that runs here.
void run_additive_fused(RecurrenceWidth width, const MemoryLayout& memory, const MemoryRuleParams& params,
                        const FusedSequence& sequence, const StorageFormat& format);

}  // namespace recallbound::models::detail
