// The parallel (chunked) forms; the formulas are in include/recallbound/models/chunked.hpp.
#include "recallbound/models/chunked.hpp"

#include "detail.hpp"
#include "memory_kernels.hpp"
#include "recallbound/error.hpp"
#include "recallbound/models/matmul.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <utility>

namespace recallbound::models {

bool has_chunked_form(const ModelConfig& config) {
  return config.arch == "linear-attention" || config.arch == "mamba2" || config.arch == "deltanet" ||
         config.arch == "gated-deltanet" || config.arch == "based";
}

namespace {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

constexpr Eigen::Index prefetch_distance = 8;

// to = from^T for a row-major [rows, cols] `from` and a column-major `to` with leading dimension
// `ld`, by 4 x 4 blocks of vector shuffles (GCC's generic vectors: SSE on baseline x86-64). Copied
// one number at a time, the stores a stride apart took 5% of the chunked forms' time at d = 64.
void transpose_into(const float* from, Eigen::Index rows, Eigen::Index cols, float* to, Eigen::Index ld) {
  using Quad = float __attribute__((vector_size(16)));
  using Mask = int __attribute__((vector_size(16)));
  const auto get = [](const float* at) { Quad q; std::memcpy(&q, at, sizeof q); return q; };
  const auto put = [](float* at, Quad q) { std::memcpy(at, &q, sizeof q); };
  const Eigen::Index block_rows = rows / 4 * 4, block_cols = cols / 4 * 4;
  for (Eigen::Index i = 0; i < block_rows; i += 4)
    for (Eigen::Index j = 0; j < block_cols; j += 4) {
      const float* corner = from + i * cols + j;
      const Quad r0 = get(corner), r1 = get(corner + cols), r2 = get(corner + 2 * cols), r3 = get(corner + 3 * cols);
      const Quad low01 = __builtin_shuffle(r0, r1, Mask{0, 4, 1, 5}), high01 = __builtin_shuffle(r0, r1, Mask{2, 6, 3, 7});
      const Quad low23 = __builtin_shuffle(r2, r3, Mask{0, 4, 1, 5}), high23 = __builtin_shuffle(r2, r3, Mask{2, 6, 3, 7});
      float* column = to + j * ld + i;
      put(column, __builtin_shuffle(low01, low23, Mask{0, 1, 4, 5}));
      put(column + ld, __builtin_shuffle(low01, low23, Mask{2, 3, 6, 7}));
      put(column + 2 * ld, __builtin_shuffle(high01, high23, Mask{0, 1, 4, 5}));
      put(column + 3 * ld, __builtin_shuffle(high01, high23, Mask{2, 3, 6, 7}));
    }
  for (Eigen::Index i = 0; i < rows; ++i)  // the edges: rows past the last block, then columns
    for (Eigen::Index j = i < block_rows ? block_cols : 0; j < cols; ++j) to[j * ld + i] = from[i * cols + j];
}

// The chunked forms' products: in matmul.hpp's order, with fused multiply-adds where the machine has
// them (their contract is agreement with the recurrent form to round-off, not bits).
template <class A, class B, class C>
void fused_multiply(const A& a, const B& b, C&& c, bool accumulate = false) {
  multiply(a, b, std::forward<C>(c), accumulate, Summation::fused);
}

// The inputs of one chunk at a time, copied as the chunks go, so that they are still in the caches
// when the chunk's products read them (a whole sequence's inputs are 0.4-1.5 MB at d = 64-256, as
// much as a core's L2 cache or more; a chunk's are 16-130 KB). The rows come from the recurrent
// form's SequenceInputs, which computes the features of each distinct key once (an MQAR sequence
// holds each key twice and the zero key at every other position) with the same feature_map, so
// the two forms start from the same bits. The token shift makes the key of position t the query of
// position t - 1, so one table of features serves both: row 0 holds the features of the key before
// the chunk. Layouts suit matmul.hpp, which reads a row-major right factor and a column-major left
// factor in place when its stride is short or odd: the features are column-major with C + 1 rows
// (odd for even C) and also row-major (the keys as the right factor of the state's update, which
// packed them one number at a time), the values row-major.
// The read-out of a chunk, O = Q S + M V with M the masked mixing of queries and keys, is one
// product of depth F + C, [Q | M] [S; V]: the feature table has C spare columns for M beside the
// queries, and the state's rows sit above the values'. As two products, the second read and wrote
// O's accumulators again.
class ChunkFeed {
 public:
  /// Serves `tokens` from now on, its buffers sized for chunks of up to `chunk` positions (resized
  /// only where the configuration changed: a workspace keeps them from sequence to sequence).
  void start(const ModelConfig& config, const Weights& weights, std::span<const Token> tokens, FeatureMap map,
             bool decays, Eigen::Index chunk) {
    tokens_ = tokens;
    first_value_token_ = static_cast<Token>(config.vocab / 2);
    log_gate_ = decays ? static_cast<float>(-config.decay) : 0.0f;
    width_ = static_cast<Eigen::Index>(detail::feature_width(map, config.d, config.feature_dim));
    d_ = static_cast<Eigen::Index>(config.d);
    features_.resize(chunk + 1, width_ + chunk);
    feature_rows_.resize(chunk + 1, width_);
    state_and_values_.resize(width_ + chunk, d_);
    log_decay_.resize(chunk);
    inputs_.build(map, weights, StorageFormat{}, tokens);  // fp32: rounding changes nothing
  }

