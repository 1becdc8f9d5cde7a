#pragma once
// KSG neighbour counts by a filtered linear scan, for joint spaces of many dimensions where a
// k-d tree cannot prune (with n points it splits only about log2(n / leaf) coordinates, so in
// 17 dimensions at n = 10^5 most coordinates are never split and every query visits most leaves).
#include "recallbound/estimators/continuous.hpp"

#include <cstdint>
#include <vector>

namespace recallbound::estimators::detail {

/// For each point i: n_x(i), n_y(i) of KSG algorithm 1 (points strictly within the max-norm
/// distance to the k-th joint neighbour, in each marginal), exact. `xs`, `ys` standardized.
/// Points are split over `threads` threads; the counts do not depend on the split.
void ksg_counts_scan(const SampleMatrix& xs, const SampleMatrix& ys, std::size_t k, std::size_t threads,
                     std::vector<std::uint32_t>& nx, std::vector<std::uint32_t>& ny);

}  // namespace recallbound::estimators::detail
