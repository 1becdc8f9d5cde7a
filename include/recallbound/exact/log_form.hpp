#pragma once
// Exact reals of the form  c0 + sum_i c_i * log2(a_i)  (rational c_i, positive rational a_i).
// Every quantity the recall bound needs is one: D(eps, V), the bits of a number format, covering
// and Gaussian-channel bits, N * D. Their sign and their floor/ceil are decided exactly: by
// outward-rounded enclosures at rising precision, and by an exact zero test (after splitting all
// arguments over a coprime base, the logs of distinct odd bases are linearly independent over Q).
#include "recallbound/exact/interval.hpp"
#include "recallbound/exact/number.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace recallbound {

/// How an exact decision was reached, for derivations in JSON output.
struct DecisionTrace {
  Precision precision_bits = 0;  // highest precision used (0 when settled without enclosures)
  bool used_exact_zero_test = false;
};

class LogForm {
 public:
  LogForm() = default;  // the value 0
  static LogForm constant(const Rational& c);
  /// coefficient * log2(argument); argument must be > 0.
  static LogForm log2_of(const Rational& argument, const Rational& coefficient = Rational(1));

  LogForm& operator+=(const LogForm& other);
  LogForm& operator-=(const LogForm& other);
  LogForm& operator*=(const Rational& factor);
  friend LogForm operator+(LogForm a, const LogForm& b) { return a += b; }
  friend LogForm operator-(LogForm a, const LogForm& b) { return a -= b; }
  friend LogForm operator*(LogForm a, const Rational& k) { return a *= k; }
  friend LogForm operator*(const Rational& k, LogForm a) { return a *= k; }

  /// Contains the exact value.
  [[nodiscard]] Interval enclose(Precision precision) const;
  /// The exact rational value when the form equals one (decided exactly), else nothing.
  [[nodiscard]] std::optional<Rational> exact_rational() const;
  [[nodiscard]] bool is_zero() const { return exact_rational() == Rational(0); }
  /// Exact sign (-1, 0, 1). Throws Error::limit if undecided at `max_precision` bits.
  [[nodiscard]] int sign(DecisionTrace* trace = nullptr, Precision max_precision = 1 << 20) const;

  [[nodiscard]] const Rational& constant_part() const { return constant_; }
  [[nodiscard]] const std::vector<std::pair<Rational, Rational>>& log_terms() const { return terms_; }
  /// Human-readable, e.g. "13 - 3/100*log2(3) + log2(7/2)".
  [[nodiscard]] std::string to_string() const;

 private:
  Rational constant_;
  std::vector<std::pair<Rational, Rational>> terms_;  // (coefficient, argument)
};

/// floor(x) and ceil(x), exact.
Integer floor_exact(const LogForm& x, DecisionTrace* trace = nullptr);
Integer ceil_exact(const LogForm& x, DecisionTrace* trace = nullptr);
/// floor(num / den) for den > 0 (decided exactly); throws Error::internal if den <= 0.
Integer floor_ratio_exact(const LogForm& num, const LogForm& den, DecisionTrace* trace = nullptr);

}  // namespace recallbound
