#pragma once
// The learned read-out: a ridge-regression probe from a model's output [o, 1] to the one-hot code
// of the value, fitted in closed form on read-outs from separate sequences:
//   W = (X^T X + lambda I)^-1 X^T Y,  lambda = ridge * trace(X^T X) / width.
#include "recallbound/models/task.hpp"

#include <Eigen/Core>

#include <vector>

namespace recallbound::models::detail {

class RidgeProbe {
 public:
  explicit RidgeProbe(Eigen::MatrixXf weights) : weights_(std::move(weights)) {}
  /// Scores [N, V_values] for read-outs [N, d].
  [[nodiscard]] Eigen::MatrixXf scores(const Eigen::MatrixXf& outputs) const;
  [[nodiscard]] const Eigen::MatrixXf& weights() const { return weights_; }  // [d + 1, V_values]

 private:
  Eigen::MatrixXf weights_;
};

/// features[i]: read-outs [N_i, d] at the queries of sequences[i], in query order.
RidgeProbe fit_ridge_probe(const std::vector<Eigen::MatrixXf>& features, const std::vector<RecallSequence>& sequences,
                           std::int64_t first_value, std::int64_t value_count, double ridge);

}  // namespace recallbound::models::detail
