#include "recallbound/exact/interval.hpp"

#include "recallbound/error.hpp"

#include <cmath>
#include <utility>

namespace recallbound {
namespace {

Rational mpfr_to_rational(mpfr_srcptr x) {
  if (!mpfr_number_p(x)) throw Error::internal("exact conversion of a non-finite interval endpoint");
  Rational result;
  mpfr_get_q(result.backend().data(), x);
  return result;
}

Precision max_precision(const Interval& a, const Interval& b) {
  return std::max(a.precision(), b.precision());
}

Integer ten_to(long exponent) {
  Integer result;
  mpz_ui_pow_ui(result.backend().data(), 10UL, static_cast<unsigned long>(exponent));
  return result;
}

// floor(log10(v)) for v > 0, exactly.
long decimal_exponent(const Rational& v) {
  // Estimate from bit sizes, then correct by exact comparison.
  long bits = static_cast<long>(mpz_sizeinbase(numerator(v).backend().data(), 2)) -
              static_cast<long>(mpz_sizeinbase(denominator(v).backend().data(), 2));
  long e = static_cast<long>(std::floor(static_cast<double>(bits) * 0.30102999566398120));
  auto power = [](long k) { return k >= 0 ? Rational(ten_to(k)) : Rational(Integer(1), ten_to(-k)); };
  while (power(e) > v) --e;
  while (power(e + 1) <= v) ++e;
  return e;
}

}  // namespace

Interval::Interval(Precision precision) {
  mpfi_init2(value_, precision);
  mpfi_set_ui(value_, 0);
}

Interval::Interval(const Rational& exact, Precision precision) {
  mpfi_init2(value_, precision);
  mpfi_set_q(value_, exact.backend().data());
}

Interval::Interval(const Rational& lower, const Rational& upper, Precision precision) {
  if (lower > upper) throw Error::internal("Interval: lower endpoint above upper endpoint");
  mpfi_init2(value_, precision);
  mpfi_interv_q(value_, lower.backend().data(), upper.backend().data());
}

Interval::Interval(const Interval& other) {
  mpfi_init2(value_, other.precision());
  mpfi_set(value_, other.value_);
}

Interval::Interval(Interval&& other) noexcept {
  mpfi_init2(value_, other.precision());
  mpfi_swap(value_, other.value_);
}

Interval& Interval::operator=(const Interval& other) {
  if (this != &other) {
    mpfi_set_prec(value_, other.precision());
    mpfi_set(value_, other.value_);
  }
  return *this;
}

Interval& Interval::operator=(Interval&& other) noexcept {
  mpfi_swap(value_, other.value_);
  return *this;
}

Interval::~Interval() { mpfi_clear(value_); }

Precision Interval::precision() const { return mpfi_get_prec(value_); }
Rational Interval::lower() const { return mpfr_to_rational(&value_->left); }
Rational Interval::upper() const { return mpfr_to_rational(&value_->right); }

bool Interval::contains(const Rational& value) const {
  if (!is_bounded()) return !mpfi_nan_p(value_);
  return lower() <= value && value <= upper();
}

bool Interval::is_bounded() const { return mpfi_bounded_p(value_) != 0; }
bool Interval::is_positive() const { return is_bounded() && mpfr_sgn(&value_->left) > 0; }
bool Interval::is_nonnegative() const { return is_bounded() && mpfr_sgn(&value_->left) >= 0; }
bool Interval::is_negative() const { return is_bounded() && mpfr_sgn(&value_->right) < 0; }

double Interval::relative_width() const {
  if (!is_bounded()) return INFINITY;
  double lo = mpfr_get_d(&value_->left, MPFR_RNDD), hi = mpfr_get_d(&value_->right, MPFR_RNDU);
  double mid = std::fabs(0.5 * (lo + hi));
  return mid == 0.0 ? hi - lo : (hi - lo) / mid;
}

double Interval::midpoint_double() const {
  double lo = mpfr_get_d(&value_->left, MPFR_RNDN), hi = mpfr_get_d(&value_->right, MPFR_RNDN);
  return 0.5 * (lo + hi);
}

std::string Interval::to_decimal(int digits) const {
  if (!is_bounded()) return "[-inf, inf]";
  return "[" + rational_to_decimal(lower(), digits, false) + ", " + rational_to_decimal(upper(), digits, true) + "]";
}

Interval operator+(const Interval& a, const Interval& b) {
  Interval r(max_precision(a, b));
  mpfi_add(r.raw(), a.raw(), b.raw());
  return r;
}
Interval operator-(const Interval& a, const Interval& b) {
  Interval r(max_precision(a, b));
  mpfi_sub(r.raw(), a.raw(), b.raw());
  return r;
}
Interval operator*(const Interval& a, const Interval& b) {
  Interval r(max_precision(a, b));
  mpfi_mul(r.raw(), a.raw(), b.raw());
  return r;
}
Interval operator/(const Interval& a, const Interval& b) {
  Interval r(max_precision(a, b));
  if (mpfi_has_zero(b.raw())) {
    mpfr_set_inf(&r.raw()->left, -1);
    mpfr_set_inf(&r.raw()->right, 1);
    return r;
  }
  mpfi_div(r.raw(), a.raw(), b.raw());
  return r;
}
Interval operator-(const Interval& a) {
  Interval r(a.precision());
  mpfi_neg(r.raw(), a.raw());
  return r;
}

Interval log2(const Interval& x) {
  Interval r(x.precision());
  if (!x.is_positive()) {
    mpfr_set_inf(&r.raw()->left, -1);
    mpfr_set_inf(&r.raw()->right, 1);
    return r;
  }
  mpfi_log2(r.raw(), x.raw());
  return r;
}

Interval log2_of(const Rational& q, Precision precision) {
  if (q <= 0) throw Error::internal("log2_of: argument must be positive");
  return log2(Interval(q, precision));
}

Interval x_log2_x(const Rational& x, Precision precision) {
  if (x < 0) throw Error::internal("x_log2_x: argument must be nonnegative");
  if (x == 0) return Interval(precision);
  return Interval(x, precision) * log2_of(x, precision);
}

Interval hull(const Interval& a, const Interval& b) {
  Interval r(max_precision(a, b));
  mpfi_union(r.raw(), a.raw(), b.raw());
  return r;
}

std::string rational_to_decimal(const Rational& value, int digits, bool round_up) {
  if (digits < 1) digits = 1;
  if (value == 0) return "0";
  bool negative = value < 0;
  Rational magnitude = negative ? Rational(-value) : value;
  long e = decimal_exponent(magnitude);
  long shift = static_cast<long>(digits) - 1 - e;
  Rational scaled = shift >= 0 ? Rational(magnitude * ten_to(shift)) : Rational(magnitude / ten_to(-shift));
  // Rounding the magnitude up means rounding the signed value away from zero.
  bool magnitude_up = negative ? !round_up : round_up;
  Integer mantissa = magnitude_up ? ceil_of(scaled) : floor_of(scaled);
  std::string m = mantissa.str();
  if (static_cast<int>(m.size()) > digits) {  // e.g. 9.99 rounded up to 10.0
    ++e;
    m = m.substr(0, static_cast<std::size_t>(digits));
  }
  std::string out = negative ? "-" : "";
  out += m.substr(0, 1);
  if (m.size() > 1) out += "." + m.substr(1);
  if (e != 0) out += "e" + std::to_string(e);
  return out;
}

}  // namespace recallbound
