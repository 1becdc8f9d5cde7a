#pragma once
// An independent exact oracle for log2 of a positive rational: rational lower and upper bounds from
// the atanh series  ln m = 2 sum_k z^(2k+1)/(2k+1), z = (m-1)/(m+1), after scaling m into [1, 2).
// Uses no floating point and no MPFR, so it can check the MPFI layer.
#include "recallbound/exact/number.hpp"

#include <utility>

namespace recallbound::test {

/// The exact value of a double (every finite double is a dyadic rational).
inline Rational exact(double x) {
  Rational q;
  mpq_set_d(q.backend().data(), x);
  return q;
}

// Lower/upper bounds for ln(m), 1 <= m < 2 (then 0 <= z < 1/3), from `terms` series terms; the
// tail is at most z^(2K+1) / ((2K+1)(1 - z^2)) times 2.
inline std::pair<Rational, Rational> ln_bounds(const Rational& m, int terms) {
  Rational z = (m - 1) / (m + 1), z2 = z * z, power = z, sum = 0;
  for (int k = 0; k < terms; ++k) {
    sum += power / (2 * k + 1);
    power *= z2;
  }
  Rational tail = power / ((2 * terms + 1) * (Rational(1) - z2));
  return {2 * sum, 2 * (sum + tail)};
}

/// [lower, upper] containing log2(q) for q > 0.
inline std::pair<Rational, Rational> log2_bounds(Rational q, int terms = 40) {
  // Scale by the bit-size difference in one step, then fix up by at most a couple of halvings.
  long exponent = static_cast<long>(mpz_sizeinbase(numerator(q).backend().data(), 2)) -
                  static_cast<long>(mpz_sizeinbase(denominator(q).backend().data(), 2));
  if (exponent > 0) q /= Rational(Integer(1) << exponent);
  if (exponent < 0) q *= Rational(Integer(1) << -exponent);
  while (q >= 2) { q /= 2; ++exponent; }
  while (q < 1) { q *= 2; --exponent; }
  auto [ln_lo, ln_hi] = ln_bounds(q, terms);
  auto [ln2_lo, ln2_hi] = ln_bounds(Rational(2), terms * 2);  // z = 1/3
  // ln m >= 0, ln 2 > 0: the quotient is smallest with the smallest numerator over the largest denominator.
  return {Rational(exponent) + ln_lo / ln2_hi, Rational(exponent) + ln_hi / ln2_lo};
}

}  // namespace recallbound::test
