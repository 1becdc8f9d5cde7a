// Cross-fitted projected estimates (see include/recallbound/estimators/projected.hpp for why the
// target is a lower bound on the joint mutual information).
#include "recallbound/estimators/projected.hpp"

#include "recallbound/error.hpp"

#include <Eigen/Eigenvalues>
#include <Eigen/SVD>

#include <algorithm>
#include <charconv>
#include <functional>
#include <map>
#include <numeric>
#include <random>
#include <thread>

namespace recallbound::estimators {
namespace {

constexpr std::size_t max_components = 64;

Eigen::MatrixXd centered(const SampleMatrix& m) {
  Eigen::MatrixXd c = m;
  c.rowwise() -= c.colwise().mean();
  return c;
}

// S^(-1/2) of a covariance, with a tiny relative ridge so that constant or duplicated
// coordinates do not make it singular (any map keeps the bound valid; the ridge only decides
// which map we use).
Eigen::MatrixXd inverse_sqrt(Eigen::MatrixXd s) {
  const auto d = s.rows();
  const double scale = std::max(s.trace() / static_cast<double>(d), 1e-300);
  s.diagonal().array() += 1e-9 * scale;
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(s);
  Eigen::VectorXd inv = eig.eigenvalues();
  for (Eigen::Index i = 0; i < d; ++i) inv(i) = inv(i) > 1e-12 * scale ? 1 / std::sqrt(inv(i)) : 0;
  return eig.eigenvectors() * inv.asDiagonal() * eig.eigenvectors().transpose();
}

SampleMatrix rows(const SampleMatrix& m, const std::vector<std::size_t>& idx) {
  SampleMatrix out(static_cast<Eigen::Index>(idx.size()), m.cols());
  for (std::size_t r = 0; r < idx.size(); ++r) out.row(static_cast<Eigen::Index>(r)) = m.row(static_cast<Eigen::Index>(idx[r]));
  return out;
}

SampleMatrix project(const SampleMatrix& m, const Eigen::MatrixXd& directions) {
  return SampleMatrix(m * directions.transpose());
}

// Two halves of 0 .. n-1 from a seeded shuffle; each half sorted so sums run in a fixed order.
std::array<std::vector<std::size_t>, 2> split_halves(std::size_t n, std::uint64_t seed) {
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::mt19937_64 rng(seed);
  for (std::size_t i = n; i > 1; --i) std::swap(order[i - 1], order[rng() % i]);  // Fisher-Yates
  std::array<std::vector<std::size_t>, 2> halves{std::vector<std::size_t>(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(n / 2)),
                                                 std::vector<std::size_t>(order.begin() + static_cast<std::ptrdiff_t>(n / 2), order.end())};
  for (auto& h : halves) std::sort(h.begin(), h.end());
  return halves;
}

void check_components(std::size_t components) {
  if (components < 1 || components > max_components)
    throw Error::bad_input("--project: " + std::to_string(components) + " components is out of range; use 1 .. " +
                           std::to_string(max_components));
}

void check_rows(std::size_t n, std::size_t k) {
  if (n < 2 * (k + 1))
    throw Error::bad_input("samples: " + std::to_string(n) + " rows; a cross-fitted projected estimate with k = " +
                           std::to_string(k) + " needs at least 2 (k + 1) = " + std::to_string(2 * (k + 1)) + " rows");
}

// Runs fold(0) and fold(1), on two threads when asked; results do not depend on it.
std::array<double, 2> run_folds(std::size_t threads, const std::function<double(std::size_t)>& fold) {
  std::array<double, 2> out{};
  if (threads >= 2) {
    std::exception_ptr failure;
    std::thread second([&] {
      try {
        out[1] = fold(1);
      } catch (...) {
        failure = std::current_exception();
      }
    });
    try {
      out[0] = fold(0);
    } catch (...) {
      second.join();
      throw;
    }
    second.join();
    if (failure) std::rethrow_exception(failure);
  } else {
    out[0] = fold(0);
    out[1] = fold(1);
  }
  return out;
}

}  // namespace

Projection parse_projection(std::string_view text, std::string_view field) {
  const auto bad = [&] {
    return Error::bad_input(std::string(field) + ": '" + std::string(text) +
                            "' is not a projection; use none, cca:K or lda:K with K in 1 .. " +
                            std::to_string(max_components));
  };
  if (text == "none") return {};
  const auto colon = text.find(':');
  if (colon == std::string_view::npos) throw bad();
  const std::string_view kind = text.substr(0, colon), count = text.substr(colon + 1);
  Projection p;
  if (kind == "cca") p.kind = ProjectionKind::cca;
  else if (kind == "lda") p.kind = ProjectionKind::lda;
  else throw bad();
  const auto [end, ec] = std::from_chars(count.data(), count.data() + count.size(), p.components);
  if (ec != std::errc() || end != count.data() + count.size() || p.components < 1 || p.components > max_components)
    throw bad();
  return p;
}

std::string projection_name(const Projection& p) {
  switch (p.kind) {
    case ProjectionKind::none: return "none";
    case ProjectionKind::cca: return "cca:" + std::to_string(p.components);
    case ProjectionKind::lda: return "lda:" + std::to_string(p.components);
  }
  return "none";
}

namespace detail {

Eigen::MatrixXd cca_directions(const SampleMatrix& x, const SampleMatrix& y, std::size_t components,
                               Eigen::MatrixXd* y_directions) {
  const Eigen::MatrixXd cx = centered(x), cy = centered(y);
  const double denom = std::max(1.0, static_cast<double>(x.rows()) - 1);
  const Eigen::MatrixXd wx = inverse_sqrt(cx.transpose() * cx / denom), wy = inverse_sqrt(cy.transpose() * cy / denom);
  const Eigen::MatrixXd cross = wx * (cx.transpose() * cy / denom) * wy;
  Eigen::JacobiSVD<Eigen::MatrixXd> svd(cross, Eigen::ComputeThinU | Eigen::ComputeThinV);
  const auto kk = static_cast<Eigen::Index>(std::min<std::size_t>(components, static_cast<std::size_t>(svd.singularValues().size())));
  if (y_directions) *y_directions = (wy * svd.matrixV().leftCols(kk)).transpose();
  return (wx * svd.matrixU().leftCols(kk)).transpose();
}

Eigen::MatrixXd lda_directions(const std::vector<std::int64_t>& labels, const SampleMatrix& x, std::size_t components) {
  const auto n = static_cast<double>(x.rows());
  const Eigen::RowVectorXd mean = x.colwise().mean();
  std::map<std::int64_t, std::pair<Eigen::RowVectorXd, double>> sums;  // label -> (sum of rows, count)
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    auto [it, fresh] = sums.try_emplace(labels[static_cast<std::size_t>(i)], Eigen::RowVectorXd::Zero(x.cols()), 0.0);
    it->second.first += x.row(i);
    it->second.second += 1;
  }
  if (sums.size() < 2) throw Error::bad_input("--x: every sample of a fitting half has the same label; lda needs two labels");
  std::map<std::int64_t, Eigen::RowVectorXd> class_mean;
  Eigen::MatrixXd between = Eigen::MatrixXd::Zero(x.cols(), x.cols());
  for (const auto& [label, s] : sums) {
    const Eigen::RowVectorXd m = s.first / s.second;
    class_mean.emplace(label, m);
    const Eigen::RowVectorXd diff = m - mean;
    between += (s.second / n) * diff.transpose() * diff;
  }
  Eigen::MatrixXd within_rows = x;
  for (Eigen::Index i = 0; i < x.rows(); ++i) within_rows.row(i) -= class_mean.at(labels[static_cast<std::size_t>(i)]);
  const Eigen::MatrixXd w = inverse_sqrt(within_rows.transpose() * within_rows / n);
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(w * between * w);  // ascending eigenvalues
  const std::size_t kk = std::min({components, sums.size() - 1, static_cast<std::size_t>(x.cols())});
  Eigen::MatrixXd directions(static_cast<Eigen::Index>(kk), x.cols());
  for (std::size_t c = 0; c < kk; ++c)
    directions.row(static_cast<Eigen::Index>(c)) = (w * eig.eigenvectors().col(x.cols() - 1 - static_cast<Eigen::Index>(c))).transpose();
  return directions;
}

}  // namespace detail

