#pragma once
// Reduction by the givens' conditional independences. An equality given that is a positive
// multiple of I(A;B|C), of a mutual information sum (independence) or of H(U|S) (functional
// dependence) is a nonnegative combination of elemental inequalities, so each elemental in it is
// 0 wherever the givens hold; the identity I(p;x|K) + I(p;y|xK) = I(p;y|K) + I(p;x|yK) then
// spreads zeros (both terms on one side 0 => both on the other 0: the semi-graphoid closure).
// Every zero elemental I(a;b|K) = 0 expresses H(a,b,K) through smaller sets, so the LP lives in
// the quotient by these equations (for a Markov chain of n variables: n(n+1)/2 coordinates instead
// of 2^n - 1), where many elementals coincide or vanish. The certificate still consists of terms
// and uses of the unreduced problem: the residual of the quotient proof is a combination of zero
// elementals, and a zero elemental needed with a negative sign is replaced by its derivation
// (the rest of its given's expansion, minus the given), so the kernel sees nothing new.
#include "prover/shannon_lp.hpp"

namespace recallbound::prover::detail {

/// Solves one direction in the quotient (the plain LP when nothing is forced to 0).
DirectionOutcome solve_by_quotient(std::size_t variables, const LinearForm& target,
                                   const std::vector<ReducedComponent>& components,
                                   std::chrono::steady_clock::time_point deadline, bool reduce = true);

/// For tests: how many elementals the givens force to 0 (directly and by closure).
std::size_t forced_zero_count(std::size_t variables, const std::vector<ReducedComponent>& components);

}  // namespace recallbound::prover::detail
