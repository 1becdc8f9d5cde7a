// Attention-based reference models: softmax attention with a growing KV cache, sliding-window
// attention, and the Based hybrid (Taylor linear attention + a sliding window).
#include "detail.hpp"
#include "memory_kernels.hpp"

#include <algorithm>
#include <cmath>

namespace recallbound::models::detail {

KvCache::KvCache(std::size_t d, std::size_t window) : d_(d), window_(window) {
  if (window_ > 0) {
    keys_.resize(window_ * d_);
    values_.resize(window_ * d_);
  }
}

void KvCache::clear() {
  rows_ = 0;
  next_ = 0;
  if (window_ == 0) {
    keys_.clear();
    values_.clear();
  }
}

void KvCache::append(const Eigen::Ref<const Eigen::VectorXf>& key, const Eigen::Ref<const Eigen::VectorXf>& value) {
  if (window_ == 0) {
    keys_.insert(keys_.end(), key.data(), key.data() + d_);
    values_.insert(values_.end(), value.data(), value.data() + d_);
    ++rows_;
    return;
  }
  std::copy(key.data(), key.data() + d_, keys_.begin() + static_cast<std::ptrdiff_t>(next_ * d_));
  std::copy(value.data(), value.data() + d_, values_.begin() + static_cast<std::ptrdiff_t>(next_ * d_));
  next_ = (next_ + 1) % window_;
  rows_ = std::min(rows_ + 1, window_);
}

void KvCache::attend(const Eigen::Ref<const Eigen::VectorXf>& query, double beta, Eigen::Ref<Eigen::VectorXf> out) const {
  out.setZero();
  if (rows_ == 0) return;
  const auto rows = static_cast<Eigen::Index>(rows_);
  const auto d = static_cast<Eigen::Index>(d_);
  Eigen::Map<const RowMatrix> keys(keys_.data(), rows, d);      // [rows, d]
  Eigen::Map<const RowMatrix> values(values_.data(), rows, d);  // [rows, d]
  if (scores_.size() < rows_) scores_.resize(std::max(rows_, 2 * scores_.size()));  // grows rarely; no per-call allocation
  Eigen::Map<Eigen::VectorXf> scores(scores_.data(), rows);     // [rows]
  scores.noalias() = keys * query;                              // q.k_i
  scores *= static_cast<float>(beta);
  // Softmax with the maximum subtracted, so no exponential overflows.
  const float top = scores.maxCoeff();
  scores = (scores.array() - top).exp().matrix();               // the weights w_i
  const float total = scores.sum();
  out.noalias() = values.transpose() * scores;                  // [d]: sum_i w_i v_i
  out /= total;
}

namespace {

double effective_beta(const ModelConfig& config) {
  return config.inverse_temperature > 0 ? config.inverse_temperature
                                        : 2.0 * std::sqrt(static_cast<double>(config.d));
}

// Softmax attention over a KV cache; window 0 keeps every position (softmax-attention), otherwise
// the last `window` positions (sliding-window). The token shift binds each key to the next token:
// at step t the cache gains (k_{t-1}, v_t), and a query at t reads with q_t = k_t.
class CachedAttention final : public SequenceModel {
 public:
  [[nodiscard]] std::unique_ptr<SequenceModel> copy() const override { return std::make_unique<CachedAttention>(*this); }
  CachedAttention(const ModelConfig& config, std::shared_ptr<const Weights> weights, const StorageFormat& format,
                  std::size_t window)
      : SequenceModel(config, std::move(weights), format),
        cache_(config.d, window),
        shifted_key_(Eigen::VectorXf::Zero(static_cast<Eigen::Index>(config.d))),
        value_(static_cast<Eigen::Index>(config.d)) {}

  void read_out(Eigen::Ref<Eigen::VectorXf> out) const override {
    cache_.attend(shifted_key_, effective_beta(config_), out);  // q_t = k_t, held by the token shift
  }
  [[nodiscard]] std::uint64_t readout_multiply_adds() const override { return 2 * cache_.live_rows() * config_.d; }

