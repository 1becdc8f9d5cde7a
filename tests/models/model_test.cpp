// Known behaviour of the reference models: exact recall where the math promises it, overwriting,
// forgetting beyond a window, state accounting against independent counts, and the chunked form.
#include "recallbound/models/capacity_search.hpp"
#include "recallbound/models/chunked.hpp"
#include "recallbound/models/model.hpp"
#include "recallbound/models/run.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <string>

using namespace recallbound::models;

namespace {

ModelConfig config_for(const std::string& arch, std::size_t d, std::int64_t vocab) {
  ModelConfig config;
  config.arch = arch;
  config.d = d;
  config.vocab = vocab;
  return config;
}

RunSpec spec_for(const ModelConfig& config, const std::string& precision, std::size_t trials) {
  RunSpec spec;
  spec.model = config;
  spec.format = parse_storage_format(precision);
  spec.task.vocab = config.vocab;
  spec.trials = trials;
  spec.seed = 5;
  return spec;
}

RowResult run(const RunSpec& spec, std::int64_t pairs) {
  return run_row(spec, pairs, make_weights(spec.model, spec.seed));
}

// Observer that checks every live state number is a value of the storage format.
struct RepresentableCheck final : StepObserver {
  StorageFormat format;
  std::size_t unrepresentable = 0;
  std::size_t checked = 0;
  void after_step(const StepInfo&, std::span<const StateBuffer> state) override {
    for (const StateBuffer& buffer : state)
      for (float x : buffer.values) {
        ++checked;
        if (round_to_format(x, format) != x) ++unrepresentable;
      }
  }
};

// Sequence `trial` of an MQAR task with these sizes (the task's other parameters at their defaults).
RecallSequence mqar_sequence(std::int64_t vocab, std::int64_t pairs, std::int64_t seq_len, std::uint64_t seed,
                             std::uint64_t trial) {
  RecallTask task;
  task.vocab = vocab;
  task.pairs = pairs;
  task.seq_len = seq_len;
  return make_sequence(task, seed, trial);
}

}  // namespace

TEST_CASE("linear attention and the delta rule recall every pair with orthonormal keys when N <= d") {
  for (const char* arch : {"linear-attention", "deltanet", "gated-deltanet", "mamba2"}) {
    const std::size_t d = 32;
    ModelConfig config = config_for(arch, d, 2 * static_cast<std::int64_t>(d) + 2);  // d key tokens
    config.key_embedding = EmbeddingKind::orthonormal;
    config.decay = 0.01;
    RunSpec spec = spec_for(config, "fp32", 20);
    const RowResult row = run(spec, static_cast<std::int64_t>(d));
    CAPTURE(arch);
    CHECK(row.queries == 20 * d);
    CHECK(row.errors == 0);
  }
}

TEST_CASE("the delta rule's read-out is the stored value itself, while linear attention sums colliding keys") {
  const std::size_t d = 8;
  ModelConfig config = config_for("deltanet", d, 2 * static_cast<std::int64_t>(d) + 2);
  config.key_embedding = EmbeddingKind::orthonormal;
  auto weights = make_weights(config, 3);
  const StorageFormat fp32 = parse_storage_format("fp32");
  const Token first_value = static_cast<Token>(config.vocab / 2);
  Eigen::VectorXf out(static_cast<Eigen::Index>(d));

  // k1 v1 k1 v2 ... k1: the repeated key is overwritten, the read-out is v2.
  auto delta = make_model(config, weights, fp32);
  for (Token t : {Token{1}, first_value, Token{2}, Token(first_value + 3), Token{1}, Token(first_value + 1), Token{1}})
    delta->step(t);
  const Eigen::VectorXf v2 = weights->value_embedding.row(first_value + 1).transpose();
  const Eigen::VectorXf v1 = weights->value_embedding.row(first_value).transpose();
  delta->read_out(out);
  CHECK((out - v2).norm() < 1e-5f);

  // Linear attention keeps both: the read-out is v1 + v2.
  config.arch = "linear-attention";
  auto linear = make_model(config, weights, fp32);
  for (Token t : {Token{1}, first_value, Token{2}, Token(first_value + 3), Token{1}, Token(first_value + 1), Token{1}})
    linear->step(t);
  linear->read_out(out);
  CHECK((out - v1 - v2).norm() < 1e-5f);
}

