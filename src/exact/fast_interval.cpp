#include "recallbound/exact/fast_interval.hpp"

#include "recallbound/exact/interval.hpp"

#include <array>
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

constexpr int table_size = 128;

struct LogTable {
  std::array<double, table_size + 1> ln_lo{}, ln_hi{};  // ln(1 + i/128), enclosed
  double inv_ln2_lo = 0, inv_ln2_hi = 0;                // 1/ln 2, enclosed
};

// Enclosures computed once by MPFI at 128 bits, then rounded outward to doubles.
const LogTable& log_table() {
  static const LogTable table = [] {
    LogTable t;
    auto to_lo = [](const Interval& v) { return mpfr_get_d(&v.raw()->left, MPFR_RNDD); };
    auto to_hi = [](const Interval& v) { return mpfr_get_d(&v.raw()->right, MPFR_RNDU); };
    for (int i = 0; i <= table_size; ++i) {
      Interval x(Rational(table_size + i, table_size), 128), ln(128);
      mpfi_log(ln.raw(), x.raw());
      t.ln_lo[static_cast<std::size_t>(i)] = to_lo(ln);
      t.ln_hi[static_cast<std::size_t>(i)] = to_hi(ln);
    }
    Interval two(Rational(2), 128), ln2(128), one(Rational(1), 128);
    mpfi_log(ln2.raw(), two.raw());
    Interval inv = one / ln2;
    t.inv_ln2_lo = to_lo(inv);
    t.inv_ln2_hi = to_hi(inv);
    return t;
  }();
  return table;
}

// ln(1 + u) for |u| <= 2^-8 (a point, exact double), enclosed. P7(u) = sum_{k=1..7} (-1)^(k+1) u^k / k
// by Horner. Truncation: the alternating tail is at most |u|^8 / (8 (1 - |u|)) < |u|^8 / 7.
// Rounding: Horner's error is at most gamma_15 * sum |a_k u^k| (Higham, Thm 5.1; one more for the
// rounded coefficients) with gamma_15 < 1.7e-15 and sum |a_k u^k| <= |u| / (1 - |u|) < 1.004 |u|;
// we widen by 4e-15 |u| + |u|^8 / 7 + the smallest normal double (covers underflow).
FastInterval log1p_small(double u) {
  double p = 1.0 / 7;
  p = -1.0 / 6 + u * p;
  p = 1.0 / 5 + u * p;
  p = -1.0 / 4 + u * p;
  p = 1.0 / 3 + u * p;
  p = -1.0 / 2 + u * p;
  p = 1.0 + u * p;
  p = u * p;
  double a = std::fabs(u);
  double a2 = a * a, a4 = a2 * a2;
  // Each of the five roundings below loses at most 2^-53 relatively; the coefficients are inflated by
  // more than 1e-6 relatively, so the computed slack still exceeds 4e-15 |u| + |u|^8 / 7 + DBL_MIN.
  double slack = 4.00001e-15 * a + 0.1428572 * (a4 * a4) + std::numeric_limits<double>::min();
  return {down(p - slack), up(p + slack)};
}

// x = m * 2^exponent with m in [1, 2), exactly.
double split_binary(double x, int& exponent) {
  auto bits = std::bit_cast<std::uint64_t>(x);
  auto biased = static_cast<int>((bits >> 52) & 0x7ff);
  if (biased == 0) {  // subnormal: let frexp normalise
    double m = 2 * std::frexp(x, &exponent);
    exponent -= 1;
    return m;
  }
  exponent = biased - 1023;
  return std::bit_cast<double>((bits & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL);
}

// log2(x) for one finite double x > 0.
FastInterval log2_point(double x) {
  const LogTable& t = log_table();
  int exponent = 0;
  double m = split_binary(x, exponent);
  int i = static_cast<int>((m - 1) * table_size + 0.5);  // c = 1 + i/128 nearest m, |m - c| <= 1/256
  double c = 1 + static_cast<double>(i) / table_size;    // exact
  double r = m - c;                                      // exact (Sterbenz)
  double u = r / c;  // rounded: the exact quotient is within one ulp of u
  // ln(1+u) has slope at most 1/(1 - 2^-8) < 1.004 here, so one ulp of u moves it by < 1.004 ulp(u).
  FastInterval at_u = log1p_small(u);
  double u_ulp = up(std::fabs(u)) - std::fabs(u);  // exact: adjacent doubles
  double shift = 1.0041 * u_ulp + std::numeric_limits<double>::denorm_min();  // one rounding, covered by 1.0041
  auto idx = static_cast<std::size_t>(i);
  FastInterval ln_m{down(t.ln_lo[idx] + down(at_u.lo - shift)), up(t.ln_hi[idx] + up(at_u.hi + shift))};
  // times 1/ln 2 in [inv_lo, inv_hi] (positive): pick the endpoint products by the signs of ln_m.
  double lo = ln_m.lo * (ln_m.lo >= 0 ? t.inv_ln2_lo : t.inv_ln2_hi);
  double hi = ln_m.hi * (ln_m.hi >= 0 ? t.inv_ln2_hi : t.inv_ln2_lo);
  double e = static_cast<double>(exponent);
  return {down(down(lo) + e), up(up(hi) + e)};
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

}  // namespace recallbound
