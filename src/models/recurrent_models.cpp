// Recurrent reference models with a fixed-size matrix memory: linear attention (identity, ELU+1,
// Taylor feature maps), a Mamba-2-style SSM with input-dependent scalar decay, DeltaNet and Gated
// DeltaNet. Each binds a key to the next token with a token shift: at step t the memory is written
// with (k_{t-1}, v_t), and a read-out at t queries with q_t = k_t.
#include "detail.hpp"

#include <algorithm>
#include <cmath>

namespace recallbound::models::detail {

std::size_t feature_width(FeatureMap map, std::size_t d, std::size_t feature_dim) {
  return map == FeatureMap::taylor ? 1 + feature_dim + feature_dim * feature_dim : d;
}

void feature_map(FeatureMap map, const Eigen::MatrixXf& projection, const Eigen::Ref<const Eigen::VectorXf>& key,
                 Eigen::Ref<Eigen::VectorXf> out) {
  switch (map) {
    case FeatureMap::identity: out = key; return;
    case FeatureMap::elu_plus_one:
      out = key.unaryExpr([](float x) { return x > 0 ? x + 1.0f : std::exp(x); });  // elu(x) + 1
      return;
    case FeatureMap::taylor: {
      const Eigen::Index f = projection.rows();
      auto x = out.segment(1, f);  // [f], computed in place (no temporary)
      x.noalias() = projection * key;
      const float inverse_sqrt2 = 0.70710678118654752f;
      out(0) = 1.0f;
      for (Eigen::Index i = 0; i < f; ++i) out.segment(1 + f + i * f, f) = x(i) * inverse_sqrt2 * x;  // row i of x x^T / sqrt 2
      return;
    }
  }
}

std::uint64_t feature_map_cost(FeatureMap map, std::size_t d, std::size_t feature_dim) {
  if (map == FeatureMap::taylor) return feature_dim * d + feature_dim * feature_dim;
  return 0;
}

namespace {

// The shared skeleton: a memory S [F, d] (F = feature width), the token shift, and the read-out
// o = S^T phi(q_t). Subclasses define the write.
class MatrixMemoryModel : public SequenceModel {
 public:
  MatrixMemoryModel(const ModelConfig& config, std::shared_ptr<const Weights> weights, const StorageFormat& format,
                    FeatureMap map)
      : SequenceModel(config, std::move(weights), format),
        map_(map),
        features_(static_cast<Eigen::Index>(feature_width(map, config.d, config.feature_dim))),
        memory_(Eigen::MatrixXf::Zero(features_, static_cast<Eigen::Index>(config.d))),
        shifted_key_(Eigen::VectorXf::Zero(static_cast<Eigen::Index>(config.d))),
        phi_(features_),
        value_(static_cast<Eigen::Index>(config.d)),
        query_features_(features_) {}

  void read_out(Eigen::Ref<Eigen::VectorXf> out) const override {
    if (map_ == FeatureMap::identity) {
      out.noalias() = memory_.transpose() * shifted_key_;               // o = S^T q_t [d]
      return;
    }
    feature_map(map_, weights_->feature_projection, shifted_key_, query_features_);  // phi(q_t) [F]
    out.noalias() = memory_.transpose() * query_features_;              // o = S^T phi(q_t) [d]
  }
  [[nodiscard]] std::uint64_t readout_multiply_adds() const override {
    return feature_map_cost(map_, config_.d, config_.feature_dim) + static_cast<std::uint64_t>(memory_.size());
  }

 protected:
  void clear_state() override {
    memory_.setZero();
    shifted_key_.setZero();
  }
  std::uint64_t update(Token token) override {
    value_ = weights_->value_embedding.row(token).transpose();  // v_t [d]
    store(value_);
    feature_map(map_, weights_->feature_projection, shifted_key_, phi_);  // phi(k_{t-1}) [F]
    const std::uint64_t write_cost = write(token);  // leaves memory_ rounded
    shifted_key_ = weights_->key_embedding.row(token).transpose();  // token shift <- k_t
    store(shifted_key_);
    return feature_map_cost(map_, config_.d, config_.feature_dim) + write_cost;
  }
  /// Writes (phi_, value_) into memory_ and rounds it to the storage format (update_columns);
  /// returns its multiply-adds.
  virtual std::uint64_t write(Token token) = 0;
  /// Runs update(j) for every column j of the memory (column j is what v_j scales) and rounds the
  /// columns to the storage format in groups of about 16 KB while they are still in the L1 cache:
  /// one pass over the memory per step, no temporaries, few calls into the rounding.
  template <typename ColumnUpdate>
  void update_columns(ColumnUpdate&& update) {
    const Eigen::Index group = std::max<Eigen::Index>(1, 4096 / features_);
    for (Eigen::Index first = 0; first < memory_.cols(); first += group) {
      const Eigen::Index last = std::min(memory_.cols(), first + group);
      for (Eigen::Index j = first; j < last; ++j) update(j);
      round_in_place({memory_.col(first).data(), static_cast<std::size_t>((last - first) * features_)}, format_);
    }
  }
  std::vector<StateBuffer> live_state() const override {
    return {{"memory", {memory_.data(), static_cast<std::size_t>(memory_.size())}},
            {"token_shift", {shifted_key_.data(), static_cast<std::size_t>(shifted_key_.size())}}};
  }
  /// Input-dependent decay a_t = exp(-decay) on value tokens (a write is coming), 1 elsewhere.
  [[nodiscard]] float decay_gate(Token token) const {
    return token >= config_.vocab / 2 ? static_cast<float>(std::exp(-config_.decay)) : 1.0f;
  }
  [[nodiscard]] std::uint64_t memory_size() const { return static_cast<std::uint64_t>(memory_.size()); }

