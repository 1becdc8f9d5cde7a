#pragma once
// Symmetry reduction. The transpositions of two variables that map the target to itself and the
// givens' components onto themselves (as a multiset, checked exactly) generate a product of
// symmetric groups on blocks of variables; the cyclic shift and the reversal of the variable order
// join when they fix the problem too (cyclic covers, chains read both ways). With G the group they
// generate: if a proof exists, averaging it over G gives
// one whose multipliers are constant on G-orbits, and a counterexample averaged over G is still
// one; so the LP over orbits (one row per orbit of sets, one column per orbit of elementals or of
// components) decides the problem, and its answer expands back: every member of an orbit gets the
// orbit's multiplier, every set the value of its orbit.
#include "prover/shannon_lp.hpp"

#include <optional>

namespace recallbound::prover::detail {

using Permutation = std::vector<std::size_t>;  // variable v goes to permutation[v]

struct VariableBlocks {
  std::vector<std::size_t> block_of;  // per variable: the blocks the transpositions generate
  std::size_t count = 0;
  /// Generators beyond the transpositions ("cyclic shift", "reversal"), each fixing the problem
  /// and not already in the product of symmetric groups on the blocks.
  std::vector<Permutation> extra;
  std::vector<std::string> extra_names;
  /// Per component: the distinct components of its orbit (itself included).
  std::vector<std::vector<std::size_t>> component_orbit;
  [[nodiscard]] bool trivial() const { return count == block_of.size() && extra.empty(); }
  /// Generators of the whole group: one transposition per block link, then `extra`.
  std::vector<Permutation> generators;
};

VariableBlocks symmetry_blocks(std::size_t variables, const LinearForm& target,
                               const std::vector<ReducedComponent>& components);

/// nullopt when no transposition fixes the problem.
std::optional<DirectionOutcome> solve_by_symmetry(std::size_t variables, const LinearForm& target,
                                                  const std::vector<ReducedComponent>& components,
                                                  std::chrono::steady_clock::time_point deadline);

}  // namespace recallbound::prover::detail
