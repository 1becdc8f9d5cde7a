// For query i we first get an upper bound U on its k-th neighbour distance from an approximate
// Euclidean k-d tree search (any k real points bound the k-th nearest distance from above),
// then scan all points coordinate by coordinate, dropping a point from a marginal as soon as one
// coordinate differs by more than U (max-norm: one coordinate suffices). Distances of the points
// that survive are exact; every true neighbour and every point counted for n_x, n_y survives,
// because all of them lie within eps_i <= U.
#include "estimators/ksg_scan.hpp"

#include "estimators/knn.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <thread>

namespace recallbound::estimators::detail {
namespace {

constexpr double far = std::numeric_limits<double>::infinity();
constexpr std::size_t block = 512;

// Both layouts: column-major (coordinate d of all points contiguous) for the vectorizable
// first-coordinates pass over a block, row-major (one point's coordinates contiguous) for the
// scalar continuation on the few points that survive it.
struct Columns {
  std::vector<double> values;
  const double* rows = nullptr;
  std::size_t n = 0, dim = 0;
  explicit Columns(const SampleMatrix& m) : values(static_cast<std::size_t>(m.size())), rows(m.data()),
                                            n(static_cast<std::size_t>(m.rows())), dim(static_cast<std::size_t>(m.cols())) {
    for (std::size_t d = 0; d < dim; ++d)
      for (std::size_t j = 0; j < n; ++j) values[d * n + j] = m(static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(d));
  }
  [[nodiscard]] const double* column(std::size_t d) const { return values.data() + d * n; }
  [[nodiscard]] const double* row(std::size_t j) const { return rows + j * dim; }
};

constexpr std::size_t vector_dims = 16;  // coordinates compared for every point of a block

// dist[j] = max-norm distance from point i to j in this marginal when it is <= bound, else far.
// Compiled twice (AVX2 and baseline x86-64), chosen at run time: same arithmetic, same results.
__attribute__((target_clones("avx2", "default")))
void capped_distances(const Columns& c, std::size_t i, double bound, std::vector<double>& dist) {
  const std::size_t n = c.n, dims = c.dim, first = std::min(dims, vector_dims);
  const double* q = c.row(i);
  double* out = dist.data();
  for (std::size_t start = 0; start < n; start += block) {
    const std::size_t end = std::min(n, start + block);
    const double* c0 = c.column(0);
    for (std::size_t j = start; j < end; ++j) out[j] = std::abs(c0[j] - q[0]);
    for (std::size_t d = 1; d < first; ++d) {
      const double* cd = c.column(d);
      const double qd = q[d];
      for (std::size_t j = start; j < end; ++j) out[j] = std::max(out[j], std::abs(cd[j] - qd));
    }
    for (std::size_t j = start; j < end; ++j) {
      double m = out[j];
      if (m <= bound && first < dims) {
        const double* r = c.row(j);
        for (std::size_t d = first; d < dims && m <= bound; ++d) m = std::max(m, std::abs(r[d] - q[d]));
      }
      out[j] = m <= bound ? m : far;
    }
  }
}

}  // namespace

void ksg_counts_scan(const SampleMatrix& xs, const SampleMatrix& ys, std::size_t k, std::size_t threads,
                     std::vector<std::uint32_t>& nx, std::vector<std::uint32_t>& ny) {
  const auto n = static_cast<std::size_t>(xs.rows());
  SampleMatrix joint(xs.rows(), xs.cols() + ys.cols());
  joint << xs, ys;
  const auto dz = static_cast<std::size_t>(joint.cols());
  PointCloud zc{joint.data(), n, dz};
  EuclideanTree tree(static_cast<int>(dz), zc, nanoflann::KDTreeSingleIndexAdaptorParams(16));
  const Columns xcol(xs), ycol(ys);
  nx.assign(n, 0);
  ny.assign(n, 0);

  auto work = [&](std::size_t first, std::size_t last) {
    std::vector<double> distx(n), disty(n), joint_d;
    std::vector<std::size_t> idx(k + 1);
    std::vector<double> sq(k + 1);
    for (std::size_t i = first; i < last; ++i) {
      // Upper bound U: the max-norm distance to the farthest of k + 1 real points (i included)
      // returned by an approximate Euclidean search.
      nanoflann::KNNResultSet<double, std::size_t> result(k + 1);
      result.init(idx.data(), sq.data());
      tree.findNeighbors(result, zc.row(i), nanoflann::SearchParams(0, 10.0f, false));
      double bound = 0;
      for (std::size_t j = 0; j < result.size(); ++j) bound = std::max(bound, max_norm(zc.row(i), zc.row(idx[j]), dz));
      capped_distances(xcol, i, bound, distx);
      capped_distances(ycol, i, bound, disty);
      joint_d.clear();
      for (std::size_t j = 0; j < n; ++j) {
        const double d = std::max(distx[j], disty[j]);
        if (d <= bound) joint_d.push_back(d);
      }
      // k-th neighbour: the (k + 1)-th smallest joint distance, the point itself (0) included.
      std::nth_element(joint_d.begin(), joint_d.begin() + static_cast<std::ptrdiff_t>(k), joint_d.end());
      const double eps = joint_d[k];
      std::uint32_t cx = 0, cy = 0;
      for (std::size_t j = 0; j < n; ++j) {
        cx += distx[j] < eps;
        cy += disty[j] < eps;
      }
      const std::uint32_t self = eps > 0 ? 1 : 0;
      nx[i] = cx - self;
      ny[i] = cy - self;
    }
  };
  threads = std::max<std::size_t>(1, std::min(threads, n));
  std::vector<std::thread> pool;
  const std::size_t chunk = (n + threads - 1) / threads;
  for (std::size_t t = 1; t < threads; ++t)
    pool.emplace_back(work, std::min(n, t * chunk), std::min(n, (t + 1) * chunk));
  work(0, std::min(n, chunk));
  for (auto& th : pool) th.join();
}

}  // namespace recallbound::estimators::detail
