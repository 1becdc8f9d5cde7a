#pragma once
// One direction of the Shannon LP over m (merged) variables, in the "dual" form:
//   find lambda >= 0 (elemental inequalities), mu (given components; >= 0 for inequalities)
//   with  sum lambda_i E_i + sum mu_j C_j + p - q = f,  p, q >= 0,  minimising sum(p + q).
// Optimum 0: f is a nonnegative combination (a proof). Optimum > 0: the optimal row duals y give
// h = -y, a point of the Shannon cone satisfying the givens with f(h) < 0 (a counterexample).
// Either way the answer is then made exact from the optimal basis in rational arithmetic.
#include "recallbound/kernel/linear_form.hpp"

#include <chrono>
#include <cstdint>
#include <vector>

namespace recallbound::prover::detail {

using kernel::LinearForm;
using kernel::VariableSet;

/// H(N) - H(N - i) >= 0 (pair false) or I(i;j|K) >= 0 (pair true), over reduced variables.
struct Elemental {
  bool pair = false;
  std::size_t i = 0;
  std::size_t j = 0;
  VariableSet given = 0;  // K for pairs, N - i for singles
};
std::vector<Elemental> elemental_inequalities(std::size_t variables);
std::size_t elemental_count(std::size_t variables);

struct ReducedComponent {
  std::size_t given = 0;      // 1-based
  std::size_t component = 0;  // 1-based
  LinearForm form;            // over reduced variables
  bool equality = true;
};

struct DirectionOutcome {
  bool provable = false;
  std::vector<std::pair<std::size_t, Rational>> elemental_multipliers;  // index into elementals
  std::vector<std::pair<std::size_t, Rational>> component_multipliers;  // index into components
  std::vector<Rational> point;  // counterexample, indexed by reduced set mask (entry 0 unused)
  double lp_seconds = 0;
  double exact_seconds = 0;
  std::size_t rows = 0;
  std::size_t columns = 0;
};

DirectionOutcome solve_direction(std::size_t variables, const LinearForm& target,
                                 const std::vector<ReducedComponent>& components,
                                 std::chrono::steady_clock::time_point deadline);

}  // namespace recallbound::prover::detail
