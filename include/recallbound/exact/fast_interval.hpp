#pragma once
// Rigorous double-precision enclosures for the hot path of batch evaluation. Contract of every
// function here: the returned [lo, hi] contains the exact real result for every real in the
// operands' intervals. Arithmetic is IEEE round-to-nearest followed by one ulp of outward
// widening (a correctly rounded result is within half an ulp), so no rounding-mode switches.
// log2 widens fast_log2_approx (fast_log2.hpp) by its proven error bound (docs/exactness.md).
// Callers fall back to MPFI (LogForm) whenever a fast enclosure is too wide to decide.

namespace recallbound {

struct FastInterval {
  double lo = 0, hi = 0;

  static FastInterval point(double x) { return {x, x}; }
  [[nodiscard]] bool is_positive() const { return lo > 0; }
};

FastInterval fast_add(FastInterval a, FastInterval b);
FastInterval fast_sub(FastInterval a, FastInterval b);
FastInterval fast_mul(FastInterval a, FastInterval b);
/// Requires b.lo > 0 (checked by the caller).
FastInterval fast_div(FastInterval a, FastInterval b);
/// Contains log2(x) for all x in [a.lo, a.hi]; requires a.lo > 0 and finite a.hi.
FastInterval fast_log2(FastInterval a);
/// [value - radius, value + radius] for radius >= 0, each end rounded one ulp outward.
FastInterval fast_outward(double value, double radius);

}  // namespace recallbound
