#include "recallbound/bounds/batch.hpp"

#include "recallbound/exact/fast_interval.hpp"

#include <bit>
#include <cmath>
#include <limits>

namespace recallbound {
namespace {

constexpr double two_to_52 = 4503599627370496.0;
constexpr double inf = std::numeric_limits<double>::infinity();

FastInterval widen_one_ulp(double d) { return {std::nextafter(d, -inf), std::nextafter(d, inf)}; }

// Encloses a nonnegative rational: mpq_get_d truncates, so the value is within one ulp of it.
FastInterval enclose_fast(const Rational& q) {
  double d = mpq_get_d(q.backend().data());
  if (mpz_cmp_ui(mpq_denref(q.backend().data()), 1) == 0 && d < two_to_52) return FastInterval::point(d);  // exact
  return widen_one_ulp(d);
}

// An integer below 2^64 as a double interval (exact below 2^53).
FastInterval enclose_fast(std::uint64_t n) {
  auto d = static_cast<double>(n);
  return n < (std::uint64_t(1) << 53) ? FastInterval::point(d) : widen_one_ulp(d);
}

FastInterval enclose_fast(const SmallRational& q) {
  if (q.denominator == 1) return enclose_fast(q.numerator);
  return fast_div(enclose_fast(q.numerator), enclose_fast(q.denominator));
}

// D(eps, V) = log2 V + eps log2 eps + (1 - eps) log2(1 - eps) - eps log2(V - 1), enclosed in doubles;
// an interval reaching 0 or below means "cannot decide here".
FastInterval fast_denominator(double vocab, FastInterval eps, bool eps_is_zero, bool eps_is_one) {
  FastInterval d = fast_log2(FastInterval::point(vocab));
  if (eps_is_zero) return d;
  if (eps.lo <= 0) return {-1, 1};  // below the double range: leave it to MPFI
  d = fast_add(d, fast_mul(eps, fast_log2(eps)));
  if (!eps_is_one) {
    FastInterval complement = fast_sub(FastInterval::point(1), eps);
    if (complement.lo <= 0) return {-1, 1};  // too close to 1 to enclose cheaply
    d = fast_add(d, fast_mul(complement, fast_log2(complement)));
  }
  if (vocab > 2) d = fast_sub(d, fast_mul(eps, fast_log2(FastInterval::point(vocab - 1))));
  return d;
}

// Decides floor(bits / D) when the double enclosure allows it.
std::optional<CapacityRow> decide_fast(FastInterval bits, FastInterval d) {
  if (d.lo <= 0) return std::nullopt;
  FastInterval ratio = fast_div(bits, d);
  if (!(ratio.hi < two_to_52) || std::floor(ratio.lo) != std::floor(ratio.hi)) return std::nullopt;
  CapacityRow row;
  row.max_pairs = static_cast<std::uint64_t>(std::floor(ratio.lo));
  row.denominator_lower = d.lo;
  row.denominator_upper = d.hi;
  row.decided_by_fast_path = true;
  return row;
}

double outward_to_double(const Rational& q, bool up) {
  double d = mpq_get_d(q.backend().data());  // truncated toward zero
  if (Rational(d) == q) return d;
  return up ? (q > 0 ? std::nextafter(d, inf) : d) : (q > 0 ? d : std::nextafter(d, -inf));
}

bool fits_u64(mpz_srcptr z) { return mpz_sgn(z) >= 0 && mpz_sizeinbase(z, 2) <= 64; }

// eps >= 1 - 1/V  <=>  num(eps) * V >= (V - 1) * den(eps), exact in 128 bits.
bool is_vacuous_small(std::uint64_t vocab, const SmallRational& eps) {
  using u128 = unsigned __int128;
  return u128(eps.numerator) * vocab >= u128(vocab - 1) * eps.denominator;
}

std::optional<SmallRational> as_small(const Rational& q) {
  mpz_srcptr num = mpq_numref(q.backend().data());  // numerator() would copy
  mpz_srcptr den = mpq_denref(q.backend().data());
  if (!fits_u64(num) || !fits_u64(den)) return std::nullopt;
  return SmallRational{mpz_get_ui(num), mpz_get_ui(den)};
}

}  // namespace

std::optional<CapacityRow> capacity_row_fast(const SmallRational& bits, std::uint64_t vocab, const SmallRational& error) {
  if (vocab >= (std::uint64_t(1) << 52) || is_vacuous_small(vocab, error)) return std::nullopt;
  FastInterval d = fast_denominator(static_cast<double>(vocab), enclose_fast(error), error.numerator == 0,
                                    error.numerator == error.denominator);
  return decide_fast(enclose_fast(bits), d);
}

CapacityRow capacity_row(const Rational& bits, const Integer& vocab, const Rational& error) {
  auto small_error = as_small(error);
  if (small_error && fits_u64(vocab.backend().data())) {
    std::optional<CapacityRow> fast;
    if (auto small_bits = as_small(bits))
      fast = capacity_row_fast(*small_bits, mpz_get_ui(vocab.backend().data()), *small_error);
    if (fast) return *fast;
  }
  CapacityResult exact = max_pairs(LogForm::constant(bits), vocab, error);
  CapacityRow row;
  row.unbounded = exact.unbounded;
  row.max_pairs = exact.max_pairs;
  row.denominator_lower = outward_to_double(exact.denominator.lower(), false);
  row.denominator_upper = outward_to_double(exact.denominator.upper(), true);
  return row;
}

}  // namespace recallbound
