#include "recallbound/prover/prover.hpp"

#include "prover/shannon_lp.hpp"
#include "recallbound/error.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace recallbound::prover {

namespace {

using kernel::LinearForm;
using kernel::VariableSet;
using Clock = std::chrono::steady_clock;

// Variables that occur in exactly the same sets of every form (goal and givens) can be merged
// into one: the problem over the merged variables is equivalent, and it is exponentially smaller.
struct Merge {
  std::vector<VariableSet> groups;  // original masks, one per merged variable
  [[nodiscard]] VariableSet reduce(VariableSet original) const {
    VariableSet reduced = 0;
    for (std::size_t g = 0; g < groups.size(); ++g)
      if ((original & groups[g]) != 0) reduced |= VariableSet{1} << g;
    return reduced;
  }
  [[nodiscard]] VariableSet expand(VariableSet reduced) const {
    VariableSet original = 0;
    for (std::size_t g = 0; g < groups.size(); ++g)
      if (((reduced >> g) & 1U) != 0) original |= groups[g];
    return original;
  }
  [[nodiscard]] LinearForm reduce(const LinearForm& form) const {
    LinearForm reduced;
    for (const auto& [set, coefficient] : form.coefficients()) reduced.add(reduce(set), coefficient);
    return reduced;
  }
};

Merge merge_variables(std::size_t variables, const std::vector<LinearForm>& forms) {
  std::vector<VariableSet> sets;
  for (const auto& form : forms)
    for (const auto& entry : form.coefficients()) sets.push_back(entry.first);
  std::vector<std::vector<bool>> signature(variables, std::vector<bool>(sets.size()));
  for (std::size_t v = 0; v < variables; ++v)
    for (std::size_t s = 0; s < sets.size(); ++s) signature[v][s] = ((sets[s] >> v) & 1U) != 0;
  Merge merge;
  std::vector<bool> assigned(variables, false);
  for (std::size_t v = 0; v < variables; ++v) {
    if (assigned[v]) continue;
    VariableSet group = 0;
    for (std::size_t w = v; w < variables; ++w)
      if (!assigned[w] && signature[w] == signature[v]) {
        group |= VariableSet{1} << w;
        assigned[w] = true;
      }
    merge.groups.push_back(group);
  }
  return merge;
}

kernel::BasicQuantity basic_quantity(const detail::Quantity& q, const Merge& merge) {
  kernel::BasicQuantity result;
  result.is_entropy = q.entropy;
  result.first = merge.expand(q.first);
  result.second = merge.expand(q.second);
  result.condition = merge.expand(q.condition);
  return result;
}

ProverResult prove_until(const kernel::Problem& problem, const ProverOptions& options, Clock::time_point deadline) {
  const std::size_t n = problem.variables.size();
  std::vector<LinearForm> forms{problem.goal.form()};
  std::vector<detail::ReducedComponent> components;
  for (std::size_t j = 0; j < problem.givens.size(); ++j) {
    const auto expanded = problem.givens[j].components();
    for (std::size_t k = 0; k < expanded.size(); ++k) {
      components.push_back({j + 1, k + 1, expanded[k].form, expanded[k].equality});
      forms.push_back(expanded[k].form);
    }
  }
  const Merge merge = merge_variables(n, forms);
  const std::size_t m = merge.groups.size();
  if (m > options.max_variables)
    throw Error::limit("--max-variables: the problem has " + std::to_string(m) + " variables after merging (" +
                       std::to_string(n) + " as stated), above the limit " + std::to_string(options.max_variables) +
                       "; the LP would have " + std::to_string(detail::elemental_count(m)) + " elemental inequalities");
  for (auto& component : components) component.form = merge.reduce(component.form);

  ProverResult result;
  result.statistics.variables = n;
  result.statistics.merged_variables = m;
  for (VariableSet group : merge.groups) {
    if ((group & (group - 1)) == 0) continue;
    std::vector<std::string> names;
    for (std::size_t v = 0; v < n; ++v)
      if (((group >> v) & 1U) != 0) names.push_back(problem.variables[v]);
    result.merged_groups.push_back(names);
  }
  kernel::Certificate& certificate = result.certificate;
  certificate.problem = problem;
  certificate.stored_digest = kernel::problem_digest(problem);
  certificate.kind = kernel::CertificateKind::proof;
  for (kernel::Direction direction : kernel::required_directions(problem.goal.relation)) {
    const LinearForm target = merge.reduce(kernel::direction_form(problem.goal, direction));
    const detail::DirectionOutcome outcome = detail::solve_direction(m, target, components, deadline, options.reduce);
    result.statistics.lp_rows = outcome.rows;
    result.statistics.lp_columns = outcome.columns;
    result.statistics.lp_seconds += outcome.lp_seconds;
    result.statistics.exact_seconds += outcome.exact_seconds;
    result.statistics.reduction = outcome.reduction;
    if (!outcome.provable) {
      // The kernel checks a counterexample coordinate by coordinate over the stated variables.
      if (n > 20)
        throw Error::limit("--max-variables: the goal is not Shannon-provable, but a counterexample over " +
                           std::to_string(n) + " variables (2^" + std::to_string(n) +
                           " - 1 coordinates) is too large to certify; at most 20 are supported");
      certificate.kind = kernel::CertificateKind::counterexample;
      certificate.blocks.clear();
      certificate.violated = direction;
      const VariableSet full = (VariableSet{1} << n) - 1;
      for (VariableSet set = 1; set <= full; ++set)
        certificate.point.push_back({set, outcome.point[merge.reduce(set)], 0});
      break;
    }
    kernel::ProofBlock block;
    block.direction = direction;
    for (const auto& [quantity, multiplier] : outcome.terms)
      block.terms.push_back({multiplier, basic_quantity(quantity, merge), 0});
    for (const auto& [index, multiplier] : outcome.component_multipliers)
      block.uses.push_back({components[index].given, components[index].component, multiplier, 0});
    std::sort(block.uses.begin(), block.uses.end(), [](const auto& a, const auto& b) {
      return std::pair(a.given, a.component) < std::pair(b.given, b.component);
    });
    certificate.blocks.push_back(std::move(block));
  }

  // Nothing leaves the prover unless the kernel accepts it, checked on the written text.
  const auto check_start = Clock::now();
  const std::string text = kernel::write_certificate(certificate);
  result.verdict = kernel::check_certificate_text(text);
  result.statistics.exact_seconds += std::chrono::duration<double>(Clock::now() - check_start).count();
  if (!result.verdict.verified)
    throw Error::internal("prover: the kernel rejected the recovered certificate: " + result.verdict.failure);
  result.proved = certificate.kind == kernel::CertificateKind::proof;
  result.statistics.certificate_bytes = text.size();
  for (const auto& block : certificate.blocks) result.statistics.certificate_lines += block.terms.size() + block.uses.size();
  result.statistics.certificate_lines += certificate.point.size();
  return result;
}

}  // namespace

ProverResult prove(const kernel::Problem& problem, const ProverOptions& options) {
  const auto start = Clock::now();
  if (!(options.time_limit_seconds > 0) || !std::isfinite(options.time_limit_seconds))
    throw Error::bad_input("--time-limit: must be a positive number of seconds");
  const auto deadline = start + std::chrono::duration_cast<Clock::duration>(
                                    std::chrono::duration<double>(std::min(options.time_limit_seconds, 1e7)));
  try {
    return prove_until(problem, options, deadline);
  } catch (const Error& e) {
    // A reduction that fails to lift (never seen; the tests compare reduced and plain answers) must
    // not cost the user an answer: the plain LP gets the rest of the time, and says so in
    // statistics.reduction ("none").
    if (e.kind() != ErrorKind::internal || !options.reduce) throw;
    ProverOptions plain = options;
    plain.reduce = false;
    return prove_until(problem, plain, deadline);
  }
}

}  // namespace recallbound::prover
