#include "recallbound/models/chunked.hpp"

#include "detail.hpp"
#include "recallbound/error.hpp"

#include <algorithm>
#include <cmath>

namespace recallbound::models {

bool has_chunked_form(const ModelConfig& config) {
  return config.arch == "linear-attention" || config.arch == "mamba2";
}

Eigen::MatrixXf chunked_outputs(const ModelConfig& config, const Weights& weights, std::span<const Token> tokens,
                                std::size_t chunk) {
  if (!has_chunked_form(config)) throw Error::bad_input("--arch: '" + config.arch + "' has no chunked form; allowed: linear-attention, mamba2");
  if (chunk < 1) throw Error::bad_input("--chunk: 0 is out of range; the chunk length must be >= 1");
  const FeatureMap map = config.arch == "mamba2" ? FeatureMap::identity : config.feature_map;
  const auto d = static_cast<Eigen::Index>(config.d);
  const auto width = static_cast<Eigen::Index>(detail::feature_width(map, config.d, config.feature_dim));
  const auto length = static_cast<Eigen::Index>(tokens.size());

  // Per position t: K row = phi(k_{t-1}) (token shift), Q row = phi(k_t), V row = v_t, log-decay.
  Eigen::MatrixXf keys(length, width), queries(length, width), values(length, d);  // [L, F], [L, F], [L, d]
  Eigen::VectorXf log_decay = Eigen::VectorXf::Zero(length);                        // [L]
  Eigen::VectorXf previous = Eigen::VectorXf::Zero(d), phi(width);
  for (Eigen::Index t = 0; t < length; ++t) {
    const Token token = tokens[static_cast<std::size_t>(t)];
    detail::feature_map(map, weights.feature_projection, previous, phi);
    keys.row(t) = phi.transpose();
    previous = weights.key_embedding.row(token).transpose();
    detail::feature_map(map, weights.feature_projection, previous, phi);
    queries.row(t) = phi.transpose();
    values.row(t) = weights.value_embedding.row(token);
    if (config.arch == "mamba2" && token >= config.vocab / 2) log_decay(t) = static_cast<float>(-config.decay);
  }

  Eigen::MatrixXf outputs(length, d);                              // [L, d]
  Eigen::MatrixXf state = Eigen::MatrixXf::Zero(width, d);         // [F, d] S at the chunk start
  const auto step = static_cast<Eigen::Index>(chunk);
  for (Eigen::Index start = 0; start < length; start += step) {
    const Eigen::Index size = std::min(step, length - start);
    Eigen::VectorXf cumulative(size);                              // [C] g_t: log-decay summed over the chunk up to t
    float running = 0;
    for (Eigen::Index t = 0; t < size; ++t) cumulative(t) = (running += log_decay(start + t));
    const auto k = keys.middleRows(start, size);                   // [C, F]
    const auto q = queries.middleRows(start, size);                // [C, F]
    const auto v = values.middleRows(start, size);                 // [C, d]
    const bool decays = (cumulative.array() != 0.0f).any();
    Eigen::MatrixXf mixing = q * k.transpose();                    // [C, C] q_t . k_s
    if (decays) {
      for (Eigen::Index t = 0; t < size; ++t)
        for (Eigen::Index s = 0; s <= t; ++s) mixing(t, s) *= std::exp(cumulative(t) - cumulative(s));
    }
    mixing.triangularView<Eigen::StrictlyUpper>().setZero();       // causal: s <= t only
    auto out = outputs.middleRows(start, size);
    out.noalias() = q * state;                                     // [C, d] q_t^T S
    if (decays) out.array().colwise() *= cumulative.array().exp(); // decayed since the chunk start
    out.noalias() += mixing * v;
    if (!decays) {
      state.noalias() += k.transpose() * v;                        // S <- S + K^T V
      continue;
    }
    const float total = cumulative(size - 1);
    Eigen::MatrixXf weighted_v = v;                                // [C, d] e^{g_C - g_s} v_s
    weighted_v.array().colwise() *= (total - cumulative.array()).exp();
    state *= std::exp(total);
    state.noalias() += k.transpose() * weighted_v;                 // S <- e^{g_C} S + K^T diag(.) V
  }
  return outputs;
}

}  // namespace recallbound::models