TEST_CASE("a sliding window recalls nothing older than its window, and everything inside it") {
  const std::size_t d = 32, window = 16;
  ModelConfig config = config_for("sliding-window", d, 1024);
  config.window = window;
  auto weights = make_weights(config, 3);
  auto model = make_model(config, weights, parse_storage_format("fp32"));
  const Token key = 7, value = 600;
  Eigen::VectorXf out(static_cast<Eigen::Index>(d));
  for (std::size_t gap : {std::size_t{1}, window - 2, window - 1, window, window + 5, 4 * window}) {
    model->reset();
    model->step(key);
    model->step(value);
    for (std::size_t i = 0; i < gap; ++i) model->step(0);
    model->step(key);
    model->read_out(out);
    // The pair (k, v) entered the cache at the value's step; it is still there iff fewer than
    // `window` steps followed it.
    const bool inside = gap + 1 < window;
    const Eigen::VectorXf v = weights->value_embedding.row(value).transpose();
    CAPTURE(gap);
    if (inside) CHECK(out.dot(v) > 0.5f);
    else CHECK(out.norm() == 0.0f);  // only filler entries left, whose values are zero
  }
}

TEST_CASE("softmax attention recalls near-perfectly while its KV cache grows with N") {
  const ModelConfig config = config_for("softmax-attention", 64, 8192);
  RunSpec spec = spec_for(config, "fp32", 10);
  std::uint64_t previous_numbers = 0;
  for (std::int64_t pairs : {16, 64, 256}) {
    const RowResult row = run(spec, pairs);
    CHECK(row.accuracy() >= 0.99);
    // The cache holds one (key, value) pair per position plus the token shift: 2 L d + d.
    CHECK(row.state_numbers == static_cast<std::uint64_t>(2 * row.seq_len * 64 + 64));
    CHECK(row.state_numbers > previous_numbers);
    previous_numbers = row.state_numbers;
  }
}

TEST_CASE("live state bits match an independent count for every architecture and format") {
  const std::size_t d = 16, f = 4, window = 8;
  const std::int64_t pairs = 8, seq_len = 40;
  auto expected_numbers = [&](const std::string& arch) -> std::uint64_t {
    if (arch == "softmax-attention") return 2 * seq_len * d + d;
    if (arch == "sliding-window") return 2 * window * d + d;
    if (arch == "based") return (1 + f + f * f) * (d + 1) + 2 * window * d + d;
    return d * d + d;  // a d x d memory and the token shift
  };
  for (std::string_view name : architecture_names) {
    for (const char* precision : {"fp32", "bf16", "fp8-e4m3", "int6"}) {
      ModelConfig config = config_for(std::string(name), d, 256);
      config.feature_dim = f;
      config.window = window;
      RunSpec spec = spec_for(config, precision, 3);
      spec.task.seq_len = seq_len;
      const RowResult row = run(spec, pairs);
      CAPTURE(name);
      CAPTURE(precision);
      CHECK(row.state_numbers == expected_numbers(std::string(name)));
      CHECK(row.state_bits_measured == recallbound::Integer(row.state_numbers) * spec.format.bits());
    }
  }
}

TEST_CASE("the state is rounded to its storage format after every step") {
  for (std::string_view name : architecture_names) {
    for (const char* precision : {"bf16", "fp8-e5m2", "int8"}) {
      ModelConfig config = config_for(std::string(name), 16, 256);
      config.feature_dim = 4;
      const StorageFormat format = parse_storage_format(precision);
      auto model = make_model(config, make_weights(config, 9), format);
      RepresentableCheck check;
      check.format = format;
      model->add_observer(&check);
      for (Token t : mqar_sequence(256, 12, 64, 9, 0).tokens) model->step(t);
      CAPTURE(name);
      CAPTURE(precision);
      CHECK(check.checked > 0);
      CHECK(check.unrepresentable == 0);
    }
  }
}

