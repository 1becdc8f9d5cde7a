#include "recallbound/exact/log_form.hpp"

#include "recallbound/error.hpp"

#include <algorithm>

namespace recallbound {
namespace {

constexpr Precision first_precision = 64;

Integer gcd_of(const Integer& a, const Integer& b) {
  Integer g;
  mpz_gcd(g.backend().data(), a.backend().data(), b.backend().data());
  return g;
}

// A coprime base of `inputs` (each > 0): pairwise coprime integers > 1 such that every input is a
// product of powers of them. Splitting x and b by g = gcd(x, b) keeps both expressible and strictly
// lowers the product of all pending numbers, so the loop ends.
std::vector<Integer> coprime_base(const std::vector<Integer>& inputs) {
  std::vector<Integer> base;
  std::vector<Integer> pending(inputs.begin(), inputs.end());
  while (!pending.empty()) {
    Integer x = pending.back();
    pending.pop_back();
    if (x == 1) continue;
    bool split = false;
    for (std::size_t i = 0; i < base.size(); ++i) {
      Integer g = gcd_of(x, base[i]);
      if (g == 1) continue;
      Integer b = base[i];
      base.erase(base.begin() + static_cast<std::ptrdiff_t>(i));
      pending.push_back(g);
      pending.push_back(b / g);
      pending.push_back(x / g);
      split = true;
      break;
    }
    if (!split) base.push_back(x);
  }
  return base;
}

// Exponent of base element b in n, where n is a product of powers of pairwise coprime bases.
Integer multiplicity(Integer& n, const Integer& b) {
  Integer count = 0;
  while (n % b == 0) {
    n /= b;
    ++count;
  }
  return count;
}

}  // namespace

LogForm LogForm::constant(const Rational& c) {
  LogForm form;
  form.constant_ = c;
  return form;
}

LogForm LogForm::log2_of(const Rational& argument, const Rational& coefficient) {
  if (argument <= 0) throw Error::internal("LogForm::log2_of: argument must be positive, got " + to_exact_string(argument));
  LogForm form;
  if (coefficient != 0 && argument != 1) form.terms_.emplace_back(coefficient, argument);
  return form;
}

LogForm& LogForm::operator+=(const LogForm& other) {
  constant_ += other.constant_;
  for (const auto& [coefficient, argument] : other.terms_) {
    auto same = std::find_if(terms_.begin(), terms_.end(), [&](const auto& t) { return t.second == argument; });
    if (same == terms_.end()) {
      terms_.emplace_back(coefficient, argument);
    } else {
      same->first += coefficient;
      if (same->first == 0) terms_.erase(same);
    }
  }
  return *this;
}

LogForm& LogForm::operator-=(const LogForm& other) {
  LogForm negated = other;
  negated *= Rational(-1);
  return *this += negated;
}

LogForm& LogForm::operator*=(const Rational& factor) {
  if (factor == 0) {
    constant_ = 0;
    terms_.clear();
    return *this;
  }
  constant_ *= factor;
  for (auto& term : terms_) term.first *= factor;
  return *this;
}

Interval LogForm::enclose(Precision precision) const {
  Interval sum(constant_, precision);
  for (const auto& [coefficient, argument] : terms_)
    sum = sum + Interval(coefficient, precision) * recallbound::log2_of(argument, precision);
  return sum;
}

std::optional<Rational> LogForm::exact_rational() const {
  if (terms_.empty()) return constant_;
  std::vector<Integer> integers{Integer(2)};
  for (const auto& term : terms_) {
    integers.push_back(numerator(term.second));
    integers.push_back(denominator(term.second));
  }
  std::vector<Integer> base = coprime_base(integers);
  // value = constant + sum_b c_b log2(b); 2 is a base element and every other one is odd, so the
  // log2 of the odd ones are linearly independent over Q together with 1: rational iff their c_b vanish.
  Rational rational_part = constant_;
  for (const Integer& b : base) {
    Rational c_b = 0;
    for (const auto& [coefficient, argument] : terms_) {
      Integer num = numerator(argument), den = denominator(argument);
      Integer exponent = multiplicity(num, b) - multiplicity(den, b);
      c_b += coefficient * exponent;
    }
    if (b == 2)
      rational_part += c_b;
    else if (c_b != 0)
      return std::nullopt;
  }
  return rational_part;
}

int LogForm::sign(DecisionTrace* trace, Precision max_precision) const {
  if (terms_.empty()) return constant_ > 0 ? 1 : (constant_ < 0 ? -1 : 0);
  bool tested = false;
  for (Precision precision = first_precision; precision <= max_precision; precision *= 2) {
    if (trace) trace->precision_bits = std::max(trace->precision_bits, precision);
    Interval value = enclose(precision);
    if (value.is_positive()) return 1;
    if (value.is_negative()) return -1;
    if (!tested) {
      tested = true;
      if (trace) trace->used_exact_zero_test = true;
      if (auto exact = exact_rational()) return *exact > 0 ? 1 : (*exact < 0 ? -1 : 0);
    }
  }
  throw Error::limit("sign of " + to_string() + " undecided at " + std::to_string(max_precision) + " bits");
}

std::string LogForm::to_string() const {
  std::string out;
  if (constant_ != 0 || terms_.empty()) out = to_exact_string(constant_);
  for (const auto& [coefficient, argument] : terms_) {
    bool negative = coefficient < 0;
    Rational magnitude = negative ? Rational(-coefficient) : coefficient;
    if (!out.empty()) out += negative ? " - " : " + ";
    else if (negative) out += "-";
    if (magnitude != 1) out += to_exact_string(magnitude) + "*";
    out += "log2(" + to_exact_string(argument) + ")";
  }
  return out;
}

Integer floor_exact(const LogForm& x, DecisionTrace* trace) {
  return floor_ratio_exact(x, LogForm::constant(Rational(1)), trace);
}

Integer ceil_exact(const LogForm& x, DecisionTrace* trace) {
  return -floor_exact(x * Rational(-1), trace);
}

Integer floor_ratio_exact(const LogForm& num, const LogForm& den, DecisionTrace* trace) {
  constexpr Precision max_precision = Precision(1) << 20;
  std::optional<Integer> tested_candidate;
  for (Precision precision = first_precision; precision <= max_precision; precision *= 2) {
    if (trace) trace->precision_bits = std::max(trace->precision_bits, precision);
    Interval denominator_value = den.enclose(precision);
    if (!denominator_value.is_positive()) {
      if (den.sign(trace) <= 0) throw Error::internal("floor_ratio_exact: denominator is not positive");
      continue;
    }
    Interval ratio = num.enclose(precision) / denominator_value;
    Rational lower = ratio.lower(), upper = ratio.upper();
    Integer floor_lower = floor_of(lower);
    if (upper < Rational(floor_lower + 1)) return floor_lower;
    // The enclosure straddles an integer j. If it is the only one, test num == j * den exactly.
    Integer j = floor_lower + 1;
    if (upper < Rational(j + 1) && tested_candidate != j) {
      tested_candidate = j;
      if (trace) trace->used_exact_zero_test = true;
      if ((num - den * Rational(j)).is_zero()) return j;
    }
  }
  throw Error::limit("floor of (" + num.to_string() + ") / (" + den.to_string() + ") undecided at " +
                     std::to_string(max_precision) + " bits");
}

}  // namespace recallbound
