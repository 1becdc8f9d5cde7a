#pragma once
// A small exact expression language for state and compute formulas: numbers (integers,
// decimals, p/q via division), parameter names, the context length T, + - * / ^ with the
// usual precedence (^ binds tightest and is right-associative; its exponent must be an
// integer), parentheses, and min(a, b, ...), max(a, b, ...), ceil(x), floor(x).
// Everything is evaluated with exact rationals; nothing rounds.
#include "recallbound/exact/number.hpp"

#include <cstddef>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace recallbound::catalog {

/// Values of the names a formula may use (parameters, derived quantities, T).
using Bindings = std::map<std::string, Rational>;

namespace detail {
struct FormulaNode;
}

class Formula {
 public:
  /// Parses `text`. On a syntax error throws Error::bad_input:
  /// "<context>: column <c>: <what>: <text>" (columns count from 1).
  static Formula parse(const std::string& text, const std::string& context);

  /// Exact value with every name bound in `bindings`. Throws Error::bad_input naming `context`
  /// and the column for an unbound name, a division by zero, a non-integer or oversized exponent.
  [[nodiscard]] Rational evaluate(const Bindings& bindings, const std::string& context) const;

  /// Every name the formula reads (parameters and T), for validation at load time.
  [[nodiscard]] std::set<std::string> names() const;
  [[nodiscard]] const std::string& text() const { return text_; }

 private:
  std::string text_;
  std::shared_ptr<const detail::FormulaNode> root_;  // immutable, so copies may share it
};

/// True for names the language reserves (function names); parameters may not use them.
bool is_reserved_name(const std::string& name);
/// True when `name` is a valid identifier: a letter or '_' followed by letters, digits or '_'.
bool is_identifier(const std::string& name);

}  // namespace recallbound::catalog
