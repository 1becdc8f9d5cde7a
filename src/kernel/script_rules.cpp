// The schema rules of proof scripts: each builds the one statement it licenses from the cited
// facts and compares it with the step's claim as canonical terms (proofs/README.md).
#include "kernel/script_rules.hpp"

#include <algorithm>

namespace recallbound::kernel::script {

namespace {

std::string sense_text(Sense sense) {
  switch (sense) {
    case Sense::ge: return ">= 0";
    case Sense::gt: return "> 0";
    case Sense::eq: return "= 0";
  }
  return "";
}

[[noreturn]] void fail(std::size_t column, const std::string& message) { throw RuleFailure{column, message}; }

const Poly one = Poly::constant(Rational(1));

}  // namespace

std::string claim_text(const Claim& c) {
  switch (c.kind) {
    case ClaimKind::relation: return c.form.text() + " " + sense_text(c.sense);
    case ClaimKind::independent: {
      std::string text = "independent ";
      for (std::size_t i = 0; i < c.lists.size(); ++i) text += (i ? " || " : "") + vars_text(c.lists[i]);
      return text;
    }
    case ClaimKind::function: return "function " + vars_text(c.lists[0]) + " : " + vars_text(c.lists[1]);
    case ClaimKind::markov: {
      std::string text = "markov ";
      for (std::size_t i = 0; i < c.lists.size(); ++i) text += (i ? " -> " : "") + vars_text(c.lists[i]);
      return text;
    }
    case ClaimKind::family_independent: return "mutually independent " + c.first.key();
    case ClaimKind::alphabet_size: return "alphabet " + c.first.key() + " size " + c.amount.text();
    case ClaimKind::alphabet_bits: return "alphabet " + c.first.key() + " bits " + c.amount.text();
    case ClaimKind::uniform: return "uniform " + c.first.key();
    case ClaimKind::error: return "error " + c.amount.text() + " of " + c.first.key() + " from " + c.second.key();
    case ClaimKind::average: return "average " + c.amount.text() + " of " + c.member.text();
  }
  return "";
}

std::set<std::string> claim_indices(const Claim& c) {
  std::set<std::string> found = free_indices(c.form);
  auto add_vars = [&](const std::vector<VarRef>& vars) {
    for (const auto& v : vars)
      if (v.kind == VarRef::Kind::member) found.insert(v.index);
  };
  for (const auto& list : c.lists) add_vars(list);
  add_vars({c.first, c.second});
  for (const auto& term : {c.amount, c.member}) {
    auto inner = free_indices(term);
    found.insert(inner.begin(), inner.end());
  }
  return found;
}

RuleChecker::RuleChecker(const Script& script, const CertificateSource& certificates)
    : script_(script), certificates_(certificates) {
  for (const auto& [name, symbol] : script.declarations.symbols)
    if (symbol.value) values_[name] = *symbol.value;
}

void RuleChecker::check_declarations(std::size_t& failed_line) const {
  for (const auto& [name, s] : script_.declarations.symbols) {
    failed_line = s.line;
    if (s.lower && s.upper && *s.lower > *s.upper)
      fail(1, "symbol " + name + ": the range [" + to_exact_string(*s.lower) + ", " + to_exact_string(*s.upper) + "] is empty");
    if (!s.value) continue;
    const Rational& v = *s.value;
    if (s.integer && denominator(v) != 1) fail(1, "symbol " + name + " is an integer; " + to_exact_string(v) + " is not");
    if (s.lower && v < *s.lower)
      fail(1, "symbol " + name + " = " + to_exact_string(v) + " breaks its side condition " + name + " >= " + to_exact_string(*s.lower));
    if (s.upper && v > *s.upper)
      fail(1, "symbol " + name + " = " + to_exact_string(v) + " breaks its side condition " + name + " <= " + to_exact_string(*s.upper));
  }
  for (const auto& [index, upper] : script_.declarations.index_upper) {
    failed_line = script_.declarations.index_line.at(index);
    const auto low = lower_bound(upper);
    if (!integer_valued(upper) || !low || *low < 1)
      fail(1, "index " + index + ": its range 1.." + upper.text() + " needs an integer upper bound declared >= 1");
  }
  failed_line = 0;
}

const Line& RuleChecker::cited(const Line& line, const Citation& citation, bool binds_index) const {
  auto it = done_.find(citation.step);
  if (it == done_.end() || citation.step >= line.number)
    fail(citation.column, "step " + std::to_string(citation.step) + " is not an earlier step of this script");
  if (binds_index) return *it->second;
  const std::set<std::string> mine = claim_indices(line.claim);
  for (const auto& index : claim_indices(it->second->claim))
    if (!mine.count(index))
      fail(citation.column, "step " + std::to_string(citation.step) + " holds for each " + index +
                                "; this step must keep " + index + " free to use it (or sum over it with the sum rule)");
  return *it->second;
}

const Line& RuleChecker::only_citation(const Line& line, std::size_t count, std::size_t which) const {
  if (line.citations.size() != count)
    fail(line.rule_column, "the " + line.rule + " rule cites exactly " + std::to_string(count) + " step" +
                               (count == 1 ? "" : "s") + ", not " + std::to_string(line.citations.size()));
  return cited(line, line.citations[which]);
}

std::optional<Rational> RuleChecker::lower_bound(const Poly& term) const {
  Rational total = 0;
  for (const auto& [monomial, coefficient] : term.terms()) {
    if (monomial.empty()) {
      total += coefficient;
      continue;
    }
    if (monomial.size() != 1 || monomial[0]->kind != AtomKind::symbol) return std::nullopt;
    const SymbolDecl& s = script_.declarations.symbols.at(monomial[0]->name);
    const auto bound = coefficient > 0 ? (s.value ? s.value : s.lower) : (s.value ? s.value : s.upper);
    if (!bound) return std::nullopt;
    total += coefficient * *bound;
  }
  return total;
}

bool RuleChecker::nonnegative(const Poly& term, bool strictly) const {
  const Closed closed = to_log_form(term);
  if (closed.value) {
    const int sign = closed.value->sign();
    return strictly ? sign > 0 : sign >= 0;
  }
  if (term.is_zero()) return !strictly;
  for (const auto& [monomial, coefficient] : term.terms()) {
    if (coefficient <= 0) return false;
    for (const auto& atom : monomial) {
      if (atom->kind == AtomKind::symbol) {
        const auto low = lower_bound(Poly::of(atom));
        if (!low || *low < 0 || (strictly && *low == 0)) return false;
      } else if (atom->kind == AtomKind::log2) {
        const auto low = lower_bound(*atom->arg);
        if (!low || *low < 1 || (strictly && *low == 1)) return false;
      } else {
        return false;
      }
    }
  }
  return true;
}

bool RuleChecker::integer_valued(const Poly& term) const {
  if (const auto c = term.as_constant()) return denominator(*c) == 1;
  if (term.terms().size() != 1) return false;
  const auto& [monomial, coefficient] = *term.terms().begin();
  return coefficient == 1 && monomial.size() == 1 && monomial[0]->kind == AtomKind::symbol &&
         script_.declarations.symbols.at(monomial[0]->name).integer;
}

bool RuleChecker::is_probability_symbol(const Poly& term) const {
  if (term.terms().size() != 1) return false;
  const auto& [monomial, coefficient] = *term.terms().begin();
  if (coefficient != 1 || monomial.size() != 1 || monomial[0]->kind != AtomKind::symbol) return false;
  const SymbolDecl& s = script_.declarations.symbols.at(monomial[0]->name);
  const auto low = s.value ? s.value : s.lower;
  const auto high = s.value ? s.value : s.upper;
  return low && high && *low >= 0 && *high <= 1;
}

const Poly& RuleChecker::index_upper(const std::string& index) const {
  return script_.declarations.index_upper.at(index);
}

void RuleChecker::check(const Line& line) {
  if (line.hypothesis) {
    if (line.claim.kind == ClaimKind::error && !is_probability_symbol(line.claim.amount))
      fail(line.column, "an error probability must be a symbol declared with >= 0 and <= 1");
  } else if (line.rule == "shannon") {
    shannon(line);
  } else if (line.rule == "linear") {
    linear(line, false);
  } else if (line.rule == "numeric") {
    linear(line, true);
  } else if (line.rule == "max-integer" || line.rule == "min-integer") {
    integer_rounding(line, line.rule == "max-integer");
  } else {
    schema(line);
  }
  done_[line.number] = &line;
}

void RuleChecker::schema(const Line& line) {
  const Claim& c = line.claim;
  const std::size_t at = line.column;
  // The statement the rule licenses, and whether an equality may be written either way round.
  Poly expected;
  Sense sense = Sense::ge;
  auto need_relation = [&] {
    if (c.kind != ClaimKind::relation) fail(at, "the " + line.rule + " rule concludes a relation");
  };
  if (line.rule == "independence") {
    const Line& fact = only_citation(line, 1);
    need_relation();
    sense = Sense::eq;
    if (fact.claim.kind == ClaimKind::family_independent) {
      const VarRef& block = fact.claim.first;
      const std::string& index = script_.declarations.families.at(block.name);
      expected = entropy_of({block}) - sum_of(index, index_upper(index), entropy_of({{block.name, VarRef::Kind::member, index}}));
    } else if (fact.claim.kind == ClaimKind::independent) {
      std::vector<VarRef> all;
      for (const auto& list : fact.claim.lists) {
        all.insert(all.end(), list.begin(), list.end());
        expected -= entropy_of(list);
      }
      expected += entropy_of(all);
    } else {
      fail(line.citations[0].column, "step " + std::to_string(fact.number) + " is not an independence statement");
    }
  } else if (line.rule == "cardinality" || line.rule == "uniform") {
    const bool uniform = line.rule == "uniform";
    const Line& alphabet = only_citation(line, uniform ? 2 : 1, uniform ? 1 : 0);
    need_relation();
    if (uniform) {
      const Line& u = cited(line, line.citations[0]);
      if (u.claim.kind != ClaimKind::uniform) fail(line.citations[0].column, "step " + std::to_string(u.number) + " is not `uniform X`");
      if (alphabet.claim.kind != ClaimKind::alphabet_size || alphabet.claim.first.key() != u.claim.first.key())
        fail(line.citations[1].column, "step " + std::to_string(alphabet.number) + " must give the alphabet size of " + u.claim.first.key());
      sense = Sense::eq;
    } else if (alphabet.claim.kind != ClaimKind::alphabet_size && alphabet.claim.kind != ClaimKind::alphabet_bits) {
      fail(line.citations[0].column, "step " + std::to_string(alphabet.number) + " is not an alphabet statement");
    }
    const Poly& amount = alphabet.claim.amount;
    if (alphabet.claim.kind == ClaimKind::alphabet_size) {
      const auto low = lower_bound(amount);
      if (!integer_valued(amount) || !low || *low < 1)
        fail(line.citations.back().column, "an alphabet size must be an integer declared >= 1, not " + amount.text());
      expected = log2_of(amount) - entropy_of({alphabet.claim.first});
    } else {
      const auto low = lower_bound(amount);
      if (!low || *low < 0) fail(line.citations[0].column, "a number of bits must be declared >= 0, not " + amount.text());
      expected = amount - entropy_of({alphabet.claim.first});
    }
  } else if (line.rule == "subadditivity") {
    if (!line.citations.empty()) fail(line.rule_column, "the subadditivity rule cites no steps");
    need_relation();
    const std::string& index = script_.declarations.families.at(line.family);
    for (const auto& v : line.condition)
      if (v.kind == VarRef::Kind::member && v.index == index)
        fail(line.rule_column, "the condition may not depend on the summation index " + index);
    std::vector<VarRef> block{{line.family, VarRef::Kind::block, index_upper(index).text()}};
    block.insert(block.end(), line.condition.begin(), line.condition.end());
    std::vector<VarRef> member{{line.family, VarRef::Kind::member, index}};
    member.insert(member.end(), line.condition.begin(), line.condition.end());
    const Poly given = entropy_of(line.condition);
    expected = sum_of(index, index_upper(index), entropy_of(member) - given) - (entropy_of(block) - given);
  } else if (line.rule == "member") {
    if (!line.citations.empty()) fail(line.rule_column, "the member rule cites no steps");
    if (c.kind != ClaimKind::function) fail(at, "the member rule concludes `function F[i] : F[1..N]`");
    for (const auto& dependent : c.lists[0]) {
      const bool ok = dependent.kind == VarRef::Kind::member &&
                      std::any_of(c.lists[1].begin(), c.lists[1].end(), [&](const VarRef& v) {
                        return v.kind == VarRef::Kind::block && v.name == dependent.name;
                      });
      if (!ok) fail(at, dependent.key() + " is not a member of a block among the sources");
    }
    return;
  } else if (line.rule == "sum") {
    if (line.citations.size() != 1) fail(line.rule_column, "the sum rule cites exactly 1 step");
    const Line& fact = cited(line, line.citations[0], true);
    need_relation();
    if (fact.claim.kind != ClaimKind::relation) fail(line.citations[0].column, "the sum rule sums a relation");
    const auto indices = free_indices(fact.claim.form);
    if (indices.size() != 1)
      fail(line.citations[0].column, "step " + std::to_string(fact.number) + " must depend on exactly one index to be summed");
    const std::string& index = *indices.begin();
    if (claim_indices(c).count(index)) fail(at, "the sum over " + index + " must not leave " + index + " free");
    expected = sum_of(index, index_upper(index), fact.claim.form);
    sense = fact.claim.sense;
  } else if (line.rule == "fano") {
    const Line& error = only_citation(line, 2, 0);
    const Line& alphabet = cited(line, line.citations[1]);
    need_relation();
    if (error.claim.kind != ClaimKind::error) fail(line.citations[0].column, "step " + std::to_string(error.number) + " is not `error e of X from Y`");
    if (alphabet.claim.kind != ClaimKind::alphabet_size || alphabet.claim.first.key() != error.claim.first.key())
      fail(line.citations[1].column, "step " + std::to_string(alphabet.number) + " must give the alphabet size of " + error.claim.first.key());
    const Poly& size = alphabet.claim.amount;
    const auto low = lower_bound(size);
    if (!integer_valued(size) || !low || *low < 2)
      fail(line.citations[1].column, "Fano needs an integer alphabet size declared >= 2, not " + size.text());
    const Poly& e = error.claim.amount;
    expected = h2_of(e) + e * log2_of(size - one) -
               (entropy_of({error.claim.first, error.claim.second}) - entropy_of({error.claim.second}));
  } else if (line.rule == "jensen" || line.rule == "average") {
    if (line.citations.size() != 1) fail(line.rule_column, "the " + line.rule + " rule cites exactly 1 step");
    const Line& average = cited(line, line.citations[0], true);  // the average binds its index
    need_relation();
    if (average.claim.kind != ClaimKind::average) fail(line.citations[0].column, "step " + std::to_string(average.number) + " is not `average a of e[i]`");
    const Poly& mean = average.claim.amount;
    const Poly& member = average.claim.member;
    const auto indices = free_indices(member);
    if (indices.size() != 1 || !free_indices(mean).empty())
      fail(line.citations[0].column, "an average is of an indexed term e[i] into a term free of the index");
    const std::string& index = *indices.begin();
    const Poly& count = index_upper(index);
    if (line.rule == "average") {
      expected = count * mean - sum_of(index, count, member);
      sense = Sense::eq;
    } else {
      if (!is_probability_symbol(member)) fail(line.citations[0].column, "Jensen needs each " + member.text() + " declared within [0, 1]");
      expected = count * h2_of(mean) - sum_of(index, count, h2_of(member));
    }
  } else if (line.rule == "substitute") {
    const Line& fact = only_citation(line, 1);
    need_relation();
    if (fact.claim.kind != ClaimKind::relation) fail(line.citations[0].column, "the substitute rule instantiates a relation");
    expected = substitute(fact.claim.form, values_);
    sense = fact.claim.sense;
  } else {
    fail(line.rule_column, "unknown rule '" + line.rule + "'");
  }
  const bool same = c.sense == sense && (c.form == expected || (sense == Sense::eq && c.form == Poly() - expected));
  if (!same)
    fail(at, "the " + line.rule + " rule gives " + claim_text(Claim{ClaimKind::relation, expected, sense, {}, {}, {}, {}, {}}) +
                 ", but the step claims " + claim_text(c));
}

}  // namespace recallbound::kernel::script
