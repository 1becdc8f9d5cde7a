#include "kernel/script_term.hpp"

#include <algorithm>

namespace recallbound::kernel::script {

std::string VarRef::key() const {
  switch (kind) {
    case Kind::plain: return name;
    case Kind::member: return name + "[" + index + "]";
    case Kind::block: return name + "[1.." + index + "]";
  }
  return name;
}

bool MonomialLess::operator()(const Monomial& a, const Monomial& b) const {
  if (a.size() != b.size()) return a.size() < b.size();
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i]->key != b[i]->key) return a[i]->key < b[i]->key;
  return false;
}

namespace {

void sort_monomial(Monomial& monomial) {
  std::sort(monomial.begin(), monomial.end(), [](const AtomPtr& x, const AtomPtr& y) { return x->key < y->key; });
}

bool atom_mentions(const Atom& atom, const std::string& index) {
  switch (atom.kind) {
    case AtomKind::symbol: return atom.index == index;
    case AtomKind::entropy:
      return std::any_of(atom.vars.begin(), atom.vars.end(),
                         [&](const VarRef& v) { return v.kind == VarRef::Kind::member && v.index == index; });
    case AtomKind::log2:
    case AtomKind::h2: return free_indices(*atom.arg).count(index) > 0;
    case AtomKind::sum: return atom.index != index && free_indices(*atom.arg).count(index) > 0;
  }
  return false;
}

std::string monomial_text(const Monomial& monomial) {
  std::string text;
  for (const auto& atom : monomial) text += (text.empty() ? "" : "*") + atom->key;
  return text;
}

}  // namespace

Poly Poly::constant(const Rational& value) {
  Poly p;
  p.add_term({}, value);
  return p;
}

Poly Poly::of(const AtomPtr& atom) {
  Poly p;
  p.add_term({atom}, Rational(1));
  return p;
}

void Poly::add_term(Monomial monomial, const Rational& coefficient) {
  if (coefficient == 0) return;
  sort_monomial(monomial);
  auto [it, inserted] = terms_.emplace(std::move(monomial), coefficient);
  if (!inserted) {
    it->second += coefficient;
    if (it->second == 0) terms_.erase(it);
  }
}

Poly& Poly::operator+=(const Poly& other) {
  for (const auto& [monomial, coefficient] : other.terms_) add_term(monomial, coefficient);
  return *this;
}

Poly& Poly::operator-=(const Poly& other) {
  for (const auto& [monomial, coefficient] : other.terms_) add_term(monomial, -coefficient);
  return *this;
}

Poly operator*(const Poly& a, const Poly& b) {
  Poly product;
  for (const auto& [ma, ca] : a.terms_)
    for (const auto& [mb, cb] : b.terms_) {
      Monomial m = ma;
      m.insert(m.end(), mb.begin(), mb.end());
      product.add_term(std::move(m), ca * cb);
    }
  return product;
}

Poly Poly::scaled(const Rational& factor) const { return *this * constant(factor); }

std::optional<Rational> Poly::as_constant() const {
  if (terms_.empty()) return Rational(0);
  if (terms_.size() == 1 && terms_.begin()->first.empty()) return terms_.begin()->second;
  return std::nullopt;
}

std::string Poly::text() const {
  if (terms_.empty()) return "0";
  std::string text;
  for (const auto& [monomial, coefficient] : terms_) {
    const bool negative = coefficient < 0;
    const Rational magnitude = negative ? Rational(-coefficient) : coefficient;
    if (text.empty()) text += negative ? "-" : "";
    else text += negative ? " - " : " + ";
    if (monomial.empty()) text += to_exact_string(magnitude);
    else if (magnitude == 1) text += monomial_text(monomial);
    else text += to_exact_string(magnitude) + "*" + monomial_text(monomial);
  }
  return text;
}

AtomPtr symbol_atom(const std::string& name, const std::string& index) {
  auto atom = std::make_shared<Atom>();
  atom->kind = AtomKind::symbol;
  atom->name = name;
  atom->index = index;
  atom->key = index.empty() ? name : name + "[" + index + "]";
  return atom;
}

Poly entropy_of(std::vector<VarRef> vars) {
  std::sort(vars.begin(), vars.end(), [](const VarRef& a, const VarRef& b) { return a.key() < b.key(); });
  vars.erase(std::unique(vars.begin(), vars.end(), [](const VarRef& a, const VarRef& b) { return a.key() == b.key(); }),
             vars.end());
  if (vars.empty()) return {};
  auto atom = std::make_shared<Atom>();
  atom->kind = AtomKind::entropy;
  std::string inside;
  for (const auto& v : vars) inside += (inside.empty() ? "" : ",") + v.key();
  atom->key = "H(" + inside + ")";
  atom->vars = std::move(vars);
  return Poly::of(atom);
}

