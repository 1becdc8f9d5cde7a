#include "recallbound/bounds/batch.hpp"

#include "recallbound/exact/fast_interval.hpp"

#include <cmath>
#include <limits>

namespace recallbound {
namespace {

constexpr double two_to_52 = 4503599627370496.0;

// Encloses a nonnegative rational: mpq_get_d truncates, so the value is within one ulp of it.
FastInterval enclose_fast(const Rational& q) {
  double d = mpq_get_d(q.backend().data());
  if (mpz_cmp_ui(mpq_denref(q.backend().data()), 1) == 0 && d < two_to_52) return FastInterval::point(d);  // exact
  constexpr double inf = std::numeric_limits<double>::infinity();
  return {std::nextafter(d, -inf), std::nextafter(d, inf)};
}

// D(eps, V) = log2 V + eps log2 eps + (1 - eps) log2(1 - eps) - eps log2(V - 1), enclosed in doubles.
FastInterval fast_denominator(double vocab, const Rational& error) {
  FastInterval d = fast_log2(FastInterval::point(vocab));
  if (mpq_sgn(error.backend().data()) == 0) return d;
  FastInterval eps = enclose_fast(error);
  if (eps.lo <= 0) return {-1, 1};  // below the double range: leave it to MPFI
  FastInterval complement = fast_sub(FastInterval::point(1), eps);
  d = fast_add(d, fast_mul(eps, fast_log2(eps)));
  if (complement.lo > 0) d = fast_add(d, fast_mul(complement, fast_log2(complement)));
  else if (mpq_cmp_ui(error.backend().data(), 1, 1) != 0) return {-1, 1};  // too close to 1 to enclose cheaply
  if (vocab > 2) d = fast_sub(d, fast_mul(eps, fast_log2(FastInterval::point(vocab - 1))));
  return d;
}

double outward_to_double(const Rational& q, bool up) {
  double d = mpq_get_d(q.backend().data());  // truncated toward zero
  constexpr double inf = std::numeric_limits<double>::infinity();
  if (Rational(d) == q) return d;
  return up ? (q > 0 ? std::nextafter(d, inf) : d) : (q > 0 ? d : std::nextafter(d, -inf));
}

bool fits_u64(mpz_srcptr z) { return mpz_sgn(z) >= 0 && mpz_sizeinbase(z, 2) <= 64; }

// eps >= 1 - 1/V  <=>  num(eps) * V >= (V - 1) * den(eps), in 128-bit integers when everything fits.
bool is_vacuous_fast(const Integer& vocab, const Rational& error) {
  // numerator()/denominator() would copy; read the GMP parts in place.
  mpz_srcptr num = mpq_numref(error.backend().data());
  mpz_srcptr den = mpq_denref(error.backend().data());
  if (!fits_u64(num) || !fits_u64(den) || !fits_u64(vocab.backend().data())) return is_vacuous(vocab, error);
  using u128 = unsigned __int128;
  u128 v = mpz_get_ui(vocab.backend().data());
  return u128(mpz_get_ui(num)) * v >= (v - 1) * u128(mpz_get_ui(den));
}

}  // namespace

CapacityRow capacity_row(const Rational& bits, const Integer& vocab, const Rational& error) {
  CapacityRow row;
  if (mpz_sizeinbase(vocab.backend().data(), 2) <= 52 && !is_vacuous_fast(vocab, error)) {
    FastInterval d = fast_denominator(static_cast<double>(mpz_get_ui(vocab.backend().data())), error);
    if (d.lo > 0) {
      FastInterval ratio = fast_div(enclose_fast(bits), d);
      if (ratio.hi < two_to_52 && std::floor(ratio.lo) == std::floor(ratio.hi)) {
        row.max_pairs = static_cast<std::uint64_t>(std::floor(ratio.lo));
        row.denominator_lower = d.lo;
        row.denominator_upper = d.hi;
        row.decided_by_fast_path = true;
        return row;
      }
    }
  }
  CapacityResult exact = max_pairs(LogForm::constant(bits), vocab, error);
  row.unbounded = exact.unbounded;
  row.max_pairs = exact.max_pairs;
  row.denominator_lower = outward_to_double(exact.denominator.lower(), false);
  row.denominator_upper = outward_to_double(exact.denominator.upper(), true);
  return row;
}

}  // namespace recallbound
