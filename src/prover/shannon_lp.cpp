#include "prover/shannon_lp.hpp"

#include "prover/quotient.hpp"
#include "prover/symmetry.hpp"
#include "recallbound/error.hpp"

#include <algorithm>
#include <chrono>

namespace recallbound::prover::detail {

ElementalForm elemental_form(const Elemental& e, VariableSet full) {
  ElementalForm form;
  if (!e.pair) {
    form.add(full, 1);
    form.add(full & ~(VariableSet{1} << e.i), -1);
  } else {
    const VariableSet a = VariableSet{1} << e.i, b = VariableSet{1} << e.j;
    form.add(a | e.given, 1);
    form.add(b | e.given, 1);
    form.add(a | b | e.given, -1);
    form.add(e.given, -1);
  }
  return form;
}

Quantity quantity_of(const Elemental& e) {
  if (!e.pair) return {true, VariableSet{1} << e.i, 0, e.given};
  return {false, VariableSet{1} << e.i, VariableSet{1} << e.j, e.given};
}

std::size_t elemental_count(std::size_t variables) {
  if (variables < 2) return variables;
  return variables + variables * (variables - 1) / 2 * (std::size_t{1} << (variables - 2));
}

std::vector<Elemental> elemental_inequalities(std::size_t variables) {
  std::vector<Elemental> result;
  result.reserve(elemental_count(variables));
  const VariableSet full = (VariableSet{1} << variables) - 1;
  for (std::size_t i = 0; i < variables; ++i) result.push_back({false, i, 0, full & ~(VariableSet{1} << i)});
  for (std::size_t i = 0; i < variables; ++i)
    for (std::size_t j = i + 1; j < variables; ++j) {
      const VariableSet others = full & ~((VariableSet{1} << i) | (VariableSet{1} << j));
      for (VariableSet k = 0;; k = ((k | ~others) + 1) & others) {  // subsets of `others`, increasing
        result.push_back({true, i, j, k});
        if (k == others) break;
      }
    }
  return result;
}

std::size_t pair_elemental_index(std::size_t variables, std::size_t i, std::size_t j, VariableSet given) {
  // Pairs come in lexicographic order, each with the 2^(n-2) subsets of the others in increasing
  // order; a subset's position is its mask with bits i and j removed.
  const std::size_t pair_rank = i * variables - i * (i + 1) / 2 + (j - i - 1);
  auto drop_bit = [](VariableSet set, std::size_t b) {
    return (set & ((VariableSet{1} << b) - 1)) | ((set >> (b + 1)) << b);
  };
  return variables + pair_rank * (std::size_t{1} << (variables - 2)) + drop_bit(drop_bit(given, j), i);
}

bool is_counterexample(std::size_t variables, const LinearForm& target, const std::vector<ReducedComponent>& components,
                       const std::vector<Rational>& h) {
  const VariableSet full = (VariableSet{1} << variables) - 1;
  for (const auto& e : elemental_inequalities(variables)) {
    const ElementalForm form = elemental_form(e, full);
    Rational value = 0;
    for (std::size_t k = 0; k < form.size; ++k) value += form.entries[k].second * h[form.entries[k].first];
    if (value < 0) return false;
  }
  auto at = [&](VariableSet s) -> const Rational& { return h[s]; };
  for (const auto& component : components) {
    const Rational value = component.form.evaluate(at);
    if (component.equality ? value != 0 : value < 0) return false;
  }
  return target.evaluate(at) < 0;
}

DirectionOutcome solve_direction(std::size_t variables, const LinearForm& target,
                                 const std::vector<ReducedComponent>& components,
                                 std::chrono::steady_clock::time_point deadline, bool reduce) {
  if (!reduce) return solve_by_quotient(variables, target, components, deadline, reduce);
  auto symmetric = solve_by_symmetry(variables, target, components, deadline);
  if (!symmetric) return solve_by_quotient(variables, target, components, deadline, reduce);
  // A symmetric proof sums whole orbits (Han at n = 6: 240 terms where 15 do). Where the LP without
  // symmetry is cheap, also solve it, within a small budget, and keep the shorter proof: a proof is
  // read in a paper's appendix, so its length matters as much as the time.
  constexpr std::size_t short_proof_variables = 10;  // the plain Han LP takes ~0.2 s at 10
  constexpr std::size_t long_proof_terms = 64;
  if (!symmetric->provable || variables > short_proof_variables || symmetric->terms.size() <= long_proof_terms)
    return std::move(*symmetric);
  const auto budget = std::min(deadline, std::chrono::steady_clock::now() + std::chrono::seconds(2));
  try {
    DirectionOutcome direct = solve_by_quotient(variables, target, components, budget, reduce);
    if (direct.provable && direct.terms.size() < symmetric->terms.size()) {
      direct.lp_seconds += symmetric->lp_seconds;
      direct.exact_seconds += symmetric->exact_seconds;
      return direct;
    }
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::limit) throw;
  }
  return std::move(*symmetric);
}

}  // namespace recallbound::prover::detail
