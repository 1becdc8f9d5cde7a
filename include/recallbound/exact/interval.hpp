#pragma once
// Outward-rounded real enclosures (MPFI). Every operation's contract: the returned interval
// contains every real value the exact operation takes on the operands' enclosed values.
// Precision is explicit on each value, never a thread-local default.
#include "recallbound/exact/number.hpp"

#include <mpfi.h>

#include <string>

namespace recallbound {

using Precision = mpfr_prec_t;

class Interval {
 public:
  /// [0, 0] at `precision` bits.
  explicit Interval(Precision precision);
  /// The tightest enclosure of an exact rational at `precision` bits.
  Interval(const Rational& exact, Precision precision);
  /// [lower, upper] rounded outward to `precision` bits; requires lower <= upper.
  Interval(const Rational& lower, const Rational& upper, Precision precision);
  Interval(const Interval& other);
  Interval(Interval&& other) noexcept;
  Interval& operator=(const Interval& other);
  Interval& operator=(Interval&& other) noexcept;
  ~Interval();

  [[nodiscard]] Precision precision() const;
  /// Exact endpoints (MPFR values are dyadic rationals, so this loses nothing).
  [[nodiscard]] Rational lower() const;
  [[nodiscard]] Rational upper() const;
  [[nodiscard]] bool contains(const Rational& value) const;
  /// Both endpoints finite (no NaN, no infinity).
  [[nodiscard]] bool is_bounded() const;
  /// True when every enclosed value is > 0 (resp. >= 0, < 0).
  [[nodiscard]] bool is_positive() const;
  [[nodiscard]] bool is_nonnegative() const;
  [[nodiscard]] bool is_negative() const;
  /// Relative width (upper - lower) / |midpoint| as a double, for reporting only.
  [[nodiscard]] double relative_width() const;
  /// Midpoint as a double, for display only.
  [[nodiscard]] double midpoint_double() const;

  /// Decimal rendering "[lo, hi]" with `digits` significant digits, lo rounded down and hi up,
  /// so the printed interval still encloses the value.
  [[nodiscard]] std::string to_decimal(int digits) const;

  mpfi_ptr raw() { return value_; }
  mpfi_srcptr raw() const { return value_; }

  friend Interval operator+(const Interval& a, const Interval& b);
  friend Interval operator-(const Interval& a, const Interval& b);
  friend Interval operator*(const Interval& a, const Interval& b);
  /// Contains the quotient when b excludes 0; an unbounded interval otherwise.
  friend Interval operator/(const Interval& a, const Interval& b);
  friend Interval operator-(const Interval& a);

 private:
  mpfi_t value_;
};

/// Contains log2(x) for x > 0; unbounded if `x` reaches 0 or below.
Interval log2(const Interval& x);
/// Contains log2(q) for the exact rational q > 0, at `precision` bits.
Interval log2_of(const Rational& q, Precision precision);
/// Contains x * log2(x) with the convention 0 * log2(0) = 0, for 0 <= x.
Interval x_log2_x(const Rational& x, Precision precision);
/// Contains the hull of a and b.
Interval hull(const Interval& a, const Interval& b);

/// Decimal rendering of one exact rational: rounded down (`round_up` false) or up to `digits`
/// significant digits, e.g. "1.234e-5"; used for printing enclosure endpoints.
std::string rational_to_decimal(const Rational& value, int digits, bool round_up);

}  // namespace recallbound
