#pragma once
// The untrusted Shannon-type inequality prover. It decides, by linear programming over the
// elemental Shannon inequalities (the ITIP method, solved with GLPK), whether a goal follows from
// the givens, and returns an exact certificate: rational multipliers recovered from the optimal
// basis (proof), or a rational point of the Shannon cone that satisfies the givens and violates
// the goal (counterexample). Every certificate is checked by the kernel before it is returned.
#include "recallbound/kernel/certificate.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace recallbound::prover {

struct ProverOptions {
  /// Wall-clock budget for the LP and the exact recovery together; Error::limit when exceeded.
  double time_limit_seconds = 600;
  /// Largest number of (merged) variables; Error::limit above it (the LP has ~n^2 2^(n-2) columns).
  std::size_t max_variables = 16;
  /// Reduce the LP first (symmetry orbits, quotient by elementals the givens force to 0). Off: the
  /// plain LP over every elemental (what ITIP-style tools solve); same verdicts, usually slower,
  /// sometimes sparser proofs (symmetric proofs use whole orbits).
  bool reduce = true;
};

struct ProverStatistics {
  std::size_t variables = 0;          // as stated
  std::size_t merged_variables = 0;   // after merging variables that always occur together
  std::size_t lp_rows = 0;
  std::size_t lp_columns = 0;
  double lp_seconds = 0;              // building and solving the LP (both directions for '=')
  double exact_seconds = 0;           // exact recovery and the kernel check
  std::size_t certificate_lines = 0;  // term + use lines (proof) or point lines (counterexample)
  std::size_t certificate_bytes = 0;
  /// How the LP was reduced before solving: "none", "symmetry S4 x S2" (the variable blocks a
  /// permutation group fixing the problem acts on) or "independence: ..." (elementals the givens
  /// force to 0 and the coordinates left); the certificate is over the unreduced problem either way.
  std::string reduction;
};

struct ProverResult {
  bool proved = false;
  kernel::Certificate certificate;
  kernel::Verdict verdict;  // the kernel's verdict on `certificate` (always verified)
  /// Groups of variables merged into one LP variable (only groups of two or more).
  std::vector<std::vector<std::string>> merged_groups;
  ProverStatistics statistics;
};

/// Throws Error::limit when a limit is hit and Error::internal when no exact certificate could be
/// recovered (the kernel rejected it, or GLPK failed).
ProverResult prove(const kernel::Problem& problem, const ProverOptions& options = {});

}  // namespace recallbound::prover
