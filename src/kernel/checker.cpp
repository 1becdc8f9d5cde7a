// The trusted checker: applies the rules of proofs/README.md in order, in exact rational
// arithmetic, and stops at the first failure. It never searches and never rounds.
#include "recallbound/error.hpp"
#include "recallbound/kernel/certificate.hpp"

#include <set>

namespace recallbound::kernel {

namespace {

inline constexpr std::size_t max_counterexample_variables = 20;

struct Rejected {
  std::string message;
};

[[noreturn]] void reject(std::size_t line, std::string_view rule, const std::string& message) {
  throw Rejected{(line > 0 ? "line " + std::to_string(line) + ": " : std::string()) + "rule " +
                 std::string(rule) + ": " + message};
}

void check_blocks_match_goal(const Certificate& certificate) {
  const auto needed = required_directions(certificate.problem.goal.relation);
  const auto& blocks = certificate.blocks;
  bool matches = blocks.size() == needed.size();
  for (std::size_t i = 0; matches && i < blocks.size(); ++i) matches = blocks[i].direction == needed[i];
  if (!matches) {
    std::string wanted;
    for (Direction d : needed) wanted += (wanted.empty() ? "" : ", ") + direction_name(d);
    reject(blocks.empty() ? 0 : blocks.front().line, "B",
           "a goal with '" + relation_symbol(certificate.problem.goal.relation) + "' needs the direction block(s) " +
               wanted + " in that order");
  }
}

void check_proof_block(const Certificate& certificate, const ProofBlock& block, std::size_t& checks) {
  const Problem& problem = certificate.problem;
  const auto& names = problem.variables;
  LinearForm remainder = direction_form(problem.goal, block.direction);
  for (const auto& term : block.terms) {
    ++checks;
    if (term.multiplier <= 0)
      reject(term.line, "T", "multiplier " + to_exact_string(term.multiplier) + " of a term must be positive");
    const BasicQuantity& q = term.quantity;
    if (q.first == 0 || (!q.is_entropy && q.second == 0))
      reject(term.line, "T", q.text(names) + " is not a basic Shannon quantity");
    remainder.add_scaled(q.form(), -term.multiplier);
  }
  std::set<std::pair<std::size_t, std::size_t>> used;
  for (const auto& use : block.uses) {
    ++checks;
    const std::string label = std::to_string(use.given) + "." + std::to_string(use.component);
    if (use.given > problem.givens.size()) reject(use.line, "U", "component " + label + ": there is no given " + std::to_string(use.given));
    const auto components = problem.givens[use.given - 1].components();
    if (use.component > components.size())
      reject(use.line, "U", "component " + label + ": given " + std::to_string(use.given) + " has " +
                                std::to_string(components.size()) + " component(s)");
    if (!used.insert({use.given, use.component}).second) reject(use.line, "U", "component " + label + " is used twice in one block");
    const Component& component = components[use.component - 1];
    if (component.equality ? use.multiplier == 0 : use.multiplier <= 0)
      reject(use.line, "U", "multiplier " + to_exact_string(use.multiplier) + " of " +
                                (component.equality ? "equality component " + label + " must be nonzero"
                                                    : "inequality component " + label + " must be positive"));
    remainder.add_scaled(component.form, -use.multiplier);
  }
  ++checks;
  if (!remainder.is_zero())
    reject(block.line, "E", "direction " + direction_name(block.direction) +
                                ": the terms do not add up to the goal; the difference is " + form_text(remainder, names));
}

Rational check_counterexample(const Certificate& certificate, std::size_t& checks) {
  const Problem& problem = certificate.problem;
  const std::size_t n = problem.variables.size();
  const auto needed = required_directions(problem.goal.relation);
  if (std::find(needed.begin(), needed.end(), certificate.violated) == needed.end())
    reject(0, "C", "direction " + direction_name(certificate.violated) + " is not one the goal asserts");
  if (n > max_counterexample_variables)
    reject(0, "V", "a counterexample may have at most " + std::to_string(max_counterexample_variables) + " variables");
  const VariableSet full = (VariableSet{1} << n) - 1;
  std::vector<Rational> h(full + 1);
  std::vector<bool> seen(full + 1, false);
  for (const auto& value : certificate.point) {
    ++checks;
    if (seen[value.set]) reject(value.line, "C", "H(" + set_text(value.set, problem.variables) + ") is given twice");
    seen[value.set] = true;
    h[value.set] = value.value;
  }
  for (VariableSet set = 1; set <= full; ++set)
    if (!seen[set]) reject(0, "C", "the point lacks H(" + set_text(set, problem.variables) + ")");
  auto at = [&](VariableSet set) -> const Rational& { return h[set]; };
  for (std::size_t i = 0; i < n; ++i) {
    ++checks;
    const VariableSet rest = full & ~(VariableSet{1} << i);
    if (h[full] - h[rest] < 0)
      reject(0, "C", "the point violates the elemental inequality H(" + problem.variables[i] + "|rest) >= 0");
  }
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i + 1; j < n; ++j) {
      const VariableSet a = VariableSet{1} << i, b = VariableSet{1} << j;
      const VariableSet others = full & ~(a | b);
      for (VariableSet k = others;; k = (k - 1) & others) {  // every subset of the others
        ++checks;
        if (h[a | k] + h[b | k] - h[a | b | k] - h[k] < 0)
          reject(0, "C", "the point violates the elemental inequality I(" + problem.variables[i] + ";" +
                             problem.variables[j] + (k ? "|" + set_text(k, problem.variables) : "") + ") >= 0");
        if (k == 0) break;
      }
    }
  for (std::size_t j = 0; j < problem.givens.size(); ++j) {
    const auto components = problem.givens[j].components();
    for (std::size_t k = 0; k < components.size(); ++k) {
      ++checks;
      const Rational value = components[k].form.evaluate(at);
      if (components[k].equality ? value != 0 : value < 0)
        reject(0, "C", "the point violates given component " + std::to_string(j + 1) + "." + std::to_string(k + 1) +
                           " (value " + to_exact_string(value) + ")");
    }
  }
  ++checks;
  const Rational value = direction_form(problem.goal, certificate.violated).evaluate(at);
  if (value >= 0)
    reject(0, "C", "the point does not violate direction " + direction_name(certificate.violated) + " (value " +
                       to_exact_string(value) + " >= 0)");
  return value;
}

}  // namespace

