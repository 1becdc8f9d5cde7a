#pragma once
// Symmetry reduction. The transpositions of two variables that map the target to itself and the
// givens' components onto themselves (as a multiset, checked exactly) generate a group G, a
// product of symmetric groups on blocks of variables. If a proof exists, averaging it over G gives
// one whose multipliers are constant on G-orbits, and a counterexample averaged over G is still
// one; so the LP over orbits (one row per orbit of sets, one column per orbit of elementals or of
// components) decides the problem, and its answer expands back: every member of an orbit gets the
// orbit's multiplier, every set the value of its orbit.
#include "prover/shannon_lp.hpp"

#include <optional>

namespace recallbound::prover::detail {

struct VariableBlocks {
  std::vector<std::size_t> block_of;  // per variable
  std::size_t count = 0;
  /// Per component: the distinct components of its orbit (itself included).
  std::vector<std::vector<std::size_t>> component_orbit;
  [[nodiscard]] bool trivial() const { return count == block_of.size(); }
};

VariableBlocks symmetry_blocks(std::size_t variables, const LinearForm& target,
                               const std::vector<ReducedComponent>& components);

/// nullopt when no transposition fixes the problem.
std::optional<DirectionOutcome> solve_by_symmetry(std::size_t variables, const LinearForm& target,
                                                  const std::vector<ReducedComponent>& components,
                                                  std::chrono::steady_clock::time_point deadline);

}  // namespace recallbound::prover::detail
