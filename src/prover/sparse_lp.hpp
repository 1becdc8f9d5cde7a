#pragma once
// The Shannon LP in its generic "dual" form, over whatever coordinates a reduction chose:
//   find x_k (>= 0, or free for equality columns) and p, q >= 0 with
//   sum_k x_k A_k + p - q = t, minimising sum(p + q).
// Optimum 0: t is the combination sum x_k A_k (a proof). Optimum > 0: minus the optimal row duals
// is a point v with A_k . v >= 0 (= 0 for free columns) and t . v < 0 (a counterexample).
// GLPK solves it in floating point; the answer is then made exact from the optimal basis.
#include "recallbound/exact/number.hpp"

#include <chrono>
#include <functional>
#include <utility>
#include <vector>

namespace recallbound::prover::detail {

using SparseVector = std::vector<std::pair<std::size_t, Rational>>;

struct LpColumn {
  SparseVector entries;  // (row, coefficient)
  bool free = false;     // an equality: its multiplier may take either sign
};

struct SparseLp {
  std::size_t rows = 0;
  SparseVector target;
  std::vector<LpColumn> columns;
};

struct LpSolution {
  bool provable = false;
  SparseVector multipliers;     // (column, exact nonzero multiplier), proof only
  std::vector<Rational> point;  // one value per row, counterexample only
  double lp_seconds = 0;
  double exact_seconds = 0;
};

/// `accept_point` gets every exact candidate point that satisfies the LP's own columns and must
/// check it against the unreduced problem (a reduction's lift); a rejected point is not returned.
/// Throws Error::limit past `deadline`, Error::internal when no exact answer can be recovered.
LpSolution solve_sparse_lp(const SparseLp& lp, std::chrono::steady_clock::time_point deadline,
                           const std::function<bool(const std::vector<Rational>&)>& accept_point);

}  // namespace recallbound::prover::detail
