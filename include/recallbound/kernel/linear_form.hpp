#pragma once
// Linear information expressions in joint-entropy coordinates: sum over nonempty variable sets S
// of c_S * H(S), with exact rational coefficients. Every H/I expression, constraint component and
// proof term is expanded into this one representation, so equality of expressions is equality of
// coefficient maps.
#include "recallbound/exact/number.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace recallbound::kernel {

/// A set of random variables as a bit mask over the problem's variable list (bit i = variable i).
using VariableSet = std::uint64_t;
/// Masks are 64 bits; two bits stay free so that 1 << n never overflows.
inline constexpr std::size_t max_variables = 62;

class LinearForm {
 public:
  LinearForm() = default;
  /// The coordinate H(S); H(empty set) = 0 gives the zero form.
  static LinearForm entropy(VariableSet set);
  /// H(S|T) = H(S u T) - H(T).
  static LinearForm conditional_entropy(VariableSet set, VariableSet given);
  /// I(S;T|U) = H(S u U) + H(T u U) - H(S u T u U) - H(U).
  static LinearForm mutual_information(VariableSet first, VariableSet second, VariableSet given);

  void add(VariableSet set, const Rational& coefficient);
  void add_scaled(const LinearForm& other, const Rational& factor);
  [[nodiscard]] LinearForm scaled(const Rational& factor) const;
  [[nodiscard]] LinearForm operator-() const { return scaled(Rational(-1)); }
  [[nodiscard]] LinearForm operator+(const LinearForm& other) const;
  [[nodiscard]] LinearForm operator-(const LinearForm& other) const;
  bool operator==(const LinearForm& other) const { return coefficients_ == other.coefficients_; }

  [[nodiscard]] bool is_zero() const { return coefficients_.empty(); }
  /// Nonzero coefficients only, ordered by mask.
  [[nodiscard]] const std::map<VariableSet, Rational>& coefficients() const { return coefficients_; }
  /// Union of all sets with a nonzero coefficient.
  [[nodiscard]] VariableSet support() const;
  /// Value at an entropy vector given as a function of the set.
  template <class Point>
  [[nodiscard]] Rational evaluate(const Point& h) const {
    Rational total = 0;
    for (const auto& [set, coefficient] : coefficients_) total += coefficient * h(set);
    return total;
  }

 private:
  std::map<VariableSet, Rational> coefficients_;
};

/// `A,B` for a set over `names` (declaration order).
std::string set_text(VariableSet set, const std::vector<std::string>& names);
/// Readable form in entropy coordinates, e.g. `H(A,B) - 2*H(B)`; `0` for the zero form.
std::string form_text(const LinearForm& form, const std::vector<std::string>& names);

}  // namespace recallbound::kernel
