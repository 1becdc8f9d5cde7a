#pragma once
// The common online sequence processor. A model consumes one token per `step`, rounds its state to
// its storage format after every update, and can be read out after any step. Its state is visible
// only to observers, which `step` notifies with the live buffers after each update: that is the
// one way instrumentation (bit counting, traces) sees inside a model.
#include "recallbound/models/storage_format.hpp"
#include "recallbound/models/task.hpp"

#include <Eigen/Core>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace recallbound::models {

/// One live state buffer: every element counts as one stored number.
struct StateBuffer {
  std::string_view name;       // "kv_cache", "memory", "normalizer", "token_shift", ...
  std::span<const float> values;
};

struct StepInfo {
  std::size_t position = 0;            // index of the token just consumed
  Token token = 0;
  std::uint64_t multiply_adds = 0;     // multiply-adds this update took
};

class StepObserver {
 public:
  virtual ~StepObserver() = default;
  virtual void after_step(const StepInfo& step, std::span<const StateBuffer> state) = 0;
};

/// Names of the reference architectures.
inline constexpr std::string_view architecture_names[] = {
    "softmax-attention", "sliding-window", "linear-attention", "mamba2",
    "deltanet", "gated-deltanet", "based"};

enum class EmbeddingKind { gaussian, orthonormal, one_hot };
EmbeddingKind parse_embedding_kind(std::string_view name, std::string_view field = "--embedding");
std::string embedding_kind_name(EmbeddingKind kind);

enum class FeatureMap { identity, elu_plus_one, taylor };
FeatureMap parse_feature_map(std::string_view name, std::string_view field = "--feature-map");
std::string feature_map_name(FeatureMap map);

/// Everything that defines a reference model; see docs/models.md for each field's role per arch.
struct ModelConfig {
  std::string arch = "linear-attention";
  std::size_t d = 64;                          // key / value / query width
  FeatureMap feature_map = FeatureMap::identity;  // linear-attention only
  std::size_t feature_dim = 16;                // taylor: keys projected to this width first
  std::size_t window = 64;                     // sliding-window and based: cached positions
  double inverse_temperature = 0;              // softmax scores beta * q.k; 0 = 2 sqrt(d)
  double decay = 0.001;                        // mamba2, gated-deltanet: a_t = exp(-decay) on value tokens
  double write_strength = 1.0;                 // deltanet, gated-deltanet: beta of the delta rule
  EmbeddingKind key_embedding = EmbeddingKind::gaussian;
  EmbeddingKind value_embedding = EmbeddingKind::gaussian;
  std::int64_t vocab = 8192;
};

/// Checks a configuration; throws Error::bad_input naming the option and its range.
void validate_config(const ModelConfig& config);

/// Constructed (not trained) weights, shared read-only by every model instance of a run.
/// Row-major tables: row t is the embedding of token t.
using EmbeddingTable = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
struct Weights {
  EmbeddingTable key_embedding;    // [V, d]: unit rows for key tokens 1 .. V/2-1, zero rows elsewhere
  EmbeddingTable value_embedding;  // [V, d]: unit rows for value tokens V/2 .. V-1, zero rows elsewhere
  Eigen::MatrixXf feature_projection;  // [feature_dim, d]: taylor only, entries N(0, 1/feature_dim)
  /// Per token, 1 where its row of key_embedding (value_embedding) is +0 in every entry; empty: not
  /// known. The recurrent and chunked forms point such a row at one shared zero row instead of
  /// reading it from the table (in an MQAR sequence half of the rows, each a cache miss), with the
  /// same bits. make_weights sets them; a caller that changes the tables calls mark_zero_rows() again
  /// (or clears them), since a stale flag would stand for a row that is no longer zero.
  std::vector<std::uint8_t> zero_key_rows, zero_value_rows;
  /// Sets zero_key_rows and zero_value_rows from the tables as they are.
  void mark_zero_rows();
  /// The value codes the fixed read-out scores against: rows V/2 .. V-1 of value_embedding.
  [[nodiscard]] auto value_codes() const {
    return value_embedding.bottomRows(value_embedding.rows() - value_embedding.rows() / 2);
  }
};

