#include "probe.hpp"

#include "recallbound/error.hpp"
#include "recallbound/models/matmul.hpp"

#include <Eigen/Cholesky>

#include <cmath>

namespace recallbound::models::detail {

Eigen::MatrixXf RidgeProbe::scores(const Eigen::MatrixXf& outputs) const {
  const Eigen::Index d = outputs.cols();
  // [o, 1] W = o W_top + w_bias
  Eigen::MatrixXf result = product(outputs, weights_.topRows(d));  // [N, V_values]
  result.rowwise() += weights_.row(d);
  return result;
}

RidgeProbe fit_ridge_probe(const std::vector<Eigen::MatrixXf>& features, const std::vector<RecallSequence>& sequences,
                           std::int64_t first_value, std::int64_t value_count, double ridge) {
  if (features.empty()) throw Error::internal("ridge probe: no probe sequences");
  const Eigen::Index d = features.front().cols();
  const Eigen::Index width = d + 1;
  Eigen::MatrixXd gram = Eigen::MatrixXd::Zero(width, width);              // X^T X [d+1, d+1]
  Eigen::MatrixXd cross = Eigen::MatrixXd::Zero(width, value_count);      // X^T Y [d+1, V_values]
  for (std::size_t s = 0; s < features.size(); ++s) {
    Eigen::MatrixXd x(features[s].rows(), width);                         // [N, d+1]
    // A read-out that overflowed (inf / NaN under IEEE stores) carries no usable signal: zero it.
    x.leftCols(d) = features[s].cast<double>().unaryExpr([](double v) { return std::isfinite(v) ? v : 0.0; });
    x.col(d).setOnes();
    gram.noalias() += x.transpose() * x;
    // X^T Y with one-hot Y: add each row of X to the column of its value.
    for (std::size_t q = 0; q < sequences[s].queries.size(); ++q)
      cross.col(sequences[s].queries[q].expected_value - first_value) += x.row(static_cast<Eigen::Index>(q)).transpose();
  }
  const double lambda = ridge * std::max(gram.trace() / static_cast<double>(width), 1e-300);
  gram.diagonal().array() += lambda;
  const Eigen::LLT<Eigen::MatrixXd> factor(gram);
  if (factor.info() != Eigen::Success) throw Error::internal("ridge probe: the regularised Gram matrix is not positive definite");
  return RidgeProbe(factor.solve(cross).cast<float>());
}

}  // namespace recallbound::models::detail
