#include "estimators/knn.hpp"

#include <algorithm>
#include <limits>

namespace recallbound::estimators::detail {

MaxNormCounter::MaxNormCounter(const PointCloud& cloud) : cloud_(cloud) {
  if (cloud_.dim == 1) {
    sorted_.assign(cloud_.data, cloud_.data + cloud_.count);
    std::sort(sorted_.begin(), sorted_.end());
  } else {
    tree_ = std::make_unique<MaxNormTree>(static_cast<int>(cloud_.dim), cloud_, nanoflann::KDTreeSingleIndexAdaptorParams(16));
  }
}

std::size_t MaxNormCounter::count_within(std::size_t i, double radius) const {
  if (!(radius > 0)) return 0;
  const double* q = cloud_.row(i);
  if (cloud_.dim == 1) {
    const double v = q[0];
    auto inside = [&](double w) { return std::abs(w - v) < radius; };
    // Bracket with v +- radius, then fix the ends by the exact test (rounding of v +- radius).
    auto lo = std::lower_bound(sorted_.begin(), sorted_.end(), v - radius);
    while (lo != sorted_.begin() && inside(*(lo - 1))) --lo;
    while (lo != sorted_.end() && !inside(*lo) && *lo < v) ++lo;
    auto hi = std::upper_bound(sorted_.begin(), sorted_.end(), v + radius);
    while (hi != sorted_.end() && inside(*hi)) ++hi;
    while (hi != lo && !inside(*(hi - 1))) --hi;
    const auto within = static_cast<std::size_t>(hi - lo);
    return within > 0 ? within - 1 : 0;  // minus the point itself
  }
  // Transformed radius slightly inflated: the exact test inside the result set decides.
  const double transformed = std::nextafter(pow8(radius) * (1 + 1e-9), std::numeric_limits<double>::infinity());
  auto exact = [&](std::size_t j) { return j != i && max_norm(q, cloud_.row(j), cloud_.dim) < radius; };
  CountingResultSet<decltype(exact)> result{transformed, exact};
  tree_->findNeighbors(result, q, exact_max_norm_search(cloud_.dim));
  return result.found;
}

}  // namespace recallbound::estimators::detail