  FeatureMap map_;
  Eigen::Index features_;
  Eigen::MatrixXf memory_;       // [F, d] S
  Eigen::VectorXf shifted_key_;  // [d] key embedding of the last token
  Eigen::VectorXf phi_;          // [F] scratch: phi(k_{t-1})
  Eigen::VectorXf value_;        // [d] scratch: v_t
  mutable Eigen::VectorXf query_features_;  // [F] scratch of read_out: phi(q_t) (one model per thread)
};

// Linear attention: S_t = S_{t-1} + phi(k_{t-1}) v_t^T. No normaliser is kept: dividing by
// z.phi(q) > 0 would not change the argmax read-out (and identity features can make it negative).
class LinearAttention final : public MatrixMemoryModel {
 public:
  [[nodiscard]] std::unique_ptr<SequenceModel> copy() const override { return std::make_unique<LinearAttention>(*this); }
  using MatrixMemoryModel::MatrixMemoryModel;

 protected:
  std::uint64_t write(Token) override {
    update_columns([&](Eigen::Index j) { memory_.col(j) += value_(j) * phi_; });  // S[:, j] += v_j phi(k): S += phi(k) v^T
    return memory_size();
  }
};

// Mamba-2-style SSM: S_t = a_t S_{t-1} + B_t x_t^T with B_t = k_{t-1} (the short convolution's
// output), x_t = v_t, C_t = q_t, and a scalar decay a_t that depends on the input token.
class Mamba2 final : public MatrixMemoryModel {
 public:
  [[nodiscard]] std::unique_ptr<SequenceModel> copy() const override { return std::make_unique<Mamba2>(*this); }
  using MatrixMemoryModel::MatrixMemoryModel;

 protected:
  std::uint64_t write(Token token) override {
    const float gate = decay_gate(token);
    update_columns([&](Eigen::Index j) {  // S <- a_t S + k v^T
      if (gate != 1.0f) memory_.col(j) = gate * memory_.col(j) + value_(j) * phi_;
      else memory_.col(j) += value_(j) * phi_;
    });
    return 2 * memory_size();
  }
};

// DeltaNet (gated when `gated`): S_t = a_t (I - beta k k^T) S_{t-1} + beta k v^T, i.e. the memory's
// prediction for k is moved towards v: a repeated key overwrites its old value (beta = 1, |k| = 1).
class DeltaRule final : public MatrixMemoryModel {
 public:
  [[nodiscard]] std::unique_ptr<SequenceModel> copy() const override { return std::make_unique<DeltaRule>(*this); }
  DeltaRule(const ModelConfig& config, std::shared_ptr<const Weights> weights, const StorageFormat& format, bool gated)
      : MatrixMemoryModel(config, std::move(weights), format, FeatureMap::identity), gated_(gated),
        prediction_(static_cast<Eigen::Index>(config.d)), scaled_key_(static_cast<Eigen::Index>(config.d)) {}

 protected:
  std::uint64_t write(Token token) override {
    if (gated_) {
      const float gate = decay_gate(token);
      if (gate != 1.0f) memory_ *= gate;                           // S <- a_t S
    }
    prediction_.noalias() = memory_.transpose() * phi_;            // S^T k: what the memory recalls for k [d]
    prediction_ = value_ - prediction_;                            // v - S^T k
    scaled_key_ = static_cast<float>(config_.write_strength) * phi_;  // beta k [d]
    // S += beta k (v - S^T k)^T, column j scaled by entry j (Eigen's matrix-vector product above
    // measured faster than a fused per-column dot product: it reads four columns at a time).
    update_columns([&](Eigen::Index j) { memory_.col(j) += prediction_(j) * scaled_key_; });
    return (gated_ ? 3 : 2) * memory_size();
  }

 private:
  bool gated_;
  Eigen::VectorXf prediction_;  // [d] scratch: v - S^T k
  Eigen::VectorXf scaled_key_;  // [d] scratch: beta k
};

}  // namespace

std::unique_ptr<SequenceModel> make_recurrent_model(const ModelConfig& config, std::shared_ptr<const Weights> weights,
                                                    const StorageFormat& format) {
  if (config.arch == "linear-attention")
    return std::make_unique<LinearAttention>(config, std::move(weights), format, config.feature_map);
  if (config.arch == "mamba2") return std::make_unique<Mamba2>(config, std::move(weights), format, FeatureMap::identity);
  if (config.arch == "deltanet") return std::make_unique<DeltaRule>(config, std::move(weights), format, false);
  return std::make_unique<DeltaRule>(config, std::move(weights), format, true);
}

}  // namespace recallbound::models::detail
