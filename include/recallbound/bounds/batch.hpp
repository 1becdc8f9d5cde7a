#pragma once
// Row-at-a-time certified capacity for batch use: a double fast path with a proven error bound
// (docs/exactness.md) that decides floor(B / D) for most rows, falling back to the arbitrary-precision
// engine (max_pairs) otherwise.
// Same answers as max_pairs, without the derivation text.
#include "recallbound/bounds/capacity.hpp"

#include <cstdint>
#include <optional>

namespace recallbound {

struct CapacityRow {
  bool unbounded = false;
  Integer max_pairs;
  double denominator_lower = 0;  // D(eps, V) lies in [denominator_lower, denominator_upper]
  double denominator_upper = 0;
  bool decided_by_fast_path = false;
};

/// A row decided by the fast path: its answers are below 2^52, so no GMP integer is needed.
struct FastCapacityRow {
  std::uint64_t max_pairs = 0;
  double denominator_lower = 0;  // D(eps, V) lies in [denominator_lower, denominator_upper]
  double denominator_upper = 0;
};

/// The fast path alone, on inputs read without GMP: the row when the double evaluation decides it,
/// nothing otherwise (then call capacity_row). Inputs must be validated: vocab >= 2, error <= 1.
std::optional<FastCapacityRow> capacity_row_fast(const SmallRational& bits, std::uint64_t vocab,
                                                 const SmallRational& error);

/// Inputs must already be validated (bits >= 0, vocab >= 2, 0 <= error <= 1).
CapacityRow capacity_row(const Rational& bits, const Integer& vocab, const Rational& error);

}  // namespace recallbound