ProjectedEstimate projected_ksg_bits(const SampleMatrix& x, const SampleMatrix& y, std::size_t components,
                                     std::size_t k, std::uint64_t seed, std::size_t threads) {
  const auto n = static_cast<std::size_t>(x.rows());
  if (static_cast<std::size_t>(y.rows()) != n)
    throw Error::bad_input("--y: " + std::to_string(y.rows()) + " samples, but --x has " + std::to_string(n) +
                           "; both must have one row per sample");
  if (x.cols() < 1 || y.cols() < 1) throw Error::bad_input("--x/--y: each sample needs at least one coordinate");
  check_components(components);
  check_rows(n, k);
  if (!x.allFinite()) throw Error::bad_input("--x: contains a non-finite value (nan or inf)");
  if (!y.allFinite()) throw Error::bad_input("--y: contains a non-finite value (nan or inf)");
  const auto halves = split_halves(n, seed);
  const bool project_y = static_cast<std::size_t>(y.cols()) > components;
  ProjectedEstimate out;
  out.fold_bits = run_folds(threads, [&](std::size_t fold) {
    const auto& fit = halves[fold];
    const auto& apply = halves[1 - fold];
    Eigen::MatrixXd qy;
    const Eigen::MatrixXd px = detail::cca_directions(rows(x, fit), rows(y, fit), components, &qy);
    const SampleMatrix yb = rows(y, apply);
    return ksg_bits(project(rows(x, apply), px), project_y ? project(yb, qy) : yb, k, 1);
  });
  out.bits = 0.5 * (out.fold_bits[0] + out.fold_bits[1]);
  out.x_components = std::min({components, static_cast<std::size_t>(x.cols()), static_cast<std::size_t>(y.cols())});
  out.y_components = project_y ? out.x_components : static_cast<std::size_t>(y.cols());
  return out;
}