  [[nodiscard]] Eigen::Index length() const { return static_cast<Eigen::Index>(tokens_.size()); }

  /// Fills the chunk of positions [start, start + size); the state's rows are left as they are.
  void load(Eigen::Index start, Eigen::Index size) {
    size_ = size;
    const Eigen::Index d = d_;
    const auto row = [](const float* data, Eigen::Index n) { return Eigen::Map<const Eigen::RowVectorXf>(data, n); };
    for (Eigen::Index i = 0; i <= size; ++i) {
      // Rows that point into the embedding tables are random rows: ask for them a few positions ahead.
      if (const auto ahead = static_cast<std::size_t>(start + i + prefetch_distance); ahead < tokens_.size()) {
        detail::prefetch_lines(inputs_.feature_rows[ahead], static_cast<std::size_t>(width_));
        detail::prefetch_lines(inputs_.value_rows[ahead], static_cast<std::size_t>(d));
      }
      feature_rows_.row(i) = row(inputs_.feature_rows[static_cast<std::size_t>(start + i)], width_);  // phi(k_{start+i-1})
    }
    transpose_into(feature_rows_.data(), size + 1, width_, features_.data(), features_.rows());
    for (Eigen::Index i = 0; i < size; ++i) {
      const auto t = static_cast<std::size_t>(start + i);
      state_and_values_.row(width_ + i) = row(inputs_.value_rows[t], d);
      // The same gate as the recurrent form: a_t = exp(-decay) on value tokens.
      log_decay_(i) = tokens_[t] >= first_value_token_ ? log_gate_ : 0.0f;
    }
  }

  // [C, F] phi(k_{t-1}) for the chunk's positions t: the keys written at those steps.
  [[nodiscard]] auto keys() const { return features_.block(0, 0, size_, width_); }
  // The same, row-major.
  [[nodiscard]] auto key_rows() const { return feature_rows_.topRows(size_); }
  // [C, F] phi(k_t): the queries read after those steps.
  [[nodiscard]] auto queries() const { return features_.block(1, 0, size_, width_); }
  // [C, C] the mixing of the chunk's queries and keys, for the caller to fill: beside the queries.
  [[nodiscard]] auto mixing() { return features_.block(1, width_, size_, size_); }
  // [C, F + C] [Q | M].
  [[nodiscard]] auto queries_and_mixing() const { return features_.block(1, 0, size_, width_ + size_); }
  // [C, d] v_t, which the caller may overwrite (the delta rule's updates).
  [[nodiscard]] auto values() { return state_and_values_.middleRows(width_, size_); }
  // [F, d] the caller's state, kept from chunk to chunk: above the values.
  [[nodiscard]] auto state() { return state_and_values_.topRows(width_); }
  // [F + C, d] [S; V].
  [[nodiscard]] auto state_and_values() const { return state_and_values_.topRows(width_ + size_); }
  // [C] log a_t (0 where nothing decays).
  [[nodiscard]] auto log_decay() const { return log_decay_.head(size_); }
  [[nodiscard]] Eigen::Index width() const { return width_; }
  [[nodiscard]] Eigen::Index value_width() const { return state_and_values_.cols(); }