Verdict check_certificate(const Certificate& certificate) {
  Verdict verdict;
  verdict.kind = certificate.kind;
  try {
    verdict.digest = problem_digest(certificate.problem);
    ++verdict.checks;
    if (verdict.digest != certificate.stored_digest)
      reject(0, "D", "problem-digest " + certificate.stored_digest + " does not match the problem (" + verdict.digest + ")");
    if (certificate.kind == CertificateKind::proof) {
      check_blocks_match_goal(certificate);
      for (const auto& block : certificate.blocks) check_proof_block(certificate, block, verdict.checks);
    } else {
      verdict.violation = check_counterexample(certificate, verdict.checks);
    }
    verdict.verified = true;
  } catch (const Rejected& rejected) {
    verdict.failure = rejected.message;
  }
  return verdict;
}

Verdict check_certificate(const Certificate& certificate, const Problem& expected) {
  if (canonical_text(certificate.problem) != canonical_text(expected)) {
    Verdict verdict;
    verdict.kind = certificate.kind;
    verdict.failure = "rule D: the certificate is about a different problem than the one to be checked";
    return verdict;
  }
  return check_certificate(certificate);
}

Verdict check_certificate_text(std::string_view text) {
  try {
    return check_certificate(parse_certificate(text));
  } catch (const Error& e) {
    Verdict verdict;
    verdict.failure = e.what();
    return verdict;
  }
}

}  // namespace recallbound::kernel
