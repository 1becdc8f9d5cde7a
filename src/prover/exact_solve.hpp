#pragma once
// Exact sparse linear solve in rationals (row echelon form by incremental elimination), used to
// turn the LP's optimal basis into exact multipliers or an exact point.
#include "recallbound/exact/number.hpp"

#include <chrono>
#include <map>
#include <optional>
#include <vector>

namespace recallbound::prover::detail {

using SparseRow = std::map<std::size_t, Rational>;

/// Solves rows[i] . x = rhs[i] for x of size `unknowns`. Returns nullopt when the system is
/// inconsistent; unknowns not fixed by the system are 0. Throws Error::limit past `deadline`.
std::optional<std::vector<Rational>> solve_exact(const std::vector<SparseRow>& rows, const std::vector<Rational>& rhs,
                                                 std::size_t unknowns, std::chrono::steady_clock::time_point deadline);

}  // namespace recallbound::prover::detail