/// Read-outs of a whole sequence, [R, d] row-major: row r is the read-out after one listed position.
using ReadoutMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// Builds the weights from (config, seed); a pure function of both.
std::shared_ptr<const Weights> make_weights(const ModelConfig& config, std::uint64_t seed);

class SequenceModel {
 public:
  virtual ~SequenceModel() = default;
  /// Back to the empty state (no tokens seen).
  void reset() {
    position_ = 0;
    clear_state();
  }
  /// Consumes one token: updates the state, rounds it to the storage format, notifies observers.
  void step(Token token);
  /// Runs `tokens` from the empty state and sets row r of `out` (resized to [R, d]) to the read-out
  /// after token readout_positions[r] (ascending, each < tokens.size(); repeats allowed). The same
  /// bits as reset(), step() per token and read_out() at those positions, and the same state after.
  /// The matrix-memory models run it in their fused recurrent form (the per-step recurrence with a
  /// block of the state's columns kept in cache across steps); with observers attached, or for the
  /// other models, it steps token by token, so observers still see every step.
  /// Throws Error::bad_input for positions out of order or out of range.
  void run(std::span<const Token> tokens, std::span<const std::size_t> readout_positions, ReadoutMatrix& out);
  /// The model's output after the last step, [d]; scored against the value codes.
  virtual void read_out(Eigen::Ref<Eigen::VectorXf> out) const = 0;
  /// Multiply-adds one read-out takes at the current state.
  [[nodiscard]] virtual std::uint64_t readout_multiply_adds() const = 0;
  [[nodiscard]] std::size_t output_dim() const { return config_.d; }
  [[nodiscard]] const ModelConfig& config() const { return config_; }
  [[nodiscard]] const StorageFormat& format() const { return format_; }
  /// An independent copy in the current state, without observers, so instrumentation can probe a
  /// state (e.g. read one key out of it) without disturbing the sequence the model is processing.
  /// Throws Error::internal for a model that does not implement copy().
  [[nodiscard]] std::unique_ptr<SequenceModel> clone() const;
  /// Observers are not owned; they must outlive the model or be removed with clear_observers.
  void add_observer(StepObserver* observer) { observers_.push_back(observer); }
  void clear_observers() { observers_.clear(); }

 protected:
  SequenceModel(ModelConfig config, std::shared_ptr<const Weights> weights, StorageFormat format)
      : config_(std::move(config)), weights_(std::move(weights)), format_(format) {}
  virtual void clear_state() = 0;
  /// The update for one token; returns its multiply-adds. Must leave the state rounded.
  virtual std::uint64_t update(Token token) = 0;
  /// The fused recurrent form of run(), from the empty state, writing `readouts` [R, d] row-major;
  /// returns false when the model has none (run() then steps).
  virtual bool run_fused(std::span<const Token> /*tokens*/, std::span<const std::size_t> /*readout_positions*/,
                         float* /*readouts*/) {
    return false;
  }
  /// A copy of the concrete model (observers are dropped by clone()).
  [[nodiscard]] virtual std::unique_ptr<SequenceModel> copy() const;
  /// The live buffers, for observers.
  virtual std::vector<StateBuffer> live_state() const = 0;
  /// Rounds a contiguous state buffer (an Eigen vector or matrix) to the storage format.
  template <typename Derived>
  void store(Eigen::PlainObjectBase<Derived>& values) const {
    round_in_place({values.data(), static_cast<std::size_t>(values.size())}, format_);
  }

  ModelConfig config_;
  std::shared_ptr<const Weights> weights_;
  StorageFormat format_;

 private:
  std::vector<StepObserver*> observers_;
  std::size_t position_ = 0;
};

/// A reference model by name (one of architecture_names).
std::unique_ptr<SequenceModel> make_model(const ModelConfig& config, std::shared_ptr<const Weights> weights,
                                          const StorageFormat& format);

}  // namespace recallbound::models
