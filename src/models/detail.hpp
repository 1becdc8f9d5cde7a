#pragma once
// Pieces the reference models share: the token shift, feature maps and the key-value cache.
#include "recallbound/models/model.hpp"

#include <Eigen/Core>

#include <cstdint>
#include <span>
#include <vector>

namespace recallbound::models::detail {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// Whether every number is +0 (bit pattern 0; a -0 is not): the rows a sequence's inputs share.
bool all_plus_zero(std::span<const float> numbers);

/// Width of phi(k): d (identity, elu+1) or 1 + f + f^2 (taylor on keys projected to f).
std::size_t feature_width(FeatureMap map, std::size_t d, std::size_t feature_dim);

/// phi(key) into `out` [feature_width]. Taylor: x = P key, phi = [1, x, vec(x x^T) / sqrt 2], so
/// phi(q).phi(k) = 1 + q'k' + (q'k')^2 / 2, the second-order Taylor expansion of exp(q'k').
void feature_map(FeatureMap map, const Eigen::MatrixXf& projection, const Eigen::Ref<const Eigen::VectorXf>& key,
                 Eigen::Ref<Eigen::VectorXf> out);
/// Multiply-adds of one feature_map call.
std::uint64_t feature_map_cost(FeatureMap map, std::size_t d, std::size_t feature_dim);

/// The per-step inputs of a whole sequence for a fused run, the bits step() computes token by
/// token, as rows: feature_rows[t] -> phi(round(k(token_{t-1}))) [F] (feature_rows[0]: the empty
/// token shift's), value_rows[t] -> round(v(token_t)) [d]. Each distinct token is computed once (a
/// sequence repeats its keys, and every filler or value token has the zero key); with fp32 storage
/// and identity features the rows point straight into the embedding tables.
class SequenceInputs {
 public:
  void build(FeatureMap map, const Weights& weights, const StorageFormat& format, std::span<const Token> tokens);
  std::vector<const float*> feature_rows;  // [L + 1]
  std::vector<const float*> value_rows;    // [L]

 private:
  Eigen::MatrixXf features_;  // [F, slots]: column 0 the zero key's features, then one per distinct key
  Eigen::MatrixXf values_;    // [d, slots]: rounded value rows (unless fp32)
  struct Slot {
    const float* features;  // [F]
    const float* values;    // [d]
  };
  std::vector<Slot> slots_;                  // one per distinct token of the sequence
  std::vector<std::int32_t> slot_of_token_;  // [V]: the token's slot, or -1
  std::vector<Token> seen_;                  // tokens whose slot_of_token_ is set
  Eigen::VectorXf key_;                      // [d] scratch: the rounded key
  Eigen::VectorXf zero_row_;                 // [d] +0: every zero value row (Weights::zero_value_rows)
};

/// Key-value cache of an attention layer: every position appends one (key, value) row pair;
/// with a window only the last `window` stay (a ring buffer).
class KvCache {
 public:
  KvCache(std::size_t d, std::size_t window);  // window 0: unbounded
  void clear();
  /// Appends (key, value) (already rounded to the storage format).
  void append(const Eigen::Ref<const Eigen::VectorXf>& key, const Eigen::Ref<const Eigen::VectorXf>& value);
  /// out = sum_i softmax(beta q.k_i) v_i over the live rows; zero when empty.
  void attend(const Eigen::Ref<const Eigen::VectorXf>& query, double beta, Eigen::Ref<Eigen::VectorXf> out) const;
  [[nodiscard]] std::size_t live_rows() const { return rows_; }
  [[nodiscard]] std::size_t width() const { return d_; }
  /// Live buffers: the first live_rows() rows of the key and value tables.
  [[nodiscard]] std::span<const float> live_keys() const { return {keys_.data(), rows_ * d_}; }
  [[nodiscard]] std::span<const float> live_values() const { return {values_.data(), rows_ * d_}; }

 private:
  std::size_t d_;
  std::size_t window_;
  std::size_t rows_ = 0;       // live rows
  std::size_t next_ = 0;       // ring position of the next write (windowed)
  std::vector<float> keys_;    // [rows, d] row-major
  std::vector<float> values_;  // [rows, d] row-major
  mutable std::vector<float> scores_;  // scratch of attend: scores, then softmax weights (one model per thread)
};

/// Concrete models (defined in attention_models.cpp and recurrent_models.cpp).
std::unique_ptr<SequenceModel> make_attention_model(const ModelConfig&, std::shared_ptr<const Weights>,
                                                    const StorageFormat&);
std::unique_ptr<SequenceModel> make_recurrent_model(const ModelConfig&, std::shared_ptr<const Weights>,
                                                    const StorageFormat&);

}  // namespace recallbound::models::detail
