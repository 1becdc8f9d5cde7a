#pragma once
// k-nearest-neighbour queries on nanoflann k-d trees (internal to the estimators layer).
//
// The max-norm: nanoflann has no L-infinity metric, and its pruning assumes a metric that is a
// *sum* of per-coordinate terms (the distance from the query to a cell is accumulated as such a
// sum). We give it per-coordinate terms |a - b|^8 and a point distance max_d |a_d - b_d|^8, and
// search with nanoflann's approximation factor set to 1/d (eps = 1/d - 1). Since
//     sum_d g_d^8 / d  <=  max_d g_d^8,
// every cell nanoflann then skips is provably farther than the current k-th distance, so the
// search is exact (tests compare it with brute force). The 8th power keeps the slack small:
// the effective pruning radius is d^(1/8) times the true one (1.42 at d = 17), not d times.
// Distances leave this file in the data's own units (the 8th root is never taken: callers get
// max-norm distances recomputed from the coordinates).
#include <nanoflann.hpp>

#include <cmath>
#include <cstdint>
#include <memory>
#include <vector>

namespace recallbound::estimators::detail {

/// Row-major points: `count` rows of `dim` doubles.
struct PointCloud {
  const double* data = nullptr;
  std::size_t count = 0;
  std::size_t dim = 0;
  [[nodiscard]] const double* row(std::size_t i) const { return data + i * dim; }
  // nanoflann's dataset interface
  [[nodiscard]] std::size_t kdtree_get_point_count() const { return count; }
  [[nodiscard]] double kdtree_get_pt(std::size_t i, std::size_t d) const { return data[i * dim + d]; }
  template <class Box>
  bool kdtree_get_bbox(Box&) const { return false; }
};

inline double pow8(double g) {
  const double g2 = g * g, g4 = g2 * g2;
  return g4 * g4;
}

/// max_d |a_d - b_d|, the max-norm distance in data units.
inline double max_norm(const double* a, const double* b, std::size_t dim) {
  double m = 0;
  for (std::size_t d = 0; d < dim; ++d) m = std::max(m, std::abs(a[d] - b[d]));
  return m;
}

/// nanoflann distance functor for the max-norm raised to the 8th power (see the file comment).
struct MaxNorm8 {
  using ElementType = double;
  using DistanceType = double;
  const PointCloud& cloud;
  explicit MaxNorm8(const PointCloud& c) : cloud(c) {}
  double evalMetric(const double* a, std::size_t b, std::size_t size, double = -1) const {
    return pow8(max_norm(a, cloud.row(b), size));
  }
  template <class U, class V>
  double accum_dist(U a, V b, std::size_t) const {
    return pow8(std::abs(a - b));
  }
};

using MaxNormTree = nanoflann::KDTreeSingleIndexAdaptor<MaxNorm8, PointCloud, -1, std::size_t>;
using EuclideanTree =
    nanoflann::KDTreeSingleIndexAdaptor<nanoflann::L2_Adaptor<double, PointCloud, double, std::size_t>, PointCloud, -1, std::size_t>;

/// Search parameters that make the max-norm search exact (approximation factor below 1/d).
inline nanoflann::SearchParams exact_max_norm_search(std::size_t dim) {
  const double factor = (1.0 / static_cast<double>(dim)) * (1 - 1e-6);
  return nanoflann::SearchParams(0, static_cast<float>(factor - 1.0), false);
}

/// Counts points j with distance(query, j) strictly below a radius; `exact_below` re-checks each
/// candidate in data units so rounding in the transformed distance never changes the count.
template <class Exact>
struct CountingResultSet {
  double transformed_radius;
  Exact exact_below;
  std::size_t found = 0;
  void init() { found = 0; }
  [[nodiscard]] std::size_t size() const { return found; }
  [[nodiscard]] bool full() const { return true; }
  bool addPoint(double, std::size_t index) {
    if (exact_below(index)) ++found;
    return true;
  }
  [[nodiscard]] double worstDist() const { return transformed_radius; }
};

/// Max-norm counts for one marginal: how many points lie strictly within `radius` of point i
/// (i itself excluded). One-dimensional marginals use a sorted copy and binary search.
class MaxNormCounter {
 public:
  explicit MaxNormCounter(const PointCloud& cloud);
  [[nodiscard]] std::size_t count_within(std::size_t i, double radius) const;

 private:
  PointCloud cloud_;
  std::vector<double> sorted_;  // dim == 1 only
  std::unique_ptr<MaxNormTree> tree_;
};

}  // namespace recallbound::estimators::detail
