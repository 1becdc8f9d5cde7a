#pragma once
// Terms of proof scripts (proofs/README.md, "Proof scripts"): polynomials with exact rational
// coefficients over atoms -- symbols (N, eps, e[i]), joint entropies H{X[1..N],Y[i]}, log2(t),
// h2(t) and sums sum[i=1..N](t). Every term is kept in one canonical form, so two terms are equal
// exactly when their canonical texts are equal; closed terms convert to exact LogForms.
#include "recallbound/exact/log_form.hpp"

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace recallbound::kernel::script {

/// A reference to a random variable: `S`, a member `X[i]` of a family, or the block `X[1..N]`.
struct VarRef {
  enum class Kind { plain, member, block };
  std::string name;
  Kind kind = Kind::plain;
  std::string index;  // member: the index name; block: the upper bound's text
  [[nodiscard]] std::string key() const;
};

class Poly;
enum class AtomKind { symbol, entropy, log2, h2, sum };

struct Atom {
  AtomKind kind = AtomKind::symbol;
  std::string key;                    // canonical text; atoms are compared by it
  std::string name;                   // symbol name
  std::string index;                  // symbol: member index or empty; sum: the bound index
  std::vector<VarRef> vars;           // entropy: sorted by key, distinct
  std::shared_ptr<const Poly> arg;    // log2/h2 argument, sum body
  std::shared_ptr<const Poly> upper;  // sum upper bound (lower bound is 1)
};
using AtomPtr = std::shared_ptr<const Atom>;
using Monomial = std::vector<AtomPtr>;  // sorted by key; repeats allowed (powers)

struct MonomialLess {
  bool operator()(const Monomial& a, const Monomial& b) const;
};

class Poly {
 public:
  Poly() = default;
  static Poly constant(const Rational& value);
  static Poly of(const AtomPtr& atom);

  void add_term(Monomial monomial, const Rational& coefficient);
  Poly& operator+=(const Poly& other);
  Poly& operator-=(const Poly& other);
  friend Poly operator+(Poly a, const Poly& b) { return a += b; }
  friend Poly operator-(Poly a, const Poly& b) { return a -= b; }
  friend Poly operator*(const Poly& a, const Poly& b);
  [[nodiscard]] Poly scaled(const Rational& factor) const;

  [[nodiscard]] bool is_zero() const { return terms_.empty(); }
  [[nodiscard]] std::optional<Rational> as_constant() const;
  [[nodiscard]] const std::map<Monomial, Rational, MonomialLess>& terms() const { return terms_; }
  /// Canonical, readable and re-parsable, e.g. `N*log2(V) - h2(eps)`; `0` for zero.
  [[nodiscard]] std::string text() const;
  bool operator==(const Poly& other) const { return text() == other.text(); }

 private:
  std::map<Monomial, Rational, MonomialLess> terms_;
};

AtomPtr symbol_atom(const std::string& name, const std::string& index);
/// H of a set of variables (the zero term for the empty set).
Poly entropy_of(std::vector<VarRef> vars);
Poly log2_of(const Poly& argument);
Poly h2_of(const Poly& argument);
/// sum over index = 1..upper of body, normalised: linear in the body, factors free of the index
/// pulled out, and a body free of the index becomes upper * body.
Poly sum_of(const std::string& index, const Poly& upper, const Poly& body);

/// Index names occurring outside any sum that binds them.
std::set<std::string> free_indices(const Poly& poly);
/// Replace plain symbols by values (indexed symbols are kept).
Poly substitute(const Poly& poly, const std::map<std::string, Rational>& values);

/// A closed term (no symbols, entropies or sums) as an exact LogForm; `problem` explains failure.
struct Closed {
  std::optional<LogForm> value;
  std::string problem;
};
Closed to_log_form(const Poly& poly);

}  // namespace recallbound::kernel::script
