#include "recallbound/models/model.hpp"

#include "detail.hpp"
#include "recallbound/error.hpp"

#include <Eigen/QR>

#include <algorithm>
#include <cmath>

namespace recallbound::models {

std::unique_ptr<SequenceModel> SequenceModel::copy() const {
  throw Error::internal("clone: the model '" + config_.arch + "' cannot be copied");
}

std::unique_ptr<SequenceModel> SequenceModel::clone() const {
  std::unique_ptr<SequenceModel> twin = copy();
  twin->observers_.clear();
  return twin;
}

void SequenceModel::step(Token token) {
  const std::uint64_t multiply_adds = update(token);
  if (!observers_.empty()) {
    const std::vector<StateBuffer> state = live_state();
    const StepInfo info{position_, token, multiply_adds};
    for (StepObserver* observer : observers_) observer->after_step(info, state);
  }
  ++position_;
}

void SequenceModel::run(std::span<const Token> tokens, std::span<const std::size_t> readout_positions,
                        ReadoutMatrix& out) {
  for (std::size_t r = 0; r < readout_positions.size(); ++r)
    if (readout_positions[r] >= tokens.size() || (r > 0 && readout_positions[r] < readout_positions[r - 1]))
      throw Error::bad_input("run: read-out position " + std::to_string(readout_positions[r]) +
                             " is out of order or not below the sequence length " + std::to_string(tokens.size()));
  out.resize(static_cast<Eigen::Index>(readout_positions.size()), static_cast<Eigen::Index>(config_.d));
  reset();
  if (observers_.empty() && run_fused(tokens, readout_positions, out.data())) {
    position_ = tokens.size();
    return;
  }
  Eigen::VectorXf readout(static_cast<Eigen::Index>(config_.d));
  std::size_t next = 0;
  for (std::size_t p = 0; p < tokens.size(); ++p) {
    step(tokens[p]);
    for (; next < readout_positions.size() && readout_positions[next] == p; ++next) {
      read_out(readout);
      out.row(static_cast<Eigen::Index>(next)) = readout.transpose();
    }
  }
}

EmbeddingKind parse_embedding_kind(std::string_view name, std::string_view field) {
  if (name == "gaussian") return EmbeddingKind::gaussian;
  if (name == "orthonormal") return EmbeddingKind::orthonormal;
  if (name == "one-hot") return EmbeddingKind::one_hot;
  throw Error::bad_input(std::string(field) + ": '" + std::string(name) +
                         "' is not an embedding; allowed: gaussian, orthonormal, one-hot");
}
std::string embedding_kind_name(EmbeddingKind kind) {
  switch (kind) {
    case EmbeddingKind::gaussian: return "gaussian";
    case EmbeddingKind::orthonormal: return "orthonormal";
    case EmbeddingKind::one_hot: return "one-hot";
  }
  return "?";
}
FeatureMap parse_feature_map(std::string_view name, std::string_view field) {
  if (name == "identity") return FeatureMap::identity;
  if (name == "elu") return FeatureMap::elu_plus_one;
  if (name == "taylor") return FeatureMap::taylor;
  throw Error::bad_input(std::string(field) + ": '" + std::string(name) +
                         "' is not a feature map; allowed: identity, elu, taylor");
}
std::string feature_map_name(FeatureMap map) {
  switch (map) {
    case FeatureMap::identity: return "identity";
    case FeatureMap::elu_plus_one: return "elu";
    case FeatureMap::taylor: return "taylor";
  }
  return "?";
}

void validate_config(const ModelConfig& config) {
  if (std::find(std::begin(architecture_names), std::end(architecture_names), config.arch) ==
      std::end(architecture_names)) {
    std::string names;
    for (std::string_view name : architecture_names) names += (names.empty() ? "" : ", ") + std::string(name);
    throw Error::bad_input("--arch: '" + config.arch + "' is not a reference model; allowed: " + names);
  }
  if (config.d < 1 || config.d > 4096)
    throw Error::bad_input("--d: " + std::to_string(config.d) + " is out of range; the model width must be in 1..4096");
  if (config.feature_dim < 1 || config.feature_dim > 64)
    throw Error::bad_input("--feature-dim: " + std::to_string(config.feature_dim) +
                           " is out of range; the taylor projection width must be in 1..64");
  if (config.window < 1 || config.window > (std::size_t{1} << 24))
    throw Error::bad_input("--window: " + std::to_string(config.window) + " is out of range; it must be in 1..2^24");
  if (!(config.inverse_temperature >= 0 && config.inverse_temperature <= 1e4))
    throw Error::bad_input("--beta: out of range; the softmax inverse temperature must be in [0, 10000] (0: 2 sqrt(d))");
  if (!(config.decay >= 0 && config.decay <= 100))
    throw Error::bad_input("--decay: out of range; the decay rate must be in [0, 100]");
  if (!(config.write_strength > 0 && config.write_strength <= 2))
    throw Error::bad_input("--write-strength: out of range; the delta-rule beta must be in (0, 2]");
  if (config.vocab < 4 || config.vocab * static_cast<std::int64_t>(config.d) > (std::int64_t{1} << 27))
    throw Error::bad_input("--vocab: " + std::to_string(config.vocab) + " is out of range; with --d " +
                           std::to_string(config.d) + " it must be in 4.." +
                           std::to_string((std::int64_t{1} << 27) / static_cast<std::int64_t>(config.d)) +
                           " (the embedding tables hold vocab x d numbers, at most 2^27)");
  const std::int64_t keys = config.vocab / 2 - 1;
  const std::int64_t values = config.vocab - config.vocab / 2;
  const auto width = static_cast<std::int64_t>(config.d);
  if (config.key_embedding != EmbeddingKind::gaussian && keys > width)
    throw Error::bad_input("--embedding: " + embedding_kind_name(config.key_embedding) + " keys need --d >= " +
                           std::to_string(keys) + " (the " + std::to_string(keys) + " key tokens of --vocab " +
                           std::to_string(config.vocab) + "); use gaussian or a smaller vocabulary");
  if (config.value_embedding != EmbeddingKind::gaussian && values > width)
    throw Error::bad_input("--value-embedding: " + embedding_kind_name(config.value_embedding) + " values need --d >= " +
                           std::to_string(values) + " (the " + std::to_string(values) +
                           " value tokens of --vocab " + std::to_string(config.vocab) +
                           "); use gaussian or a smaller vocabulary");
}

namespace {

// rows [first, first + count) of `table` get unit vectors of the requested kind.
void fill_embedding(EmbeddingTable& table, std::int64_t first, std::int64_t count, EmbeddingKind kind,
                    SplitMixRandom& random) {
  const Eigen::Index d = table.cols();
  if (kind == EmbeddingKind::one_hot) {
    for (std::int64_t i = 0; i < count; ++i) table(first + i, i) = 1.0f;
    return;
  }
  Eigen::MatrixXd gaussian(count, d);  // [count, d]
  for (Eigen::Index r = 0; r < gaussian.rows(); ++r)
    for (Eigen::Index c = 0; c < d; ++c) gaussian(r, c) = random.normal();
  if (kind == EmbeddingKind::orthonormal) {
    // Orthonormal rows: Q of the QR factorisation of the transposed Gaussian block [d, count].
    Eigen::HouseholderQR<Eigen::MatrixXd> qr(gaussian.transpose());
    const Eigen::MatrixXd q = qr.householderQ() * Eigen::MatrixXd::Identity(d, count);  // [d, count]
    table.middleRows(first, count) = q.transpose().cast<float>();
    return;
  }
  // Gaussian directions: rows normalised to unit length (uniform on the sphere).
  gaussian.rowwise().normalize();
  table.middleRows(first, count) = gaussian.cast<float>();
}

}  // namespace

void Weights::mark_zero_rows() {
  const auto flags = [](const EmbeddingTable& table) {
    std::vector<std::uint8_t> zero(static_cast<std::size_t>(table.rows()));
    for (Eigen::Index t = 0; t < table.rows(); ++t)
      zero[static_cast<std::size_t>(t)] =
          detail::all_plus_zero({table.row(t).data(), static_cast<std::size_t>(table.cols())});
    return zero;
  };
  zero_key_rows = flags(key_embedding);
  zero_value_rows = flags(value_embedding);
}

std::shared_ptr<const Weights> make_weights(const ModelConfig& config, std::uint64_t seed) {
  validate_config(config);
  auto weights = std::make_shared<Weights>();
  const auto d = static_cast<Eigen::Index>(config.d);
  SplitMixRandom random = SplitMixRandom::for_stream(seed, weight_stream, 0);
  weights->key_embedding = EmbeddingTable::Zero(config.vocab, d);
  weights->value_embedding = EmbeddingTable::Zero(config.vocab, d);
  fill_embedding(weights->key_embedding, 1, config.vocab / 2 - 1, config.key_embedding, random);
  fill_embedding(weights->value_embedding, config.vocab / 2, config.vocab - config.vocab / 2, config.value_embedding,
                 random);
  const auto f = static_cast<Eigen::Index>(config.feature_dim);
  weights->feature_projection.resize(f, d);
  const double scale = 1.0 / std::sqrt(static_cast<double>(f));
  for (Eigen::Index r = 0; r < f; ++r)
    for (Eigen::Index c = 0; c < d; ++c) weights->feature_projection(r, c) = static_cast<float>(random.normal() * scale);
  weights->mark_zero_rows();
  return weights;
}

std::unique_ptr<SequenceModel> make_model(const ModelConfig& config, std::shared_ptr<const Weights> weights,
                                          const StorageFormat& format) {
  validate_config(config);
  if (config.arch == "softmax-attention" || config.arch == "sliding-window" || config.arch == "based")
    return detail::make_attention_model(config, std::move(weights), format);
  return detail::make_recurrent_model(config, std::move(weights), format);
}

}  // namespace recallbound::models