 private:
  std::span<const Token> tokens_;
  Token first_value_token_ = 0;        // V / 2: tokens from here on are values, the decay's gate
  float log_gate_ = 0;                 // log a on value tokens: -decay, or 0 where nothing decays
  Eigen::Index width_ = 0, d_ = 0;     // F, d
  detail::SequenceInputs inputs_;      // rows of the whole sequence: [L + 1] features, [L] values
  Eigen::MatrixXf features_;           // [C + 1, F + C] the features, then the mixing's columns
  RowMatrix feature_rows_;             // [C + 1, F] the features again
  RowMatrix state_and_values_;         // [F + C, d] S, then v_t
  Eigen::VectorXf log_decay_;          // [C]
  Eigen::Index size_ = 0;
};

// m[t, s] = 0 for s > t, for a square m: in one triangular assignment (a setZero per column called
// memset once per column, 1.2% of the time at d = 64).
void zero_above_diagonal(Eigen::Ref<Eigen::MatrixXf> m) {
  m.triangularView<Eigen::StrictlyUpper>().setZero();
}

// A chunk's decay, computed once per chunk (and its arrays kept from chunk to chunk): g_t, the
// log-decay summed over the chunk up to and including t (0 or negative, falling with t), and the
// factors the chunked forms scale by.
class ChunkDecay {
 public:
  template <class Segment>
  void update(const Segment& log_decay) {
    cumulative_.resize(log_decay.size());
    float running = 0;
    for (Eigen::Index t = 0; t < log_decay.size(); ++t) cumulative_(t) = (running += log_decay(t));
    decays_ = (cumulative_.array() != 0.0f).any();
    if (!decays_) return;
    to_start_ = cumulative_.array().exp();
    to_end_ = (total() - cumulative_.array()).exp();
    // Where no |g_t| reaches 64, e^{-g_s} cannot overflow, and the mask's factor is
    // e^{g_t} e^{-g_s}: 2 C exps instead of C^2 / 2, within a few units in the last place of e^{g_t - g_s}.
    const float deepest = cumulative_.cwiseAbs().maxCoeff();
    factored_ = deepest < 64.0f;
    if (factored_) from_start_ = (-cumulative_.array()).exp();
    merges_ = deepest < 32.0f;
  }

  [[nodiscard]] bool decays() const { return decays_; }
  /// Whether a chunk's read-out may be one product (ChunkFeed): no decay, or one where no |g_t|
  /// reaches 32. Then the mixing carries e^{-g_s} alone (mask_from_start), at most e^{32}, so far
  /// from float's range, and row t of the product takes e^{g_t} afterwards; each term of the row
  /// is still rounded relative to its own size.
  [[nodiscard]] bool merges() const { return !decays_ || merges_; }
  /// [C] e^{g_t}: the decay from the chunk's start to t.
  [[nodiscard]] const Eigen::ArrayXf& to_start() const { return to_start_; }
  /// [C] e^{g_C - g_s}: the decay from s to the chunk's end.
  [[nodiscard]] const Eigen::ArrayXf& to_end() const { return to_end_; }
  /// g_C.
  [[nodiscard]] float total() const { return cumulative_(cumulative_.size() - 1); }

