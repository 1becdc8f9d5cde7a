#include "recallbound/bounds/batch.hpp"

#include "recallbound/exact/fast_interval.hpp"
#include "recallbound/exact/fast_log2.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

namespace recallbound {
namespace {

constexpr double two_to_52 = 4503599627370496.0;
constexpr double inf = std::numeric_limits<double>::infinity();

FastInterval widen_one_ulp(double d) { return {std::nextafter(d, -inf), std::nextafter(d, inf)}; }

// An integer below 2^64 as a double interval (exact below 2^53).
FastInterval enclose_fast(std::uint64_t n) {
  auto d = static_cast<double>(n);
  return n < (std::uint64_t(1) << 53) ? FastInterval::point(d) : widen_one_ulp(d);
}

FastInterval enclose_fast(const SmallRational& q) {
  if (q.denominator == 1) return enclose_fast(q.numerator);
  return fast_div(enclose_fast(q.numerator), enclose_fast(q.denominator));
}

// D(eps, V) in its KL form, eps log2(eps V / (V - 1)) + (1 - eps) log2((1 - eps) V): two logs, and near
// guessing (eps -> 1 - 1/V, where D -> 0) both terms are small instead of two terms of size log2 V
// cancelling. Evaluated once in round-to-nearest from fast_log2_approx values and widened once by the
// a-priori bound proved in docs/exactness.md: |computed - D| <= 6.0004 u M + 9.22 u with
// M = eps |log2 A| + (1 - eps) |log2 C| as computed; the radius 8 u M' + 12 u (M' the computed M) exceeds
// it after its own two roundings. Requires 2 <= vocab < 2^52 and error < 1 - 1/vocab.
FastInterval fast_denominator(std::uint64_t vocab, const SmallRational& error) {
  const FastLog2Table& table = fast_log2_table();
  const auto v = static_cast<double>(vocab);  // exact below 2^53, and so is v - 1
  const auto q = static_cast<double>(error.denominator);
  const auto q_minus_p = static_cast<double>(error.denominator - error.numerator);  // numerator < denominator
  // Relative errors: (1 + u)^3 - 1 for eps and complement, (1 + u)^4 - 1 for C, (1 + u)^5 - 1 for A.
  const double complement = q_minus_p / q;
  const double log_c = fast_log2_approx(table, q_minus_p * v / q);
  double eps = 0, log_a = 0;  // exact when error = 0, where the term vanishes
  if (error.numerator != 0) {
    const auto p = static_cast<double>(error.numerator);
    eps = p / q;
    log_a = fast_log2_approx(table, p * v / (q * (v - 1)));
  }
  const double d = eps * log_a + complement * log_c;
  const double magnitude = eps * std::fabs(log_a) + complement * std::fabs(log_c);
  return fast_outward(d, 8 * unit_roundoff * magnitude + 12 * unit_roundoff);
}

// Decides floor(bits / D) when the double enclosure allows it.
std::optional<FastCapacityRow> decide_fast(FastInterval bits, FastInterval d) {
  if (d.lo <= 0) return std::nullopt;
  // B >= 0 and D in [d.lo, d.hi] with d.lo > 0, so B/D lies in [bits.lo / d.hi, bits.hi / d.lo]; bits.lo is
  // clamped at 0 (B is nonnegative; its enclosure may reach one ulp below). Each quotient one ulp outward.
  FastInterval ratio{fast_outward(std::max(bits.lo, 0.0) / d.hi, 0).lo, fast_outward(bits.hi / d.lo, 0).hi};
  if (!(ratio.hi < two_to_52) || std::floor(ratio.lo) != std::floor(ratio.hi)) return std::nullopt;
  return FastCapacityRow{static_cast<std::uint64_t>(std::floor(ratio.lo)), d.lo, d.hi};
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

std::optional<FastCapacityRow> capacity_row_fast(const SmallRational& bits, std::uint64_t vocab,
                                                 const SmallRational& error) {
  if (vocab >= (std::uint64_t(1) << 52) || is_vacuous_small(vocab, error)) return std::nullopt;
  return decide_fast(enclose_fast(bits), fast_denominator(vocab, error));
}

CapacityRow capacity_row(const Rational& bits, const Integer& vocab, const Rational& error) {
  auto small_error = as_small(error);
  if (small_error && fits_u64(vocab.backend().data())) {
    std::optional<FastCapacityRow> fast;
    if (auto small_bits = as_small(bits))
      fast = capacity_row_fast(*small_bits, mpz_get_ui(vocab.backend().data()), *small_error);
    if (fast) {
      CapacityRow row;
      row.max_pairs = fast->max_pairs;
      row.denominator_lower = fast->denominator_lower;
      row.denominator_upper = fast->denominator_upper;
      row.decided_by_fast_path = true;
      return row;
    }
  }
  // The engine of max_pairs (exact vacuity test, floor_ratio_exact with its exact zero test) without the
  // derivation text, which a batch does not print.
  LogForm d = recall_denominator(vocab, error);
  CapacityRow row;
  Precision precision = 64;  // 53 bits would do for the printed doubles
  if (is_vacuous(vocab, error)) {
    row.unbounded = true;
  } else {
    DecisionTrace trace;
    row.max_pairs = floor_ratio_exact(LogForm::constant(bits), d, &trace);
    precision = std::max(precision, trace.precision_bits);
  }
  Interval denominator = d.enclose(precision);
  row.denominator_lower = outward_to_double(denominator.lower(), false);
  row.denominator_upper = outward_to_double(denominator.upper(), true);
  return row;
}

}  // namespace recallbound
