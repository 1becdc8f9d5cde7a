#include "recallbound/exact/fast_interval.hpp"

#include "recallbound/exact/fast_log2.hpp"

#include <bit>
#include <cstdint>
#include <cmath>
#include <limits>

namespace recallbound {
namespace {

// One ulp outward, on the bit pattern (libm's nextafter was a fifth of batch time). Infinities
// and NaN pass through; callers reject non-finite enclosures.
double step(double x, bool toward_positive) {
  if (!std::isfinite(x)) return x;
  if (x == 0) return toward_positive ? std::numeric_limits<double>::denorm_min() : -std::numeric_limits<double>::denorm_min();
  auto bits = std::bit_cast<std::uint64_t>(x);
  bool away_from_zero = (x > 0) == toward_positive;
  return std::bit_cast<double>(away_from_zero ? bits + 1 : bits - 1);
}
double down(double x) { return step(x, false); }
double up(double x) { return step(x, true); }

// log2(x) for one finite double x > 0: the table-driven approximation widened by its proven bound.
FastInterval log2_point(double x) {
  if (x < std::numeric_limits<double>::min()) {  // subnormal: scale into the normal range exactly
    FastInterval scaled = log2_point(x * 0x1p600);
    return {down(scaled.lo - 600), up(scaled.hi - 600)};
  }
  double value = fast_log2_approx(fast_log2_table(), x);
  // radius = u |value| + 2u, computed with two roundings; rounding up by one ulp covers both.
  double radius = up(unit_roundoff * std::fabs(value) + fast_log2_absolute_error);
  return {down(value - radius), up(value + radius)};
}

}  // namespace

FastInterval fast_add(FastInterval a, FastInterval b) { return {down(a.lo + b.lo), up(a.hi + b.hi)}; }
FastInterval fast_sub(FastInterval a, FastInterval b) { return {down(a.lo - b.hi), up(a.hi - b.lo)}; }

FastInterval fast_mul(FastInterval a, FastInterval b) {
  double p1 = a.lo * b.lo, p2 = a.lo * b.hi, p3 = a.hi * b.lo, p4 = a.hi * b.hi;
  return {down(std::fmin(std::fmin(p1, p2), std::fmin(p3, p4))), up(std::fmax(std::fmax(p1, p2), std::fmax(p3, p4)))};
}

FastInterval fast_div(FastInterval a, FastInterval b) {
  double q1 = a.lo / b.lo, q2 = a.lo / b.hi, q3 = a.hi / b.lo, q4 = a.hi / b.hi;
  return {down(std::fmin(std::fmin(q1, q2), std::fmin(q3, q4))), up(std::fmax(std::fmax(q1, q2), std::fmax(q3, q4)))};
}

FastInterval fast_log2(FastInterval a) {
  FastInterval lo = log2_point(a.lo);
  if (a.hi == a.lo) return lo;
  // Narrow intervals (the usual one-ulp enclosure of a parsed decimal): the mean value theorem with
  // slope 1 / (x ln 2) <= 1.4427 / lo bounds log2(hi) - log2(lo), saving a second evaluation.
  double width = up(a.hi - a.lo);
  if (width <= a.lo * 0x1p-40) return {lo.lo, up(lo.hi + up(up(width / a.lo) * 1.4427))};
  return {lo.lo, log2_point(a.hi).hi};
}

FastInterval fast_outward(double value, double radius) { return {down(value - radius), up(value + radius)}; }

}  // namespace recallbound