TEST_CASE("recurrent and chunked forms of the linear models agree to round-off") {
  constexpr std::int64_t vocab = 512;
  const RecallSequence sequence = mqar_sequence(vocab, 24, 200, 4, 0);
  struct Case { const char* arch; FeatureMap map; double decay; };
  for (const Case& c : {Case{"linear-attention", FeatureMap::identity, 0}, Case{"linear-attention", FeatureMap::elu_plus_one, 0},
                        Case{"linear-attention", FeatureMap::taylor, 0}, Case{"mamba2", FeatureMap::identity, 0.05},
                        Case{"deltanet", FeatureMap::identity, 0}, Case{"gated-deltanet", FeatureMap::identity, 0.05},
                        Case{"gated-deltanet", FeatureMap::identity, 0.7}, Case{"based", FeatureMap::taylor, 0},
                        // Decays whose sum over a chunk passes 32 (24 value tokens): the read-out is
                        // two products instead of one; and passes 64: the causal mask takes
                        // e^{g_t - g_s} itself instead of e^{g_t} e^{-g_s} (chunked.cpp).
                        Case{"mamba2", FeatureMap::identity, 2.0}, Case{"gated-deltanet", FeatureMap::identity, 2.0},
                        Case{"mamba2", FeatureMap::identity, 4.0}, Case{"gated-deltanet", FeatureMap::identity, 4.0}}) {
    ModelConfig config = config_for(c.arch, 32, vocab);
    config.feature_map = c.map;
    config.feature_dim = 8;
    config.decay = c.decay;
    config.window = 13;  // based: a window that straddles chunk boundaries
    auto weights = make_weights(config, 4);
    auto model = make_model(config, weights, parse_storage_format("fp32"));
    Eigen::MatrixXf recurrent(static_cast<Eigen::Index>(sequence.tokens.size()), 32);
    Eigen::VectorXf out(32);
    for (std::size_t t = 0; t < sequence.tokens.size(); ++t) {
      model->step(sequence.tokens[t]);
      model->read_out(out);
      recurrent.row(static_cast<Eigen::Index>(t)) = out.transpose();
    }
    for (std::size_t chunk : {std::size_t{1}, std::size_t{7}, std::size_t{64}, std::size_t{1000}}) {
      const Eigen::MatrixXf chunked = chunked_outputs(config, *weights, sequence.tokens, chunk);
      const float scale = std::max(1.0f, recurrent.cwiseAbs().maxCoeff());
      CAPTURE(c.arch);
      CAPTURE(chunk);
      CHECK((chunked - recurrent).cwiseAbs().maxCoeff() <= 1e-4f * scale);
    }
  }
}

TEST_CASE("a chunked workspace carried from call to call gives a fresh call's bits") {
  // One workspace through every form, two widths, chunk lengths and sequences of two lengths (the
  // longer first, so that later calls find buffers sized for more): its buffers are resized and
  // rebuilt, never read before being written, so each call's outputs are those of a fresh call.
  constexpr std::int64_t vocab = 512;
  const RecallSequence longer = mqar_sequence(vocab, 24, 200, 5, 0);
  const RecallSequence shorter = mqar_sequence(vocab, 10, 70, 5, 1);
  ChunkedWorkspace workspace;
  std::size_t calls = 0;
  for (std::size_t d : {std::size_t{32}, std::size_t{16}})
    for (const char* arch : {"linear-attention", "mamba2", "deltanet", "gated-deltanet", "based"})
      for (FeatureMap map : {FeatureMap::identity, FeatureMap::elu_plus_one, FeatureMap::taylor}) {
        if (std::string(arch) != "linear-attention" && map != FeatureMap::identity) continue;
        ModelConfig config = config_for(arch, d, vocab);
        config.feature_map = map;
        config.feature_dim = 8;
        config.decay = 0.3;
        config.window = 13;
        const auto weights = make_weights(config, 6);
        for (std::size_t chunk : {std::size_t{64}, std::size_t{7}})
          for (const RecallSequence* sequence : {&longer, &shorter}) {
            const Eigen::MatrixXf fresh = chunked_outputs(config, *weights, sequence->tokens, chunk);
            const Eigen::MatrixXf reused = chunked_outputs(config, *weights, sequence->tokens, chunk, workspace);
            CAPTURE(arch);
            CAPTURE(d);
            CAPTURE(chunk);
            REQUIRE(reused.rows() == fresh.rows());
            REQUIRE(reused.cols() == fresh.cols());
            const auto bytes = sizeof(float) * static_cast<std::size_t>(fresh.size());
            CHECK(std::memcmp(reused.data(), fresh.data(), bytes) == 0);
            ++calls;
          }
      }
  CHECK(calls == 56);
}