 protected:
  void clear_state() override {
    cache_.clear();
    shifted_key_.setZero();
  }
  std::uint64_t update(Token token) override {
    value_ = weights_->value_embedding.row(token).transpose();  // v_t [d]
    store(value_);
    cache_.append(shifted_key_, value_);                         // cache += (k_{t-1}, v_t)
    shifted_key_ = weights_->key_embedding.row(token).transpose();  // token shift <- k_t [d]
    store(shifted_key_);
    return 0;  // appending multiplies nothing
  }
  std::vector<StateBuffer> live_state() const override {
    return {{"kv_cache_keys", cache_.live_keys()},
            {"kv_cache_values", cache_.live_values()},
            {"token_shift", {shifted_key_.data(), static_cast<std::size_t>(shifted_key_.size())}}};
  }

 private:
  KvCache cache_;
  Eigen::VectorXf shifted_key_;  // [d] key embedding of the last token
  Eigen::VectorXf value_;        // [d] scratch
};

// Based: linear attention with the Taylor feature map (keys projected to feature_dim), normalised,
// plus softmax attention over a sliding window; the output is the sum of both.
class Based final : public SequenceModel {
 public:
  [[nodiscard]] std::unique_ptr<SequenceModel> copy() const override { return std::make_unique<Based>(*this); }
  Based(const ModelConfig& config, std::shared_ptr<const Weights> weights, const StorageFormat& format)
      : SequenceModel(config, std::move(weights), format),
        features_(static_cast<Eigen::Index>(feature_width(FeatureMap::taylor, config.d, config.feature_dim))),
        memory_(Eigen::MatrixXf::Zero(features_, static_cast<Eigen::Index>(config.d))),
        normalizer_(Eigen::VectorXf::Zero(features_)),
        window_(config.d, config.window),
        shifted_key_(Eigen::VectorXf::Zero(static_cast<Eigen::Index>(config.d))),
        phi_(features_),
        value_(static_cast<Eigen::Index>(config.d)),
        query_features_(features_),
        local_(static_cast<Eigen::Index>(config.d)) {}

  void read_out(Eigen::Ref<Eigen::VectorXf> out) const override {
    feature_map(FeatureMap::taylor, weights_->feature_projection, shifted_key_, query_features_);  // phi(q_t)
    const float denominator = normalizer_.dot(query_features_);  // z.phi(q) >= t/2 > 0 (Taylor: 1 + s + s^2/2 >= 1/2)
    window_.attend(shifted_key_, effective_beta(config_), local_);
    read_memory(layout(), query_features_.data(), out.data());  // [d]: S^T phi(q)
    if (denominator > 0) out /= denominator;
    out += local_;
  }
  [[nodiscard]] std::uint64_t readout_multiply_adds() const override {
    return feature_map_cost(FeatureMap::taylor, config_.d, config_.feature_dim) +
           static_cast<std::uint64_t>(features_) * (config_.d + 1) + 2 * window_.live_rows() * config_.d;
  }

