#pragma once
// Which elemental inequalities the givens force to 0, and why (see quotient.hpp): each zero has a
// derivation from which `negation` rebuilds  -elemental  as positive quantities plus uses of
// equality components, the form a certificate can carry.
#include "prover/shannon_lp.hpp"

#include <cstdint>
#include <map>
#include <optional>

namespace recallbound::prover::detail {

/// A recognised equality component: form = scale * (sum over parts of I(A;B|C)), or
/// form = scale * H(U|S) (functional dependence, `functional` true, no parts).
struct ZeroFact {
  std::size_t component = 0;
  Rational scale;
  struct Part {
    VariableSet a = 0, b = 0, c = 0;
  };
  std::vector<Part> parts;
  bool functional = false;
  VariableSet u = 0, s = 0;
};

/// Recognises the shapes above; nullopt for any other form.
std::optional<ZeroFact> recognise_zero_fact(const LinearForm& form, std::size_t component);

/// A nonnegative combination of quantities plus uses of components (a certificate fragment).
struct Expansion {
  std::map<Quantity, Rational> terms;
  std::map<std::size_t, Rational> uses;
  void add(const Expansion& other, const Rational& factor);
};

class ZeroClosure {
 public:
  ZeroClosure(std::size_t variables, const std::vector<ReducedComponent>& components);
  [[nodiscard]] bool is_zero(std::size_t elemental) const {
    return !reason_.empty() && reason_[elemental].kind != Kind::none;
  }
  [[nodiscard]] std::size_t count() const { return count_; }
  [[nodiscard]] const std::vector<Elemental>& elementals() const { return elementals_; }
  /// -elemental = negation(elemental) as forms, for a zero elemental.
  const Expansion& negation(std::size_t elemental);

 private:
  enum class Kind : std::uint8_t { none, part, functional, rule };
  // One per elemental (2 million at 16 variables), hence 32-bit fields; indices fit (< 2^32).
  struct Reason {
    Kind kind = Kind::none;
    std::uint32_t fact = 0, part = 0;                              // part, functional
    std::uint32_t known = 0, known_partner = 0, new_partner = 0;  // rule
  };
  void mark(std::size_t elemental, const Reason& reason);
  void mark_fact(std::size_t fact);
  void close();
  std::size_t pair(std::size_t i, std::size_t j, VariableSet given) const;

  std::size_t m_;
  VariableSet full_;
  std::vector<Elemental> elementals_;
  std::vector<ZeroFact> facts_;
  std::vector<Reason> reason_;
  std::vector<std::size_t> queue_;
  std::size_t count_ = 0;
  std::map<std::size_t, Expansion> negations_;
};

}  // namespace recallbound::prover::detail
