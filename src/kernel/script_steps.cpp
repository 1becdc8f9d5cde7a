// The rules that do arithmetic: Shannon-type steps (by certificate), linear combination and
// chaining with certified numeric remainders, and integer rounding of a numeric bound.
#include "kernel/script_rules.hpp"

#include "recallbound/error.hpp"

namespace recallbound::kernel::script {

namespace {

[[noreturn]] void fail(std::size_t column, const std::string& message) { throw RuleFailure{column, message}; }

/// Renames the variables of a Shannon step to v1, v2, ... for the certificate kernel.
class Renaming {
 public:
  std::string name(const VarRef& v) {
    auto [it, inserted] = names_.emplace(v.key(), "v" + std::to_string(names_.size() + 1));
    if (inserted) order_.push_back(v.key());
    return it->second;
  }
  std::string list(const std::vector<VarRef>& vars) {
    std::string text;
    for (const auto& v : vars) text += (text.empty() ? "" : ",") + name(v);
    return text;
  }
  /// A linear information form in the kernel's expression language; nothing else is allowed.
  std::optional<std::string> form(const Poly& poly) {
    std::string text = "0";
    for (const auto& [monomial, coefficient] : poly.terms()) {
      if (monomial.size() != 1 || monomial[0]->kind != AtomKind::entropy) return std::nullopt;
      const Rational magnitude = coefficient < 0 ? Rational(-coefficient) : coefficient;
      text += (coefficient < 0 ? " - " : " + ") + to_exact_string(magnitude) + "*H(" + list(monomial[0]->vars) + ")";
    }
    return text;
  }
  [[nodiscard]] std::vector<std::string> declared() const {
    std::vector<std::string> result;
    for (std::size_t i = 1; i <= order_.size(); ++i) result.push_back("v" + std::to_string(i));
    return result;
  }
  [[nodiscard]] const std::vector<std::string>& original() const { return order_; }