namespace {
Poly function_of(AtomKind kind, const std::string& name, const Poly& argument) {
  auto atom = std::make_shared<Atom>();
  atom->kind = kind;
  atom->arg = std::make_shared<const Poly>(argument);
  atom->key = name + "(" + argument.text() + ")";
  return Poly::of(atom);
}
}  // namespace

Poly log2_of(const Poly& argument) { return function_of(AtomKind::log2, "log2", argument); }
Poly h2_of(const Poly& argument) { return function_of(AtomKind::h2, "h2", argument); }

Poly sum_of(const std::string& index, const Poly& upper, const Poly& body) {
  Poly result;
  for (const auto& [monomial, coefficient] : body.terms()) {
    Monomial inside, outside;
    for (const auto& atom : monomial) (atom_mentions(*atom, index) ? inside : outside).push_back(atom);
    Poly outer;
    outer.add_term(outside, coefficient);
    if (inside.empty()) {
      result += outer * upper;  // sum of N equal terms
      continue;
    }
    Poly inner;
    inner.add_term(inside, Rational(1));
    auto atom = std::make_shared<Atom>();
    atom->kind = AtomKind::sum;
    atom->index = index;
    atom->arg = std::make_shared<const Poly>(inner);
    atom->upper = std::make_shared<const Poly>(upper);
    atom->key = "sum[" + index + "=1.." + upper.text() + "](" + inner.text() + ")";
    result += outer * Poly::of(atom);
  }
  return result;
}

std::set<std::string> free_indices(const Poly& poly) {
  std::set<std::string> found;
  for (const auto& [monomial, coefficient] : poly.terms())
    for (const auto& atom : monomial) {
      switch (atom->kind) {
        case AtomKind::symbol:
          if (!atom->index.empty()) found.insert(atom->index);
          break;
        case AtomKind::entropy:
          for (const auto& v : atom->vars)
            if (v.kind == VarRef::Kind::member) found.insert(v.index);
          break;
        case AtomKind::log2:
        case AtomKind::h2: {
          auto inner = free_indices(*atom->arg);
          found.insert(inner.begin(), inner.end());
          break;
        }
        case AtomKind::sum: {
          auto inner = free_indices(*atom->arg);
          inner.erase(atom->index);
          found.insert(inner.begin(), inner.end());
          break;
        }
      }
    }
  return found;
}

Poly substitute(const Poly& poly, const std::map<std::string, Rational>& values) {
  Poly result;
  for (const auto& [monomial, coefficient] : poly.terms()) {
    Poly product = Poly::constant(coefficient);
    for (const auto& atom : monomial) {
      Poly factor;
      switch (atom->kind) {
        case AtomKind::symbol: {
          auto it = atom->index.empty() ? values.find(atom->name) : values.end();
          factor = it != values.end() ? Poly::constant(it->second) : Poly::of(atom);
          break;
        }
        case AtomKind::entropy: factor = Poly::of(atom); break;
        case AtomKind::log2: factor = log2_of(substitute(*atom->arg, values)); break;
        case AtomKind::h2: factor = h2_of(substitute(*atom->arg, values)); break;
        case AtomKind::sum:
          factor = sum_of(atom->index, substitute(*atom->upper, values), substitute(*atom->arg, values));
          break;
      }
      product = product * factor;
    }
    result += product;
  }
  return result;
}

Closed to_log_form(const Poly& poly) {
  LogForm total;
  for (const auto& [monomial, coefficient] : poly.terms()) {
    if (monomial.empty()) {
      total += LogForm::constant(coefficient);
      continue;
    }
    const Atom& atom = *monomial.front();
    const bool single_function = monomial.size() == 1 && (atom.kind == AtomKind::log2 || atom.kind == AtomKind::h2);
    const auto argument = single_function ? atom.arg->as_constant() : std::nullopt;
    if (!argument) return {std::nullopt, "the term '" + poly.text() + "' is not a closed number (it contains '" +
                                             monomial_text(monomial) + "')"};
    const Rational& a = *argument;
    if (atom.kind == AtomKind::log2) {
      if (a <= 0) return {std::nullopt, "log2(" + to_exact_string(a) + ") is undefined: its argument must be > 0"};
      total += LogForm::log2_of(a, coefficient);
    } else {
      if (a < 0 || a > 1) return {std::nullopt, "h2(" + to_exact_string(a) + ") is undefined: its argument must lie in [0, 1]"};
      if (a == 0 || a == 1) continue;  // h2(0) = h2(1) = 0
      total += LogForm::log2_of(a, -coefficient * a);
      total += LogForm::log2_of(Rational(1) - a, -coefficient * (Rational(1) - a));
    }
  }
  return {total, ""};
}

}  // namespace recallbound::kernel::script