  /// m[t, s] *= e^{g_t - g_s} for s <= t (the decay between s and t), and m[t, s] = 0 for s > t; by
  /// columns of the column-major m, as e^{g_t} e^{-g_s} where that cannot overflow, else e^{g_t - g_s}
  /// itself (<= 1).
  void mask(Eigen::Ref<Eigen::MatrixXf> m) const {
    const Eigen::Index size = m.rows();
    zero_above_diagonal(m);
    if (!decays_) return;
    for (Eigen::Index s = 0; s < size; ++s) {
      if (factored_)
        m.col(s).tail(size - s).array() *= to_start_.tail(size - s) * from_start_(s);
      else
        m.col(s).tail(size - s).array() *= (cumulative_.tail(size - s).array() - cumulative_(s)).exp();
    }
  }

  /// m[t, s] *= e^{-g_s} for s <= t, and m[t, s] = 0 for s > t: the mask of mask() without its
  /// e^{g_t}, for the one-product read-out (only where merges()).
  void mask_from_start(Eigen::Ref<Eigen::MatrixXf> m) const {
    zero_above_diagonal(m);
    if (!decays_) return;
    for (Eigen::Index s = 0; s < m.rows(); ++s) m.col(s).tail(m.rows() - s) *= from_start_(s);
  }

