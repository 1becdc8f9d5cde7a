// Recurrent reference models with a fixed-size matrix memory: linear attention (identity, ELU+1,
// Taylor feature maps), a Mamba-2-style SSM with input-dependent scalar decay, DeltaNet and Gated
// DeltaNet. Each binds a key to the next token with a token shift: at step t the memory is written
// with (k_{t-1}, v_t), and a read-out at t queries with q_t = k_t.
#include "detail.hpp"
#include "memory_kernels.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace recallbound::models::detail {

bool all_plus_zero(std::span<const float> numbers) {
  return std::all_of(numbers.begin(), numbers.end(), [](float x) { return std::bit_cast<std::uint32_t>(x) == 0; });
}

std::size_t feature_width(FeatureMap map, std::size_t d, std::size_t feature_dim) {
  return map == FeatureMap::taylor ? 1 + feature_dim + feature_dim * feature_dim : d;
}

void feature_map(FeatureMap map, const Eigen::MatrixXf& projection, const Eigen::Ref<const Eigen::VectorXf>& key,
                 Eigen::Ref<Eigen::VectorXf> out) {
  switch (map) {
    case FeatureMap::identity: out = key; return;
    case FeatureMap::elu_plus_one:
      // The memory kernels' vector exp, built for AVX2 too: Eigen's exp here is built for baseline
      // x86-64 only (its packet width is fixed when this file is compiled) and was 15% of a fused
      // linear-attention run with ELU features at d = 128.
      elu_plus_one(key.data(), out.data(), static_cast<std::size_t>(key.size()));
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

void SequenceInputs::build(FeatureMap map, const Weights& weights, const StorageFormat& format,
                           std::span<const Token> tokens) {
  const Eigen::Index d = weights.key_embedding.cols();
  const std::size_t length = tokens.size();
  const auto width = static_cast<Eigen::Index>(feature_width(map, static_cast<std::size_t>(d),
                                                             static_cast<std::size_t>(weights.feature_projection.rows())));
  const bool exact = format.kind == FormatKind::fp32;               // rounding changes nothing
  const bool table_features = exact && map == FeatureMap::identity;  // phi(k) = k: the key table's row
  // Columns never move once handed out: at most one per distinct token, plus the zero key's.
  features_.resize(width, static_cast<Eigen::Index>(length + 1));
  if (!exact) values_.resize(d, static_cast<Eigen::Index>(length));
  slot_of_token_.resize(static_cast<std::size_t>(weights.key_embedding.rows()), -1);
  feature_rows.resize(length + 1);
  value_rows.resize(length);
  feature_map(map, weights.feature_projection, Eigen::VectorXf::Zero(d), features_.col(0));
  feature_rows[0] = features_.col(0).data();
  Eigen::Index feature_columns = 1, value_columns = 0;
  // Rows flagged +0 in every entry (Weights::zero_key_rows) are never read: a zero value row is
  // zero_row_ whatever the format rounds to, and a zero key's features are the empty shift's.
  const auto rows = static_cast<std::size_t>(weights.key_embedding.rows());
  const bool flagged = weights.zero_key_rows.size() == rows && weights.zero_value_rows.size() == rows &&
                       static_cast<std::size_t>(weights.value_embedding.rows()) == rows;
  const auto zero_key = [&](Token token) {
    return flagged && weights.zero_key_rows[static_cast<std::size_t>(token)] != 0;
  };
  const auto zero_value = [&](Token token) {
    return flagged && weights.zero_value_rows[static_cast<std::size_t>(token)] != 0;
  };
  if (flagged) zero_row_.setZero(d);
  constexpr std::size_t ahead = 8;  // rows of tokens this far ahead are fetched early: random table rows
  for (std::size_t t = 0; t < length; ++t) {
    if (t + ahead < length) {  // a row read below: all of its cache lines; a row only pointed at: its first
      const Token upcoming = tokens[t + ahead];
      const auto fetch = [&](const float* row, bool read) {
        if (read) prefetch_lines(row, static_cast<std::size_t>(d));
        else __builtin_prefetch(row);
      };
      if (!zero_value(upcoming)) fetch(weights.value_embedding.row(upcoming).data(), !exact);
      if (!zero_key(upcoming)) fetch(weights.key_embedding.row(upcoming).data(), !table_features);
    }
    const Token token = tokens[t];
    std::int32_t& slot = slot_of_token_[static_cast<std::size_t>(token)];
    if (slot < 0) {  // first sight of the token: its rounded value row and its key's features
      seen_.push_back(token);
      slot = static_cast<std::int32_t>(slots_.size());
      Slot entry{};
      if (zero_value(token)) {
        entry.values = zero_row_.data();
      } else if (exact) {
        entry.values = weights.value_embedding.row(token).data();
      } else {
        values_.col(value_columns) = weights.value_embedding.row(token).transpose();
        round_in_place({values_.col(value_columns).data(), static_cast<std::size_t>(d)}, format);
        entry.values = values_.col(value_columns++).data();
      }
      if (zero_key(token)) {
        entry.features = features_.col(0).data();  // the empty token shift's: phi(+0)
      } else if (table_features) {
        entry.features = weights.key_embedding.row(token).data();
      } else {
        key_ = weights.key_embedding.row(token).transpose();
        round_in_place({key_.data(), static_cast<std::size_t>(d)}, format);
        if (all_plus_zero({key_.data(), static_cast<std::size_t>(d)})) {
          entry.features = features_.col(0).data();  // +0 everywhere, as the empty token shift
        } else {
          feature_map(map, weights.feature_projection, key_, features_.col(feature_columns));
          entry.features = features_.col(feature_columns++).data();
        }
      }
      slots_.push_back(entry);
    }
    value_rows[t] = slots_[static_cast<std::size_t>(slot)].values;
    feature_rows[t + 1] = slots_[static_cast<std::size_t>(slot)].features;
  }
  for (Token token : seen_) slot_of_token_[static_cast<std::size_t>(token)] = -1;
  seen_.clear();
  slots_.clear();
}

std::uint64_t feature_map_cost(FeatureMap map, std::size_t d, std::size_t feature_dim) {
  if (map == FeatureMap::taylor) return feature_dim * d + feature_dim * feature_dim;
  return 0;
}

namespace {

// The shared skeleton: a memory S [F, d] (F = feature width), the token shift, a write rule applied
// column by column (memory_kernels.hpp), and the read-out o = S^T phi(q_t). The four models differ
// only in the rule and the gate:
// - linear attention: S_t = S_{t-1} + phi(k_{t-1}) v_t^T. No normaliser is kept: dividing by
//   z.phi(q) > 0 would not change the argmax read-out (and identity features can make it negative).
// - Mamba-2-style SSM: S_t = a_t S_{t-1} + B_t x_t^T with B_t = k_{t-1} (the short convolution's
//   output), x_t = v_t, C_t = q_t, and a scalar decay a_t that depends on the input token.
// - DeltaNet (Gated DeltaNet with a_t): S_t = a_t (I - beta k k^T) S_{t-1} + beta k v^T, i.e. the
//   memory's prediction for k is moved towards v: a repeated key overwrites its old value
//   (beta = 1, |k| = 1). Column j: S[:, j] <- a_t S[:, j], then += beta k (v_j - k . S[:, j]).
class MatrixMemoryModel final : public SequenceModel {
 public:
  MatrixMemoryModel(const ModelConfig& config, std::shared_ptr<const Weights> weights, const StorageFormat& format,
                    FeatureMap map, MemoryRule rule, bool decays)
      : SequenceModel(config, std::move(weights), format),
        map_(map),
        rule_{rule, static_cast<float>(rule == MemoryRule::delta ? config.write_strength : 1.0), decays},
        features_(static_cast<Eigen::Index>(feature_width(map, config.d, config.feature_dim))),
        memory_(Eigen::MatrixXf::Zero(features_, static_cast<Eigen::Index>(config.d))),
        shifted_key_(Eigen::VectorXf::Zero(static_cast<Eigen::Index>(config.d))),
        phi_(features_),
        value_(static_cast<Eigen::Index>(config.d)),
        query_features_(features_) {}
  [[nodiscard]] std::unique_ptr<SequenceModel> copy() const override {
    return std::make_unique<MatrixMemoryModel>(*this);
  }

  void read_out(Eigen::Ref<Eigen::VectorXf> out) const override {
    feature_map(map_, weights_->feature_projection, shifted_key_, query_features_);  // phi(q_t) [F]
    read_memory(layout(), query_features_.data(), out.data());                      // o = S^T phi(q_t) [d]
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
    step_memory(layout(), rule_, phi_.data(), value_.data(), gate(token), format_);  // S <- rule(S), rounded
    shifted_key_ = weights_->key_embedding.row(token).transpose();  // token shift <- k_t
    store(shifted_key_);
    return feature_map_cost(map_, config_.d, config_.feature_dim) + write_cost();
  }
  // The fused recurrent form: the features, values and gates of every step first, then all steps
  // one block of columns at a time (run_memory_fused), then the token shift's final value.
  bool run_fused(std::span<const Token> tokens, std::span<const std::size_t> readout_positions,
                 float* readouts) override {
    inputs_.build(map_, *weights_, format_, tokens);  // phi(k_{t-1}) and v_t, by rows
    sequence_gates_.resize(static_cast<Eigen::Index>(tokens.size()));  // [L]: a_t
    for (std::size_t t = 0; t < tokens.size(); ++t) sequence_gates_(static_cast<Eigen::Index>(t)) = gate(tokens[t]);
    run_memory_fused(layout(), rule_,
                     {inputs_.feature_rows, inputs_.value_rows, sequence_gates_.data(), tokens.size(),
                      readout_positions, readouts, &fused_scratch_},
                     format_);
    if (!tokens.empty()) {  // token shift <- k of the last token
      shifted_key_ = weights_->key_embedding.row(tokens.back()).transpose();
      store(shifted_key_);
    }
    return true;
  }
  std::vector<StateBuffer> live_state() const override {
    return {{"memory", {memory_.data(), static_cast<std::size_t>(memory_.size())}},
            {"token_shift", {shifted_key_.data(), static_cast<std::size_t>(shifted_key_.size())}}};
  }

 private:
  [[nodiscard]] MemoryLayout layout() const {
    return {const_cast<float*>(memory_.data()), static_cast<std::size_t>(features_),
            static_cast<std::size_t>(memory_.cols())};
  }
  /// Input-dependent decay a_t = exp(-decay) on value tokens (a write is coming), 1 elsewhere.
  [[nodiscard]] float gate(Token token) const {
    return rule_.decays && token >= config_.vocab / 2 ? static_cast<float>(std::exp(-config_.decay)) : 1.0f;
  }
  // Per element of S: additive 1 (2 with a decay); delta 2 (3 with a decay): the prediction and the write.
  [[nodiscard]] std::uint64_t write_cost() const {
    return (rule_.rule == MemoryRule::delta ? 2 : 1) * static_cast<std::uint64_t>(memory_.size()) +
           (rule_.decays ? static_cast<std::uint64_t>(memory_.size()) : 0);
  }

  FeatureMap map_;
  MemoryRuleParams rule_;
  Eigen::Index features_;
  Eigen::MatrixXf memory_;       // [F, d] S
  Eigen::VectorXf shifted_key_;  // [d] key embedding of the last token
  Eigen::VectorXf phi_;          // [F] scratch: phi(k_{t-1})
  Eigen::VectorXf value_;        // [d] scratch: v_t
  mutable Eigen::VectorXf query_features_;  // [F] scratch of read_out: phi(q_t) (one model per thread)
  SequenceInputs inputs_;                   // scratch of run_fused
  Eigen::VectorXf sequence_gates_;          // [L] scratch of run_fused
  FusedScratch fused_scratch_;              // scratch of run_memory_fused
};

}  // namespace

std::unique_ptr<SequenceModel> make_recurrent_model(const ModelConfig& config, std::shared_ptr<const Weights> weights,
                                                    const StorageFormat& format) {
  if (config.arch == "linear-attention")
    return std::make_unique<MatrixMemoryModel>(config, std::move(weights), format, config.feature_map,
                                               MemoryRule::additive, false);
  if (config.arch == "mamba2")
    return std::make_unique<MatrixMemoryModel>(config, std::move(weights), format, FeatureMap::identity,
                                               MemoryRule::additive, true);
  return std::make_unique<MatrixMemoryModel>(config, std::move(weights), format, FeatureMap::identity,
                                             MemoryRule::delta, config.arch == "gated-deltanet");
}

}  // namespace recallbound::models::detail