 protected:
  void clear_state() override {
    memory_.setZero();
    normalizer_.setZero();
    window_.clear();
    shifted_key_.setZero();
  }
  std::uint64_t update(Token token) override {
    value_ = weights_->value_embedding.row(token).transpose();  // v_t [d]
    store(value_);
    feature_map(FeatureMap::taylor, weights_->feature_projection, shifted_key_, phi_);  // phi(k_{t-1}) [F]
    step_memory(layout(), {}, phi_.data(), value_.data(), 1.0f, format_);  // S += phi(k_{t-1}) v_t^T [F, d], rounded
    normalizer_ += phi_;                             // z += phi(k_{t-1})         [F]
    store(normalizer_);
    window_.append(shifted_key_, value_);            // window cache += (k_{t-1}, v_t)
    shifted_key_ = weights_->key_embedding.row(token).transpose();
    store(shifted_key_);
    return feature_map_cost(FeatureMap::taylor, config_.d, config_.feature_dim) +
           static_cast<std::uint64_t>(features_) * config_.d;
  }
  // The fused recurrent form: the linear part's read-outs S^T phi(q) by run_memory_fused, then one
  // pass for the normaliser and the window (cheap: F + window d per step) that finishes each read-out
  // exactly as read_out does.
  bool run_fused(std::span<const Token> tokens, std::span<const std::size_t> readout_positions,
                 float* readouts) override {
    const auto length = static_cast<Eigen::Index>(tokens.size());
    const Eigen::Index d = memory_.cols();
    inputs_.build(FeatureMap::taylor, *weights_, format_, tokens);  // phi(k_{t-1}) and v_t, by rows
    sequence_gates_.setOnes(length);
    run_memory_fused(layout(), {},
                     {inputs_.feature_rows, inputs_.value_rows, sequence_gates_.data(), tokens.size(),
                      readout_positions, readouts, &fused_scratch_},
                     format_);
    shifted_key_.setZero();
    std::size_t next = 0;
    for (Eigen::Index t = 0; t < length; ++t) {
      const auto step = static_cast<std::size_t>(t);
      const Eigen::Map<const Eigen::VectorXf> phi(inputs_.feature_rows[step], features_);        // phi(k_{t-1})
      const Eigen::Map<const Eigen::VectorXf> value(inputs_.value_rows[step], d);                // v_t
      const Eigen::Map<const Eigen::VectorXf> query(inputs_.feature_rows[step + 1], features_);  // phi(q_t)
      normalizer_ += phi;  // z += phi(k_{t-1})
      store(normalizer_);
      window_.append(shifted_key_, value);  // window cache += (k_{t-1}, v_t)
      shifted_key_ = weights_->key_embedding.row(tokens[step]).transpose();
      store(shifted_key_);
      for (; next < readout_positions.size() && readout_positions[next] == step; ++next) {
        Eigen::Map<Eigen::VectorXf> out(readouts + next * static_cast<std::size_t>(d), d);
        query_features_ = query;  // in read_out's own buffer
        const float denominator = normalizer_.dot(query_features_);
        window_.attend(shifted_key_, effective_beta(config_), local_);
        if (denominator > 0) out /= denominator;
        out += local_;
      }
    }
    return true;
  }
  std::vector<StateBuffer> live_state() const override {
    return {{"memory", {memory_.data(), static_cast<std::size_t>(memory_.size())}},
            {"normalizer", {normalizer_.data(), static_cast<std::size_t>(normalizer_.size())}},
            {"window_keys", window_.live_keys()},
            {"window_values", window_.live_values()},
            {"token_shift", {shifted_key_.data(), static_cast<std::size_t>(shifted_key_.size())}}};
  }

 private:
  Eigen::Index features_;
  Eigen::MatrixXf memory_;       // [F, d] S
  Eigen::VectorXf normalizer_;   // [F] z
  KvCache window_;
  Eigen::VectorXf shifted_key_;  // [d]
  Eigen::VectorXf phi_;          // [F] scratch
  Eigen::VectorXf value_;        // [d] scratch
  mutable Eigen::VectorXf query_features_;  // [F] scratch of read_out (one model per thread)
  mutable Eigen::VectorXf local_;           // [d] scratch of read_out: the window's output
  SequenceInputs inputs_;                   // scratch of run_fused
  Eigen::VectorXf sequence_gates_;          // [L] scratch of run_fused: all 1
  detail::FusedScratch fused_scratch_;      // scratch of run_memory_fused
  [[nodiscard]] detail::MemoryLayout layout() const {
    return {const_cast<float*>(memory_.data()), static_cast<std::size_t>(features_),
            static_cast<std::size_t>(memory_.cols())};
  }
};

}  // namespace

std::unique_ptr<SequenceModel> make_attention_model(const ModelConfig& config, std::shared_ptr<const Weights> weights,
                                                    const StorageFormat& format) {
  if (config.arch == "softmax-attention") return std::make_unique<CachedAttention>(config, std::move(weights), format, 0);
  if (config.arch == "sliding-window")
    return std::make_unique<CachedAttention>(config, std::move(weights), format, config.window);
  return std::make_unique<Based>(config, std::move(weights), format);
}

}  // namespace recallbound::models::detail