 private:
  Eigen::VectorXf cumulative_;                   // [C] g_t
  bool decays_ = false, factored_ = false;       // factored_: no |g_t| reaches 64
  bool merges_ = false;                          // no |g_t| reaches 32
  Eigen::ArrayXf to_start_, to_end_, from_start_;  // [C] e^{g_t}, e^{g_C - g_t}, e^{-g_t} (when factored_)
};

// A chunk's read-out, O = diag(e^g) Q S + ((Q K^T) .* Gamma, causal) W with Gamma[t, s] = e^{g_t - g_s},
// W = V (linear attention) or U (the delta rule), S and W in `in`'s state_and_values(); S is not read
// in the `first` chunk (it is zero). Leaves the masked Q K^T in in.mixing(): without its e^{g_t}
// where the read-out is one product, [Q | M] [S; W] with its rows scaled by e^{g_t} afterwards
// (ChunkDecay::merges), else with it, beside two products.
void chunk_read_out(ChunkFeed& in, const ChunkDecay& decay, bool first, Eigen::Ref<Eigen::MatrixXf> out) {
  auto mixing = in.mixing();                                       // [C, C] q_t . k_s
  fused_multiply(in.queries(), in.keys().transpose(), mixing);
  if (decay.merges()) {
    decay.mask_from_start(mixing);
    if (first)
      fused_multiply(mixing, in.values(), out);
    else
      fused_multiply(in.queries_and_mixing(), in.state_and_values(), out);
    if (decay.decays()) out.array().colwise() *= decay.to_start();
    return;
  }
  decay.mask(mixing);
  if (first)
    out.setZero();
  else
    fused_multiply(in.queries(), in.state(), out);                 // [C, d] q_t^T S
  out.array().colwise() *= decay.to_start();                       // decayed since the chunk start
  fused_multiply(mixing, in.values(), out, true);
}

// The state's update at a chunk's end, after its read-out: S <- e^{g_C} S + K^T diag(e^{g_C - g_s}) W,
// W (V or U) scaled in place, S written instead of added to in the `first` chunk.
void chunk_update_state(ChunkFeed& in, const ChunkDecay& decay, bool first) {
  auto w = in.values();                                            // [C, d]
  auto state = in.state();                                         // [F, d]
  if (decay.decays()) {
    w.array().colwise() *= decay.to_end();                         // w_s <- e^{g_C - g_s} w_s
    if (!first) state *= std::exp(decay.total());
  }
  fused_multiply(w.transpose(), in.key_rows(), state.transpose(), !first);  // S^T += W^T K
}

// Linear attention with an optional scalar decay (linear attention, mamba2, based's linear part):
//   O_c = diag(e^g) Q_c S + ((Q_c K_c^T) .* M_c) V_c,   S <- e^{g_C} S + K_c^T diag(e^{g_C - g_s}) V_c,
// and, when `normaliser` is given, the same with a value of 1 at every position ([L] z_t . phi(q_t),
// z the decayed sum of the keys), apart from the values: a column of ones beside them cost Based's
// products a partial tile of 16 rows for one (d + 1 value columns).
Eigen::MatrixXf chunked_linear(ChunkFeed& in, ChunkDecay& decay, Eigen::Index step,
                               Eigen::VectorXf* normaliser = nullptr) {
  const Eigen::Index length = in.length(), width = in.width(), d = in.value_width();
  Eigen::MatrixXf outputs(length, d);                              // [L, d]
  // S ([F, d], in.state()) is row-major, so that it is read in place as the right factor of Q S; its
  // update is written as S^T += V^T K, a column-major product with the same order per element
  // (s = 0, 1, ...). It is empty (zero) before the first chunk, which writes it instead of adding to it.
  Eigen::VectorXf key_sum = Eigen::VectorXf::Zero(normaliser ? width : 0);  // [F] z at the chunk start
  if (normaliser) normaliser->resize(length);
  for (Eigen::Index start = 0; start < length; start += step) {
    const Eigen::Index size = std::min(step, length - start);
    const bool first = start == 0;
    in.load(start, size);
    decay.update(in.log_decay());
    chunk_read_out(in, decay, first, outputs.middleRows(start, size));
    if (normaliser) {
      auto sums = normaliser->segment(start, size);                // [C] z . phi(q_t), as out with v = 1
      sums.noalias() = in.queries() * key_sum;
      const auto mixed = in.mixing().rowwise().sum();
      if (decay.merges()) {
        sums += mixed;
        if (decay.decays()) sums.array() *= decay.to_start();
      } else {
        sums.array() *= decay.to_start();
        sums += mixed;
      }
      const auto k = in.keys();                                    // [C, F]
      if (decay.decays())
        key_sum = std::exp(decay.total()) * key_sum + k.transpose() * decay.to_end().matrix();
      else
        key_sum.noalias() += k.transpose().rowwise().sum();
    }
    chunk_update_state(in, decay, first);
  }
  return outputs;
}

}  // namespace

// The buffers a workspace keeps between calls.
struct ChunkedWorkspace::Buffers {
  ChunkFeed feed;
  ChunkDecay decay;
  Eigen::MatrixXf system, decayed_start;   // the delta rule's [C, C] and [C, d]
  Eigen::VectorXf normaliser;              // Based: [L]
  Eigen::MatrixXf raw, scores;             // Based's window: [L + 1, d] keys, [span, C] scores
  RowMatrix values;                        // Based's window: [L, d]
};

namespace {

// u <- (I - N)^{-1} u for N strictly lower triangular ([C, C]; its diagonal and upper part are not
// read): u_t += sum_{s<t} N[t, s] u_s, t = 0, 1, ..., by blocks of rows whose sums over earlier
// blocks come in as one product each (Eigen's triangular solve, built for baseline x86-64, took
// 12% of DeltaNet's time at d = 64).
void forward_substitute(const Eigen::MatrixXf& negated, Eigen::Ref<RowMatrix> u) {
  constexpr Eigen::Index block = 16;
  for (Eigen::Index first = 0; first < u.rows(); first += block) {
    const Eigen::Index rows = std::min(block, u.rows() - first);
    if (first > 0)
      fused_multiply(negated.block(first, 0, rows, first), u.topRows(first), u.middleRows(first, rows), true);
    for (Eigen::Index t = first + 1; t < first + rows; ++t)
      u.row(t).noalias() += negated.row(t).segment(first, t - first) * u.middleRows(first, t - first);
  }
}

// The (gated) delta rule by the UT transform (Yang et al. 2024). Within a chunk, with gamma_t = e^{g_t},
//   S_t = gamma_t S_0 + sum_{s<=t} (gamma_t / gamma_s) k_s u_s^T,
// and the recurrence S_t = a_t S_{t-1} + beta k_t (v_t - a_t S_{t-1}^T k_t)^T makes the u's of a chunk
// solve the unit lower-triangular system
//   (I + strictly_lower(beta (K K^T) .* Gamma)) U = beta (V - diag(gamma) K S_0),  Gamma[t, s] = gamma_t / gamma_s.
// Then O = diag(gamma) Q S_0 + ((Q K^T) .* Gamma, causal) U and S <- gamma_C S_0 + K^T diag(gamma_C / gamma_s) U.
// DeltaNet is the case g = 0. U overwrites V in `in`, so that the read-out is chunk_read_out's.
Eigen::MatrixXf chunked_delta_rule(ChunkedWorkspace::Buffers& scratch, float beta, Eigen::Index step) {
  ChunkFeed& in = scratch.feed;
  ChunkDecay& decay = scratch.decay;
  Eigen::MatrixXf &system = scratch.system, &decayed_start = scratch.decayed_start;
  const Eigen::Index length = in.length(), d = in.value_width();
  Eigen::MatrixXf outputs(length, d);                              // [L, d]
  for (Eigen::Index start = 0; start < length; start += step) {
    const Eigen::Index size = std::min(step, length - start);
    const bool first = start == 0;                                 // S_0 = 0: its products are skipped
    in.load(start, size);
    decay.update(in.log_decay());
    const auto k = in.keys();                                      // [C, d]
    auto state = in.state();                                       // [d, d] S at the chunk start, as in chunked_linear
    auto updates = in.values();                                    // [C, d] v_t, then u_t
    system.resize(size, size);                                     // [C, C] -beta k_t . k_s
    fused_multiply(k, k.transpose(), system);
    system *= -beta;
    decay.mask(system);                                            // only the strictly lower part is read
    if (!first) {
      decayed_start.resize(size, d);                               // [C, d] k_t^T S_0
      fused_multiply(k, state, decayed_start);
      if (decay.decays()) decayed_start.array().colwise() *= decay.to_start();
      updates -= decayed_start;
    }
    updates *= beta;
    forward_substitute(system, updates);                           // U
    chunk_read_out(in, decay, first, outputs.middleRows(start, size));
    chunk_update_state(in, decay, first);                          // S <- gamma_C S_0 + K^T diag(.) U
  }
  return outputs;
}

// Based: normalised Taylor linear attention plus exact softmax attention over the last `window`
// positions. The normaliser z_t . phi(q_t) comes out of the linear form beside its outputs; the
// window is a banded score matrix per chunk (queries of the chunk against keys start - window + 1 ..
// start + C - 1).
Eigen::MatrixXf chunked_based(const ModelConfig& config, const Weights& weights, std::span<const Token> tokens,
                              Eigen::Index step, ChunkedWorkspace::Buffers& scratch) {
  const auto length = static_cast<Eigen::Index>(tokens.size()), d = static_cast<Eigen::Index>(config.d);
  const auto window = static_cast<Eigen::Index>(config.window);
  scratch.feed.start(config, weights, tokens, FeatureMap::taylor, false, step);
  Eigen::VectorXf& normaliser = scratch.normaliser;                // [L] z . phi(q)
  Eigen::MatrixXf outputs = chunked_linear(scratch.feed, scratch.decay, step, &normaliser);  // [L, d] S^T phi(q)
  // The window reaches back past its chunk: its inputs are the whole sequence's.
  Eigen::MatrixXf& raw = scratch.raw;                              // [L + 1, d] row 0: 0; row t + 1: k_t
  RowMatrix& values = scratch.values;                              // [L, d] v_t
  raw.resize(length + 1, d);
  values.resize(length, d);
  raw.row(0).setZero();
  for (Eigen::Index t = 0; t < length; ++t) {
    raw.row(t + 1) = weights.key_embedding.row(tokens[static_cast<std::size_t>(t)]);
    values.row(t) = weights.value_embedding.row(tokens[static_cast<std::size_t>(t)]);
  }
  // Divided by the normaliser where it is positive (by 1, exactly, elsewhere), column by column.
  outputs.array().colwise() /= (normaliser.array() > 0).select(normaliser.array(), 1.0f);
  const auto beta = static_cast<float>(config.inverse_temperature > 0 ? config.inverse_temperature
                                                                      : 2.0 * std::sqrt(static_cast<double>(d)));
  for (Eigen::Index start = 0; start < length; start += step) {
    const Eigen::Index size = std::min(step, length - start);
    const Eigen::Index first = std::max<Eigen::Index>(0, start - window + 1), span = start + size - first;
    // By columns, one per query, so that each softmax runs over contiguous numbers (Eigen's vector
    // exp); by rows, the strided exp was scalar and took most of Based's time.
    Eigen::MatrixXf& scores = scratch.scores;                      // [span, C] beta k_s . q_t
    scores.resize(span, size);
    fused_multiply(raw.middleRows(first, span), raw.middleRows(start + 1, size).transpose(), scores);
    scores *= beta;
    for (Eigen::Index i = 0; i < size; ++i) {
      const Eigen::Index position = start + i;
      const Eigen::Index lo = std::max<Eigen::Index>(0, position - window + 1) - first, hi = position - first;
      auto column = scores.col(i);
      const float top = column.segment(lo, hi - lo + 1).maxCoeff();  // softmax with the maximum subtracted
      column.head(lo).setZero();
      column.segment(lo, hi - lo + 1) = (column.segment(lo, hi - lo + 1).array() - top).exp().matrix();
      column.tail(span - hi - 1).setZero();
      column /= column.sum();
    }
    fused_multiply(scores.transpose(), values.middleRows(first, span), outputs.middleRows(start, size), true);
  }
  return outputs;
}

}  // namespace

ChunkedWorkspace::ChunkedWorkspace() : buffers_(std::make_unique<Buffers>()) {}
ChunkedWorkspace::~ChunkedWorkspace() = default;
ChunkedWorkspace::ChunkedWorkspace(ChunkedWorkspace&&) noexcept = default;
ChunkedWorkspace& ChunkedWorkspace::operator=(ChunkedWorkspace&&) noexcept = default;

Eigen::MatrixXf chunked_outputs(const ModelConfig& config, const Weights& weights, std::span<const Token> tokens,
                                std::size_t chunk) {
  ChunkedWorkspace workspace;
  return chunked_outputs(config, weights, tokens, chunk, workspace);
}

Eigen::MatrixXf chunked_outputs(const ModelConfig& config, const Weights& weights, std::span<const Token> tokens,
                                std::size_t chunk, ChunkedWorkspace& workspace) {
  if (!has_chunked_form(config))
    throw Error::bad_input("--arch: '" + config.arch +
                           "' has no chunked form; allowed: linear-attention, mamba2, deltanet, gated-deltanet, based");
  if (chunk < 1) throw Error::bad_input("--chunk: 0 is out of range; the chunk length must be >= 1");
  const bool based = config.arch == "based";
  const FeatureMap map = config.arch == "linear-attention" ? config.feature_map
                         : based                           ? FeatureMap::taylor
                                                           : FeatureMap::identity;
  const bool decays = config.arch == "mamba2" || config.arch == "gated-deltanet";
  const auto step = static_cast<Eigen::Index>(std::min<std::size_t>(chunk, std::max<std::size_t>(tokens.size(), 1)));
  ChunkedWorkspace::Buffers& scratch = workspace.buffers();
  if (based) return chunked_based(config, weights, tokens, step, scratch);
  scratch.feed.start(config, weights, tokens, map, decays, step);
  if (config.arch == "deltanet" || config.arch == "gated-deltanet")
    return chunked_delta_rule(scratch, static_cast<float>(config.write_strength), step);
  return chunked_linear(scratch.feed, scratch.decay, step);
}

}  // namespace recallbound::models