TEST_CASE("zero-row flags mark exactly the rows that are +0 in every entry, and change no chunked output") {
  for (EmbeddingKind kind : {EmbeddingKind::gaussian, EmbeddingKind::orthonormal, EmbeddingKind::one_hot}) {
    ModelConfig config = config_for("linear-attention", 32, 64);  // orthonormal: d >= the 31 key tokens
    config.key_embedding = kind;
    config.value_embedding = kind;
    const auto weights = make_weights(config, 3);
    REQUIRE(weights->zero_key_rows.size() == 64);
    REQUIRE(weights->zero_value_rows.size() == 64);
    for (Eigen::Index t = 0; t < 64; ++t) {
      // The construction: keys on tokens 1 .. V/2 - 1, values on V/2 .. V - 1, zero rows elsewhere.
      CHECK(weights->zero_key_rows[static_cast<std::size_t>(t)] == (t == 0 || t >= 32));
      CHECK(weights->zero_value_rows[static_cast<std::size_t>(t)] == (t < 32));
    }
  }
  Weights edited = *make_weights(config_for("linear-attention", 8, 16), 3);
  edited.key_embedding.row(0)(3) = -0.0f;  // -0 is not +0: its features could differ in sign
  edited.key_embedding.row(9).setZero();   // a value token's row, zero already
  edited.value_embedding.row(2).setZero();
  edited.value_embedding.row(12).setConstant(0.5f);  // a key token's value row, no longer zero
  edited.mark_zero_rows();
  CHECK(edited.zero_key_rows[0] == 0);
  CHECK(edited.zero_key_rows[9] == 1);
  CHECK(edited.zero_value_rows[2] == 1);
  CHECK(edited.zero_value_rows[12] == 0);
  CHECK(edited.zero_key_rows[1] == 0);

  constexpr std::int64_t vocab = 256;
  const RecallSequence sequence = mqar_sequence(vocab, 20, 150, 8, 0);
  for (const char* arch : {"linear-attention", "mamba2", "deltanet", "based"})
    for (FeatureMap map : {FeatureMap::identity, FeatureMap::elu_plus_one}) {
      ModelConfig config = config_for(arch, 16, vocab);
      config.feature_map = map;
      config.feature_dim = 6;
      config.decay = 0.3;
      const auto weights = make_weights(config, 9);
      Weights unflagged = *weights;
      unflagged.zero_key_rows.clear();
      const Eigen::MatrixXf with = chunked_outputs(config, *weights, sequence.tokens, 16);
      const Eigen::MatrixXf without = chunked_outputs(config, unflagged, sequence.tokens, 16);
      CAPTURE(arch);
      REQUIRE(with.size() == without.size());
      CHECK(std::memcmp(with.data(), without.data(), sizeof(float) * static_cast<std::size_t>(with.size())) == 0);
    }
}

TEST_CASE("the KV-cache attention models have no chunked form, and say so") {
  const ModelConfig config = config_for("softmax-attention", 8, 64);
  const std::vector<Token> tokens{1, 40, 0};
  CHECK_FALSE(has_chunked_form(config));
  CHECK_THROWS_WITH(chunked_outputs(config, *make_weights(config, 1), tokens, 4),
                    "--arch: 'softmax-attention' has no chunked form; allowed: linear-attention, mamba2, deltanet, "
                    "gated-deltanet, based");
}

TEST_CASE("results are identical whatever the number of threads, for both read-outs") {
  ModelConfig config = config_for("gated-deltanet", 16, 512);
  for (Readout readout : {Readout::value_codes, Readout::probe}) {
    RunSpec spec = spec_for(config, "bf16", 12);
    spec.readout = readout;
    spec.threads = 1;
    const RowResult one = run(spec, 40);
    spec.threads = 3;
    const RowResult three = run(spec, 40);
    CHECK(one.errors == three.errors);
    CHECK(one.queries == three.queries);
    for (std::size_t b = 0; b < one.by_position.size(); ++b) CHECK(one.by_position[b].errors == three.by_position[b].errors);
    CHECK(one.errors > 0);  // 40 pairs in 16 dimensions: the comparison is not between two perfect runs
  }
}

