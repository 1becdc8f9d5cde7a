#include "recallbound/kernel/linear_form.hpp"

namespace recallbound::kernel {

LinearForm LinearForm::entropy(VariableSet set) {
  LinearForm form;
  form.add(set, Rational(1));
  return form;
}

LinearForm LinearForm::conditional_entropy(VariableSet set, VariableSet given) {
  LinearForm form;
  form.add(set | given, Rational(1));
  form.add(given, Rational(-1));
  return form;
}

LinearForm LinearForm::mutual_information(VariableSet first, VariableSet second, VariableSet given) {
  LinearForm form;
  form.add(first | given, Rational(1));
  form.add(second | given, Rational(1));
  form.add(first | second | given, Rational(-1));
  form.add(given, Rational(-1));
  return form;
}

void LinearForm::add(VariableSet set, const Rational& coefficient) {
  if (set == 0 || coefficient == 0) return;  // H(empty) = 0
  auto [it, inserted] = coefficients_.try_emplace(set, coefficient);
  if (inserted) return;
  it->second += coefficient;
  if (it->second == 0) coefficients_.erase(it);
}

void LinearForm::add_scaled(const LinearForm& other, const Rational& factor) {
  if (factor == 0) return;
  for (const auto& [set, coefficient] : other.coefficients_) add(set, coefficient * factor);
}

LinearForm LinearForm::scaled(const Rational& factor) const {
  LinearForm result;
  result.add_scaled(*this, factor);
  return result;
}

LinearForm LinearForm::operator+(const LinearForm& other) const {
  LinearForm result = *this;
  result.add_scaled(other, Rational(1));
  return result;
}

LinearForm LinearForm::operator-(const LinearForm& other) const {
  LinearForm result = *this;
  result.add_scaled(other, Rational(-1));
  return result;
}

VariableSet LinearForm::support() const {
  VariableSet all = 0;
  for (const auto& entry : coefficients_) all |= entry.first;
  return all;
}

std::string set_text(VariableSet set, const std::vector<std::string>& names) {
  std::string text;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (((set >> i) & 1U) == 0) continue;
    if (!text.empty()) text += ',';
    text += names[i];
  }
  return text;
}

std::string form_text(const LinearForm& form, const std::vector<std::string>& names) {
  if (form.is_zero()) return "0";
  std::string text;
  for (const auto& [set, coefficient] : form.coefficients()) {
    const bool negative = coefficient < 0;
    const Rational magnitude = negative ? Rational(-coefficient) : coefficient;
    if (text.empty()) {
      if (negative) text += "-";
    } else {
      text += negative ? " - " : " + ";
    }
    if (magnitude != 1) text += to_exact_string(magnitude) + "*";
    text += "H(" + set_text(set, names) + ")";
  }
  return text;
}

}  // namespace recallbound::kernel
