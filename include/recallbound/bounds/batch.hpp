#pragma once
// Row-at-a-time certified capacity for batch use: a rigorous double-interval fast path that decides
// floor(B / D) for most rows, falling back to the arbitrary-precision engine (max_pairs) otherwise.
// Same answers as max_pairs, without the derivation text.
#include "recallbound/bounds/capacity.hpp"

namespace recallbound {

struct CapacityRow {
  bool unbounded = false;
  Integer max_pairs;
  double denominator_lower = 0;  // D(eps, V) lies in [denominator_lower, denominator_upper]
  double denominator_upper = 0;
  bool decided_by_fast_path = false;
};

/// Inputs must already be validated (bits >= 0, vocab >= 2, 0 <= error <= 1).
CapacityRow capacity_row(const Rational& bits, const Integer& vocab, const Rational& error);

}  // namespace recallbound