TEST_CASE("the ridge probe reads out what the state holds") {
  // With orthonormal keys linear attention stores each value exactly: the probe must find it.
  ModelConfig config = config_for("linear-attention", 16, 2 * 16 + 2);
  config.key_embedding = EmbeddingKind::orthonormal;
  RunSpec spec = spec_for(config, "fp32", 10);
  spec.readout = Readout::probe;
  spec.probe_trials = 200;
  CHECK(run(spec, 16).errors == 0);
  // Far beyond capacity neither read-out can recall everything.
  ModelConfig crowded = config_for("linear-attention", 8, 1024);
  RunSpec over = spec_for(crowded, "fp32", 10);
  over.readout = Readout::probe;
  CHECK(run(over, 200).accuracy() < 0.5);
}

TEST_CASE("capacity search brackets and bisects to a passing N whose successor fails") {
  ModelConfig config = config_for("linear-attention", 16, 2048);
  RunSpec spec = spec_for(config, "fp32", 8);
  const auto weights = make_weights(config, spec.seed);
  const recallbound::Rational eps(1, 10);
  const CapacitySearchResult found = search_capacity(spec, eps, 1000, weights);
  REQUIRE(found.capacity >= 1);
  CHECK_FALSE(found.limit_reached);
  const RowResult* at = nullptr;
  const RowResult* next = nullptr;
  for (const RowResult& row : found.evaluated) {
    if (row.pairs == found.capacity) at = &row;
    if (row.pairs == found.capacity + 1) next = &row;
  }
  REQUIRE(at != nullptr);
  REQUIRE(next != nullptr);
  CHECK(row_passes(*at, eps));
  CHECK_FALSE(row_passes(*next, eps));
  // Orthonormal keys: every N up to the 16 keys of the vocabulary passes at eps = 0.
  ModelConfig exact = config_for("deltanet", 16, 34);
  exact.key_embedding = EmbeddingKind::orthonormal;
  RunSpec exact_spec = spec_for(exact, "fp32", 4);
  const CapacitySearchResult all = search_capacity(exact_spec, recallbound::Rational(0), 16, make_weights(exact, 5));
  CHECK(all.capacity == 16);
  CHECK(all.limit_reached);
}

TEST_CASE("Clopper-Pearson intervals match their closed forms at the extremes") {
  // 0 of n: upper = 1 - (alpha/2)^(1/n); n of n: lower = (alpha/2)^(1/n).
  for (std::uint64_t n : {1u, 10u, 1000u}) {
    const auto none = clopper_pearson(0, n);
    const auto all = clopper_pearson(n, n);
    CHECK(none.first == 0.0);
    CHECK(none.second == doctest::Approx(1 - std::pow(0.025, 1.0 / static_cast<double>(n))).epsilon(1e-12));
    CHECK(all.first == doctest::Approx(std::pow(0.025, 1.0 / static_cast<double>(n))).epsilon(1e-12));
    CHECK(all.second == 1.0);
  }
  const auto half = clopper_pearson(50, 100);  // symmetric around 1/2
  CHECK(half.first == doctest::Approx(1 - half.second).epsilon(1e-12));
  CHECK(half.first < 0.5);
}

TEST_CASE("compare_with_catalog reports a wrong expected count as a mismatch, naming both counts") {
  ModelConfig config = config_for("deltanet", 16, 256);
  RunSpec spec = spec_for(config, "bf16", 3);
  spec.task.seq_len = 40;
  const RowResult row = run(spec, 8);
  REQUIRE(row.state_bits_measured == recallbound::Integer(16 * 16 + 16) * 16);  // 272 bf16 numbers

  const CatalogComparison right = compare_with_catalog(row.state_bits_measured, row.state_bits_measured);
  CHECK(right.available);
  CHECK(right.matches);
  CHECK(right.message.empty());

  // One number too many (16 bits), as a catalog formula missing the token shift's off-by-one would give.
  const recallbound::Integer wrong = row.state_bits_measured + 16;
  const CatalogComparison off = compare_with_catalog(row.state_bits_measured, wrong);
  CHECK(off.available);
  CHECK_FALSE(off.matches);
  REQUIRE(off.expected.has_value());
  CHECK(*off.expected == wrong);
  CHECK(off.message == "state bits mismatch: counted 4352 bits in the live buffers, the catalog formula gives 4368");

  const CatalogComparison low = compare_with_catalog(row.state_bits_measured, recallbound::Integer(0));
  CHECK(low.available);
  CHECK_FALSE(low.matches);

  const CatalogComparison none = compare_with_catalog(row.state_bits_measured, std::nullopt);
  CHECK_FALSE(none.available);
  CHECK_FALSE(none.matches);
  CHECK(none.message.empty());
}
