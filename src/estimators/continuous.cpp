// KSG, Ross's mixed estimator and the Gaussian log-determinant estimate.
#include "recallbound/estimators/continuous.hpp"

#include "estimators/knn.hpp"
#include "recallbound/error.hpp"

#include <Eigen/Cholesky>
#include <boost/math/special_functions/digamma.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <numbers>
#include <string>

namespace recallbound::estimators {
namespace {

using boost::math::digamma;
constexpr double ln2 = std::numbers::ln2;

void check_finite(const SampleMatrix& m, const char* name) {
  if (!m.allFinite()) throw Error::bad_input(std::string(name) + ": contains a non-finite value (nan or inf)");
}

void check_k(std::size_t k, std::size_t n) {
  if (k < 1 || k >= n)
    throw Error::bad_input("--k: " + std::to_string(k) + " is out of range; k must be in [1, samples - 1] = [1, " +
                           std::to_string(n == 0 ? 0 : n - 1) + "]");
}

// Each column scaled to unit standard deviation (constant columns left alone): the max-norm
// neighbourhoods then do not depend on the units of each coordinate; MI itself is invariant.
SampleMatrix standardized(const SampleMatrix& m) {
  SampleMatrix out = m;
  const auto n = static_cast<double>(m.rows());
  for (Eigen::Index c = 0; c < m.cols(); ++c) {
    const double mean = m.col(c).mean();
    const double sd = std::sqrt((m.col(c).array() - mean).square().sum() / std::max(1.0, n - 1));
    if (sd > 0) out.col(c) /= sd;
  }
  return out;
}

// Log-determinant of a symmetric positive-definite matrix; nothing when it is not.
std::optional<double> log_det(const Eigen::MatrixXd& m) {
  Eigen::LLT<Eigen::MatrixXd> llt(m);
  if (llt.info() != Eigen::Success) return std::nullopt;
  double sum = 0;
  for (Eigen::Index i = 0; i < m.rows(); ++i) {
    const double d = llt.matrixL()(i, i);
    if (!(d > 0)) return std::nullopt;
    sum += 2 * std::log(d);
  }
  return sum;
}

}  // namespace

double ksg_bits(const SampleMatrix& x, const SampleMatrix& y, std::size_t k) {
  const auto n = static_cast<std::size_t>(x.rows());
  if (static_cast<std::size_t>(y.rows()) != n)
    throw Error::bad_input("--y: " + std::to_string(y.rows()) + " samples, but --x has " + std::to_string(n) +
                           "; both must have one row per sample");
  if (x.cols() < 1 || y.cols() < 1) throw Error::bad_input("--x/--y: each sample needs at least one coordinate");
  check_k(k, n);
  check_finite(x, "--x");
  check_finite(y, "--y");

  const SampleMatrix xs = standardized(x), ys = standardized(y);
  SampleMatrix joint(static_cast<Eigen::Index>(n), x.cols() + y.cols());
  joint << xs, ys;
  const auto dx = static_cast<std::size_t>(x.cols()), dy = static_cast<std::size_t>(y.cols()),
             dz = dx + dy;
  detail::PointCloud zc{joint.data(), n, dz}, xc{xs.data(), n, dx}, yc{ys.data(), n, dy};
  detail::MaxNormTree joint_tree(static_cast<int>(dz), zc, nanoflann::KDTreeSingleIndexAdaptorParams(16));
  const detail::MaxNormCounter x_counter(xc), y_counter(yc);
  const auto search = detail::exact_max_norm_search(dz);

  std::vector<std::size_t> neighbours(k + 1);
  std::vector<double> transformed(k + 1);
  double marginal_sum = 0;  // sum of psi(n_x + 1) + psi(n_y + 1), in point order
  for (std::size_t i = 0; i < n; ++i) {
    nanoflann::KNNResultSet<double, std::size_t> result(k + 1);
    result.init(neighbours.data(), transformed.data());
    joint_tree.findNeighbors(result, zc.row(i), search);
    // Distance to the k-th neighbour (the k + 1 nearest include the point itself at 0).
    double radius = 0;
    for (std::size_t j = 0; j < result.size(); ++j)
      radius = std::max(radius, detail::max_norm(zc.row(i), zc.row(neighbours[j]), dz));
    const auto nx = static_cast<double>(x_counter.count_within(i, radius));
    const auto ny = static_cast<double>(y_counter.count_within(i, radius));
    marginal_sum += digamma(nx + 1) + digamma(ny + 1);
  }
  const double nats = digamma(static_cast<double>(k)) + digamma(static_cast<double>(n)) -
                      marginal_sum / static_cast<double>(n);
  return nats / ln2;
}

double mixed_bits(const std::vector<std::int64_t>& labels, const SampleMatrix& x, std::size_t k) {
  const std::size_t n = labels.size();
  if (static_cast<std::size_t>(x.rows()) != n)
    throw Error::bad_input("--y: " + std::to_string(x.rows()) + " samples, but --x has " + std::to_string(n) +
                           " labels; both must have one row per sample");
  if (x.cols() < 1) throw Error::bad_input("--y: each sample needs at least one coordinate");
  if (k < 1) throw Error::bad_input("--k: 0 is out of range; k must be >= 1");
  check_finite(x, "--y");
  const SampleMatrix xs = standardized(x);
  const auto dim = static_cast<std::size_t>(x.cols());

  std::map<std::int64_t, std::vector<std::size_t>> by_label;
  for (std::size_t i = 0; i < n; ++i) by_label[labels[i]].push_back(i);

  // Per point: radius to its k-th same-label neighbour (Euclidean, squared), its label count, k.
  std::vector<double> radius_sq(n, 0);
  std::vector<std::size_t> label_count(n, 0), k_used(n, 0);
  std::vector<std::size_t> kept;  // points whose label occurs at least twice
  for (const auto& [label, members] : by_label) {
    if (members.size() < 2) continue;
    SampleMatrix sub(static_cast<Eigen::Index>(members.size()), xs.cols());
    for (std::size_t r = 0; r < members.size(); ++r) sub.row(static_cast<Eigen::Index>(r)) = xs.row(static_cast<Eigen::Index>(members[r]));
    detail::PointCloud cloud{sub.data(), members.size(), dim};
    detail::EuclideanTree tree(static_cast<int>(dim), cloud, nanoflann::KDTreeSingleIndexAdaptorParams(16));
    const std::size_t kk = std::min(k, members.size() - 1);
    std::vector<std::size_t> idx(kk + 1);
    std::vector<double> dist(kk + 1);
    for (std::size_t r = 0; r < members.size(); ++r) {
      nanoflann::KNNResultSet<double, std::size_t> result(kk + 1);
      result.init(idx.data(), dist.data());
      tree.findNeighbors(result, cloud.row(r), nanoflann::SearchParams(0, 0, false));
      double worst = 0;
      for (std::size_t j = 0; j < result.size(); ++j) worst = std::max(worst, dist[j]);
      const std::size_t i = members[r];
      radius_sq[i] = worst;
      label_count[i] = members.size();
      k_used[i] = kk;
      kept.push_back(i);
    }
  }
  if (kept.empty()) throw Error::bad_input("--x: no label occurs twice; the mixed estimator needs repeated labels");
  std::sort(kept.begin(), kept.end());

  // m_i: points among the kept ones strictly closer than the k-th same-label neighbour, plus one.
  SampleMatrix all(static_cast<Eigen::Index>(kept.size()), xs.cols());
  for (std::size_t r = 0; r < kept.size(); ++r) all.row(static_cast<Eigen::Index>(r)) = xs.row(static_cast<Eigen::Index>(kept[r]));
  detail::PointCloud cloud{all.data(), kept.size(), dim};
  detail::EuclideanTree tree(static_cast<int>(dim), cloud, nanoflann::KDTreeSingleIndexAdaptorParams(16));
  double sum = 0;
  for (std::size_t r = 0; r < kept.size(); ++r) {
    const std::size_t i = kept[r];
    const double* q = cloud.row(r);
    auto exact = [&](std::size_t j) {
      if (j == r) return false;
      double s = 0;
      for (std::size_t d = 0; d < dim; ++d) s += (q[d] - cloud.row(j)[d]) * (q[d] - cloud.row(j)[d]);
      return s < radius_sq[i];
    };
    detail::CountingResultSet<decltype(exact)> result{std::nextafter(radius_sq[i] * (1 + 1e-9), 1e308), exact};
    tree.findNeighbors(result, q, nanoflann::SearchParams(0, 0, false));
    const auto m = static_cast<double>(result.found + 1);
    sum += digamma(static_cast<double>(k_used[i])) - digamma(static_cast<double>(label_count[i])) - digamma(m);
  }
  const double nats = digamma(static_cast<double>(kept.size())) + sum / static_cast<double>(kept.size());
  return nats / ln2;
}

double gaussian_bits(const SampleMatrix& x, const SampleMatrix& y) {
  const auto n = x.rows();
  if (y.rows() != n)
    throw Error::bad_input("--y: " + std::to_string(y.rows()) + " samples, but --x has " + std::to_string(n) +
                           "; both must have one row per sample");
  const auto d = x.cols() + y.cols();
  if (n < d + 2)
    throw Error::bad_input("samples: " + std::to_string(n) + " rows for " + std::to_string(d) +
                           " coordinates; the Gaussian estimate needs at least coordinates + 2 rows");
  check_finite(x, "--x");
  check_finite(y, "--y");
  Eigen::MatrixXd joint(n, d);
  joint << standardized(x), standardized(y);
  joint.rowwise() -= joint.colwise().mean();
  const Eigen::MatrixXd cov = (joint.transpose() * joint) / static_cast<double>(n - 1);
  const auto lx = log_det(cov.topLeftCorner(x.cols(), x.cols()));
  const auto ly = log_det(cov.bottomRightCorner(y.cols(), y.cols()));
  const auto lj = log_det(cov);
  if (!lx || !ly || !lj)
    throw Error::bad_input("samples: the sample covariance is singular (a constant or duplicated coordinate); "
                           "the Gaussian estimate needs a positive-definite covariance");
  return 0.5 * (*lx + *ly - *lj) / ln2;
}

}  // namespace recallbound::estimators
