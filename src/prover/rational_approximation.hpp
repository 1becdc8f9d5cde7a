#pragma once
#include "recallbound/exact/number.hpp"

namespace recallbound::prover::detail {

/// The simplest rational (smallest denominator) in [lower, upper]; used to guess the exact value
/// behind a floating-point LP dual. Guesses are always checked exactly afterwards.
inline Rational simplest_between(Rational lower, Rational upper) {
  if (upper < 0) return -simplest_between(-upper, -lower);
  if (lower <= 0) return Rational(0);
  const Integer floor_lower = floor_of(lower);
  if (Rational(floor_lower) == lower) return lower;
  if (floor_lower < floor_of(upper)) return Rational(floor_lower + 1);
  const Rational fraction = simplest_between(1 / (upper - floor_lower), 1 / (lower - floor_lower));
  return Rational(floor_lower) + 1 / fraction;
}

inline Rational simplest_near(double value, double tolerance) {
  const Rational center(value);
  const Rational width(tolerance);
  return simplest_between(center - width, center + width);
}

}  // namespace recallbound::prover::detail
