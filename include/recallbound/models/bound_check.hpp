#pragma once
// The certified bound evaluated for a recall run's row: the bits counted in the live buffers, the
// value alphabet (the V - V/2 tokens of the upper half) and the observed error rate, exactly.
#include "recallbound/bounds/capacity.hpp"
#include "recallbound/bounds/state_bits.hpp"
#include "recallbound/models/run.hpp"

namespace recallbound::models {

struct RowBound {
  LogForm state_bits;          // measured numbers * bits of the format (every encoding counted)
  Integer value_alphabet;      // V - V/2
  Rational error;              // errors / queries
  CapacityResult capacity;     // max_pairs(state_bits, value_alphabet, error)
  Interval bits_recalled{64};  // encloses N * D(error, value_alphabet)
  bool exceeds = false;        // N > max_pairs: the run would contradict the bound
};

/// Throws Error::internal if the bounds layer counts the format's bits differently.
RowBound bound_for_row(const RowResult& row, const StorageFormat& format, std::int64_t vocab);

}  // namespace recallbound::models