 private:
  std::map<std::string, std::string> names_;
  std::vector<std::string> order_;
};

/// The zero-forms a constraint claim stands for (each is >= 0 for all distributions).
std::vector<Poly> constraint_forms(const Claim& c) {
  auto join = [](std::vector<VarRef> a, const std::vector<VarRef>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
  };
  std::vector<Poly> forms;
  if (c.kind == ClaimKind::function) {
    forms.push_back(entropy_of(join(c.lists[0], c.lists[1])) - entropy_of(c.lists[1]));
  } else if (c.kind == ClaimKind::independent) {
    Poly form;
    std::vector<VarRef> all;
    for (const auto& list : c.lists) {
      form += entropy_of(list);
      all = join(all, list);
    }
    forms.push_back(form - entropy_of(all));
  } else if (c.kind == ClaimKind::markov) {
    std::vector<VarRef> past;
    for (std::size_t i = 1; i + 1 < c.lists.size(); ++i) {  // I(past ; next | current) = 0
      past = join(past, c.lists[i - 1]);
      const auto& current = c.lists[i];
      const auto& next = c.lists[i + 1];
      forms.push_back(entropy_of(join(past, current)) + entropy_of(join(next, current)) -
                      entropy_of(join(join(past, next), current)) - entropy_of(current));
    }
  }
  return forms;
}

std::string given_text(const Claim& c, Renaming& names) {
  switch (c.kind) {
    case ClaimKind::function: return names.list(c.lists[1]).empty() ? "" : names.list(c.lists[0]) + " : " + names.list(c.lists[1]);
    case ClaimKind::independent:
    case ClaimKind::markov: {
      std::string text;
      for (const auto& list : c.lists) text += (text.empty() ? "" : (c.kind == ClaimKind::markov ? " -> " : " || ")) + names.list(list);
      return text;
    }
    default: return "";
  }
}

}  // namespace

void RuleChecker::shannon(const Line& line) {
  const Claim& c = line.claim;
  Renaming names;
  // The goals: a relation, or each zero-form of a constraint proved <= 0.
  std::vector<std::string> goals;
  if (c.kind == ClaimKind::relation) {
    if (c.sense == Sense::gt) fail(line.column, "the shannon rule does not prove strict inequalities");
    const auto form = names.form(c.form);
    if (!form) fail(line.column, "the shannon rule proves linear information relations with numeric coefficients only: " + c.form.text());
    goals.push_back(*form + (c.sense == Sense::eq ? " = 0" : " >= 0"));
  } else if (c.kind == ClaimKind::function || c.kind == ClaimKind::independent || c.kind == ClaimKind::markov) {
    for (const auto& zero_form : constraint_forms(c)) goals.push_back(*names.form(zero_form) + " <= 0");
  } else {
    fail(line.column, "the shannon rule proves relations, independence, functions and Markov chains");
  }
  std::vector<std::string> givens;
  std::string cited_steps;
  for (const auto& citation : line.citations) {
    const Line& fact = cited(line, citation);
    cited_steps += (cited_steps.empty() ? "" : ", ") + std::to_string(fact.number);
    const Claim& f = fact.claim;
    if (f.kind == ClaimKind::relation) {
      const auto form = names.form(f.form);
      if (!form || f.sense == Sense::gt)
        fail(citation.column, "step " + std::to_string(fact.number) + " is not a linear information relation (>= or =)");
      givens.push_back(*form + (f.sense == Sense::eq ? " = 0" : " >= 0"));
    } else if (f.kind == ClaimKind::function || f.kind == ClaimKind::independent || f.kind == ClaimKind::markov) {
      givens.push_back(given_text(f, names));
    } else {
      fail(citation.column, "step " + std::to_string(fact.number) + " (" + claim_text(f) + ") cannot be used by the shannon rule");
    }
  }
  for (const auto& goal : goals) {
    Problem problem;
    try {
      problem = make_problem(goal, givens, names.declared());
    } catch (const Error& e) {
      fail(line.column, std::string("cannot state the Shannon problem: ") + e.what());
    }
    const std::optional<Certificate> certificate = certificates_(problem);
    if (!certificate) fail(line.rule_column, "no certificate for this Shannon step (the prover gave none)");
    const Verdict verdict = check_certificate(*certificate, problem);
    ++certificates_checked_;
    if (!verdict.verified) fail(line.rule_column, "the certificate for this Shannon step was rejected: " + verdict.failure);
    if (certificate->kind == CertificateKind::counterexample) {
      std::string point;
      std::size_t shown = 0;
      for (const auto& value : certificate->point) {
        if (value.value == 0) continue;
        if (++shown > 12) {
          point += ", ...";
          break;
        }
        std::string set;
        for (std::size_t i = 0; i < names.original().size(); ++i)
          if ((value.set >> i) & 1U) set += (set.empty() ? "" : ",") + names.original()[i];
        point += (point.empty() ? "" : ", ") + ("H(" + set + ") = ") + to_exact_string(value.value);
      }
      fail(line.column, "does not follow from step" + std::string(line.citations.size() == 1 ? " " : "s ") +
                            (cited_steps.empty() ? "(none)" : cited_steps) +
                            " by Shannon-type inequalities; counterexample (a polymatroid satisfying them): " +
                            (point.empty() ? "all entropies 0" : point) + "; there the claim's form is " +
                            to_exact_string(*verdict.violation) + " < 0");
    }
  }
}

void RuleChecker::linear(const Line& line, bool numeric_only) {
  const Claim& c = line.claim;
  if (c.kind != ClaimKind::relation) fail(line.column, "the " + line.rule + " rule concludes a relation");
  if (numeric_only && !line.citations.empty()) fail(line.rule_column, "the numeric rule cites no steps (use linear)");
  Poly remainder = c.form;
  bool strict_used = false;
  for (const auto& citation : line.citations) {
    const Line& fact = cited(line, citation);
    if (fact.claim.kind != ClaimKind::relation)
      fail(citation.column, "step " + std::to_string(fact.number) + " is not a relation");
    const Sense s = fact.claim.sense;
    if (c.sense == Sense::eq && s != Sense::eq)
      fail(citation.column, "an equality follows from equalities only; step " + std::to_string(fact.number) + " is an inequality");
    if (s != Sense::eq && !nonnegative(citation.multiplier, false))
      fail(citation.column, "the multiplier " + citation.multiplier.text() + " of inequality step " +
                                std::to_string(fact.number) + " is not certified >= 0");
    if (s == Sense::gt && nonnegative(citation.multiplier, true)) strict_used = true;
    remainder -= citation.multiplier * fact.claim.form;
  }
  // What is left must be zero, or a closed number of the right sign (decided exactly).
  int sign = 0;
  if (!remainder.is_zero()) {
    const Closed closed = to_log_form(remainder);
    if (!closed.value)
      fail(line.column, "the claim is not the cited combination: the difference " + remainder.text() +
                            " is not a number (" + closed.problem + ")");
    sign = closed.value->sign();
  }
  if (c.sense == Sense::eq && sign != 0)
    fail(line.column, "the claimed equality is off by " + remainder.text() + ", which is not 0");
  if (sign < 0) fail(line.column, "the claim does not follow: it exceeds the cited combination by " + remainder.text() + ", which is < 0");
  if (c.sense == Sense::gt && sign == 0 && !strict_used)
    fail(line.column, "a strict inequality needs a strict step with a positive multiplier or a positive remainder");
}

void RuleChecker::integer_rounding(const Line& line, bool maximum) {
  const Line& fact = only_citation(line, 1);
  const Claim& c = line.claim;
  if (c.kind != ClaimKind::relation || c.sense != Sense::ge || fact.claim.kind != ClaimKind::relation || fact.claim.sense == Sense::eq)
    fail(line.column, "the " + line.rule + " rule turns an inequality into an integer bound");
  // The claim is s <= K (form K - s) or s >= K (form s - K) for an integer symbol s.
  AtomPtr symbol;
  Rational claimed;
  for (const auto& [monomial, coefficient] : c.form.terms()) {
    if (monomial.empty()) claimed = maximum ? coefficient : Rational(-coefficient);
    else if (monomial.size() == 1 && monomial[0]->kind == AtomKind::symbol && coefficient == (maximum ? -1 : 1)) symbol = monomial[0];
    else fail(line.column, std::string("the claim must read SYMBOL ") + (maximum ? "<=" : ">=") + " INTEGER");
  }
  if (!symbol || !symbol->index.empty() || !script_.declarations.symbols.at(symbol->name).integer)
    fail(line.column, "the bounded symbol must be a plain symbol declared integer");
  // The fact: form = c*s - b (min) or b - c*s (max) >= 0, with c > 0 and b closed.
  Poly slope, rest;
  for (const auto& [monomial, coefficient] : fact.claim.form.terms()) {
    Monomial others;
    std::size_t hits = 0;
    for (const auto& atom : monomial) {
      if (atom->key == symbol->key) ++hits;
      else others.push_back(atom);
    }
    if (hits > 1) fail(line.citations[0].column, "step " + std::to_string(fact.number) + " is not linear in " + symbol->name);
    (hits ? slope : rest).add_term(others, coefficient);
  }
  const Closed c_value = to_log_form(maximum ? Poly() - slope : slope);
  const Closed b_value = to_log_form(maximum ? rest : Poly() - rest);
  if (!c_value.value || !b_value.value)
    fail(line.citations[0].column, "step " + std::to_string(fact.number) + " must be numeric apart from " + symbol->name +
                                       ": " + (c_value.value ? b_value.problem : c_value.problem));
  if (c_value.value->sign() <= 0)
    fail(line.citations[0].column, "the coefficient of " + symbol->name + " in step " + std::to_string(fact.number) +
                                       " is not certified positive");
  // max: s <= b/c, so s <= floor(b/c); min: s >= b/c, so s >= ceil(b/c) = -floor(-b/c).
  const Integer bound = maximum ? floor_ratio_exact(*b_value.value, *c_value.value)
                                : Integer(-floor_ratio_exact(LogForm() - *b_value.value, *c_value.value));
  if (claimed != Rational(bound))
    fail(line.column, std::string("the certified ") + (maximum ? "floor" : "ceiling") + " is " + bound.str() +
                          ", not " + to_exact_string(claimed));
}

}  // namespace recallbound::kernel::script