ProjectedEstimate projected_mixed_bits(const std::vector<std::int64_t>& labels, const SampleMatrix& x,
                                       std::size_t components, std::size_t k, std::uint64_t seed, std::size_t threads) {
  const std::size_t n = labels.size();
  if (static_cast<std::size_t>(x.rows()) != n)
    throw Error::bad_input("--y: " + std::to_string(x.rows()) + " samples, but --x has " + std::to_string(n) +
                           " labels; both must have one row per sample");
  if (x.cols() < 1) throw Error::bad_input("--y: each sample needs at least one coordinate");
  check_components(components);
  check_rows(n, k);
  if (!x.allFinite()) throw Error::bad_input("--y: contains a non-finite value (nan or inf)");
  const auto halves = split_halves(n, seed);
  std::array<std::size_t, 2> used{};
  ProjectedEstimate out;
  out.fold_bits = run_folds(threads, [&](std::size_t fold) {
    const auto& fit = halves[fold];
    const auto& apply = halves[1 - fold];
    std::vector<std::int64_t> fit_labels, apply_labels;
    for (auto i : fit) fit_labels.push_back(labels[i]);
    for (auto i : apply) apply_labels.push_back(labels[i]);
    const Eigen::MatrixXd p = detail::lda_directions(fit_labels, rows(x, fit), components);
    used[fold] = static_cast<std::size_t>(p.rows());
    return mixed_bits(apply_labels, project(rows(x, apply), p), k);
  });
  out.bits = 0.5 * (out.fold_bits[0] + out.fold_bits[1]);
  out.x_components = std::max(used[0], used[1]);
  out.y_components = 0;
  return out;
}

}  // namespace recallbound::estimators
