// SequenceModel::run (the fused recurrent form of the matrix-memory models) against stepping token
// by token: the same bits in every read-out and in the state left behind.
#include "recallbound/error.hpp"
#include "recallbound/models/model.hpp"
#include "../../src/models/memory_kernels.hpp"  // the ELU feature map's vector exp (internal)

#include <doctest/doctest.h>

#include <bit>
#include <cmath>
#include <algorithm>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <vector>

using namespace recallbound::models;

namespace {

struct Case {
  std::string arch;
  FeatureMap map = FeatureMap::identity;
};

// Copies every live buffer the model shows its observers after a step.
struct StateCopy final : StepObserver {
  std::vector<std::vector<float>> buffers;
  void after_step(const StepInfo&, std::span<const StateBuffer> state) override {
    buffers.clear();
    for (const StateBuffer& buffer : state) buffers.emplace_back(buffer.values.begin(), buffer.values.end());
  }
};

bool same_bits(const float* a, const float* b, std::size_t count) { return std::memcmp(a, b, count * sizeof(float)) == 0; }

// Random tokens over the whole vocabulary (fillers, keys, values; repeats), and sorted random
// read-out positions with repeats.
void random_sequence(SplitMixRandom& random, std::int64_t vocab, std::size_t length, std::vector<Token>& tokens,
                     std::vector<std::size_t>& positions) {
  tokens.resize(length);
  for (Token& token : tokens) token = static_cast<Token>(random.below(static_cast<std::uint64_t>(vocab)));
  positions.clear();
  for (std::size_t p = 0; p < length; ++p)
    while (random.below(3) == 0) positions.push_back(p);  // 0, 1, 2, ... read-outs after token p
}

// The state after stepping `token` (seen through an observer), for comparing two models' states.
std::vector<std::vector<float>> state_after(SequenceModel& model, Token token) {
  StateCopy copy;
  model.add_observer(&copy);
  model.step(token);
  model.clear_observers();
  return copy.buffers;
}

}  // namespace

TEST_CASE("run() gives the bits of stepping token by token, for every model, feature map and format") {
  const std::vector<Case> cases = {{"linear-attention", FeatureMap::identity},
                                   {"linear-attention", FeatureMap::elu_plus_one},
                                   {"linear-attention", FeatureMap::taylor},
                                   {"mamba2"},
                                   {"deltanet"},
                                   {"gated-deltanet"},
                                   {"softmax-attention"},
                                   {"sliding-window"},
                                   {"based"}};
  SplitMixRandom random(20261129);
  std::size_t compared = 0;
  for (const Case& c : cases)
    for (const std::size_t d : {std::size_t{3}, std::size_t{13}, std::size_t{40}})
      for (const char* precision : {"fp32", "bf16", "fp16", "fp8-e4m3", "int8"}) {
        ModelConfig config;
        config.arch = c.arch;
        config.feature_map = c.map;
        config.d = d;
        config.vocab = 64;
        config.feature_dim = 5;  // taylor: F = 31, not a multiple of 8
        config.window = 7;
        config.decay = 0.3;      // gates well away from 1
        config.write_strength = 0.75;
        const StorageFormat format = parse_storage_format(precision);
        // With the zero-row flags make_weights sets (run() never reads a flagged row), and without
        // them (it reads every row); stepping reads the tables either way.
        const bool flags = compared % 2 == 0;
        auto copy = std::make_shared<Weights>(*make_weights(config, 7 + d));
        if (!flags) copy->zero_key_rows.clear();
        const std::shared_ptr<const Weights> weights = copy;
        auto fused = make_model(config, weights, format);
        auto stepped = make_model(config, weights, format);
        std::vector<Token> tokens;
        std::vector<std::size_t> positions;
        random_sequence(random, config.vocab, 150, tokens, positions);
        CAPTURE(c.arch);
        CAPTURE(feature_map_name(c.map));
        CAPTURE(d);
        CAPTURE(precision);
        CAPTURE(flags);
        ReadoutMatrix runs;
        fused->run(tokens, positions, runs);
        REQUIRE(runs.rows() == static_cast<Eigen::Index>(positions.size()));
        REQUIRE(runs.cols() == static_cast<Eigen::Index>(d));
        Eigen::VectorXf readout(static_cast<Eigen::Index>(d));
        std::size_t next = 0;
        bool all_same = true;
        for (std::size_t p = 0; p < tokens.size(); ++p) {
          stepped->step(tokens[p]);
          for (; next < positions.size() && positions[next] == p; ++next) {
            stepped->read_out(readout);
            all_same = all_same && same_bits(readout.data(), runs.row(static_cast<Eigen::Index>(next)).data(), d);
          }
        }
        CHECK(all_same);
        // The state left behind: one more step on each, compared buffer by buffer.
        const auto fused_state = state_after(*fused, tokens.front());
        const auto stepped_state = state_after(*stepped, tokens.front());
        REQUIRE(fused_state.size() == stepped_state.size());
        for (std::size_t b = 0; b < fused_state.size(); ++b) {
          REQUIRE(fused_state[b].size() == stepped_state[b].size());
          CHECK(same_bits(fused_state[b].data(), stepped_state[b].data(), fused_state[b].size()));
        }
        ++compared;
      }
  CHECK(compared == 9 * 3 * 5);
}

TEST_CASE("run() is not a no-op: its read-outs change with the tokens and match a hand-computed memory") {
  // Linear attention with one-hot keys and values, d = 4, vocab 8: keys 1..3, values 4..7. After
  // k1 v4 k2 v5 the memory is e1 e(4)^T + e2 e(5)^T, so querying k1 reads out value code 4 exactly.
  ModelConfig config;
  config.arch = "linear-attention";
  config.d = 4;
  config.vocab = 8;
  config.key_embedding = EmbeddingKind::one_hot;
  config.value_embedding = EmbeddingKind::one_hot;
  const auto weights = make_weights(config, 1);
  auto model = make_model(config, weights, parse_storage_format("fp32"));
  const std::vector<Token> tokens = {1, 4, 2, 5, 1, 0, 2};
  const std::vector<std::size_t> positions = {4, 6};
  ReadoutMatrix out;
  model->run(tokens, positions, out);
  const auto codes = weights->value_codes();
  CHECK((out.row(0) - codes.row(0)).cwiseAbs().maxCoeff() == 0.0f);  // k1 -> v4 (code 0)
  CHECK((out.row(1) - codes.row(1)).cwiseAbs().maxCoeff() == 0.0f);  // k2 -> v5 (code 1)
  CHECK(out.row(0).squaredNorm() == doctest::Approx(1.0));
}

TEST_CASE("run() with an observer attached steps, so the observer sees every token") {
  struct Counter final : StepObserver {
    std::size_t steps = 0;
    void after_step(const StepInfo&, std::span<const StateBuffer>) override { ++steps; }
  } counter;
  ModelConfig config;
  config.arch = "deltanet";
  config.d = 8;
  config.vocab = 32;
  auto model = make_model(config, make_weights(config, 3), parse_storage_format("bf16"));
  model->add_observer(&counter);
  const std::vector<Token> tokens = {1, 20, 2, 21, 0, 1};
  ReadoutMatrix out;
  model->run(tokens, std::vector<std::size_t>{5}, out);
  CHECK(counter.steps == tokens.size());
}

TEST_CASE("run() rejects read-out positions out of order or past the sequence, with exact messages") {
  ModelConfig config;
  config.arch = "mamba2";
  config.d = 8;
  config.vocab = 32;
  auto model = make_model(config, make_weights(config, 3), parse_storage_format("fp32"));
  const std::vector<Token> tokens = {1, 20, 2, 21};
  ReadoutMatrix out;
  const auto message = [&](std::vector<std::size_t> positions) {
    try {
      model->run(tokens, positions, out);
    } catch (const recallbound::Error& error) {
      return std::string(error.what());
    }
    return std::string("no error");
  };
  CHECK(message({1, 0}) == "run: read-out position 0 is out of order or not below the sequence length 4");
  CHECK(message({4}) == "run: read-out position 4 is out of order or not below the sequence length 4");
  CHECK(message({0, 0, 3}) == "no error");
}

TEST_CASE("the memory after each step equals a scalar reference rounded element by element with round_to_format") {
  // An oracle that shares nothing with the column kernels: S[i, j] <- round(a S[i, j] + v_j k_i),
  // one element at a time, for linear attention (a = 1) and Mamba-2 (a = exp(-decay) on values).
  for (const char* arch : {"linear-attention", "mamba2"})
    for (const std::size_t d : {std::size_t{13}, std::size_t{40}})
      for (const char* precision : {"fp32", "bf16", "fp16", "fp8-e5m2", "fp8-e4m3", "int6"}) {
        ModelConfig config;
        config.arch = arch;
        config.d = d;
        config.vocab = 48;
        config.decay = 0.2;
        const StorageFormat format = parse_storage_format(precision);
        const auto weights = make_weights(config, 11);
        auto model = make_model(config, weights, format);
        SplitMixRandom random(d);
        std::vector<float> memory(d * d, 0.0f), key(d, 0.0f);
        StateCopy copy;
        model->add_observer(&copy);
        std::size_t mismatched = 0;
        for (int t = 0; t < 120; ++t) {
          const auto token = static_cast<Token>(random.below(static_cast<std::uint64_t>(config.vocab)));
          model->step(token);
          const float gate = std::string(arch) == "mamba2" && token >= config.vocab / 2
                                 ? static_cast<float>(std::exp(-config.decay)) : 1.0f;
          for (std::size_t j = 0; j < d; ++j) {
            const float v = round_to_format(weights->value_embedding(token, static_cast<Eigen::Index>(j)), format);
            for (std::size_t i = 0; i < d; ++i) {
              float& s = memory[j * d + i];
              s = round_to_format(gate * s + v * key[i], format);
            }
          }
          for (std::size_t i = 0; i < d; ++i)
            key[i] = round_to_format(weights->key_embedding(token, static_cast<Eigen::Index>(i)), format);
          if (!same_bits(copy.buffers.at(0).data(), memory.data(), memory.size())) ++mismatched;
        }
        CAPTURE(std::string(arch));
        CAPTURE(d);
        CAPTURE(std::string(precision));
        CHECK(mismatched == 0);
      }
}

TEST_CASE("run() matches stepping when a bf16 or fp16 state overflows, saturating at the largest finite value") {
  // One-hot keys and values, values scaled to half the largest finite value (2^127 for bf16, 2^15
  // for fp16): the pair (key 1, value 20) written twice (or once with the delta rule's beta = 2)
  // passes the largest finite value, so the fused form cannot take its bound-checked rounding and
  // must flag lanes, and both forms saturate.
  for (const char* precision : {"bf16", "fp16"})
    for (const char* arch : {"linear-attention", "mamba2", "deltanet"}) {
      ModelConfig config;
      config.arch = arch;
      config.d = 24;
      config.vocab = 40;
      config.key_embedding = EmbeddingKind::one_hot;
      config.value_embedding = EmbeddingKind::one_hot;
      config.write_strength = 2.0;
      config.decay = 0.0;  // Mamba-2 keeps its decaying code path, with gates of 1, so the saturation stays
      const StorageFormat format = parse_storage_format(precision);
      auto scaled = std::make_shared<Weights>(*make_weights(config, 5));
      scaled->value_embedding *= std::string(precision) == "bf16" ? 0x1p127f : 0x1p15f;
      auto fused = make_model(config, scaled, format);
      auto stepped = make_model(config, scaled, format);
      SplitMixRandom random(99);
      std::vector<Token> tokens;
      std::vector<std::size_t> positions;
      random_sequence(random, config.vocab, 80, tokens, positions);
      const std::vector<Token> repeated = {1, 20, 1, 20, 0};
      tokens.insert(tokens.begin(), repeated.begin(), repeated.end());
      for (std::size_t& position : positions) position += repeated.size();
      positions.insert(positions.begin(), 3);
      ReadoutMatrix runs;
      fused->run(tokens, positions, runs);
      const auto fused_state = state_after(*fused, tokens.front());
      for (Token token : tokens) stepped->step(token);
      const auto stepped_state = state_after(*stepped, tokens.front());
      CAPTURE(std::string(precision));
      CAPTURE(std::string(arch));
      const std::vector<float>& memory = stepped_state.at(0);
      const auto largest = static_cast<float>(format.max_finite());
      CHECK(std::find(memory.begin(), memory.end(), largest) != memory.end());  // it did saturate
      CHECK(same_bits(fused_state.at(0).data(), memory.data(), memory.size()));
    }
}

// elu(x) + 1 of the memory kernels, with its own vector exp: against the double-precision exp at
// random points over the whole range (normal and subnormal results), exactly x + 1 above 0, and an
// entry's bits the same wherever it sits in the array.
TEST_CASE("the ELU feature map's vector exp is within 2 units in the last place of exp, and position-independent") {
  using recallbound::models::detail::elu_plus_one;
  SplitMixRandom random(2026);
  std::vector<float> x(200000), out(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(-110.0 + 140.0 * random.open_unit());
  x[0] = 0.0f;
  x[1] = -0.0f;
  x[2] = -std::numeric_limits<float>::infinity();
  x[3] = std::numeric_limits<float>::infinity();
  x[4] = std::numeric_limits<float>::quiet_NaN();
  elu_plus_one(x.data(), out.data(), x.size());
  CHECK(out[0] == 1.0f);
  CHECK(out[1] == 1.0f);
  CHECK(out[2] == 0.0f);
  CHECK(out[3] == std::numeric_limits<float>::infinity());
  CHECK(std::isnan(out[4]));
  std::size_t worse = 0;
  for (std::size_t i = 5; i < x.size(); ++i) {
    if (x[i] > 0.0f) {
      worse += out[i] != x[i] + 1.0f;
      continue;
    }
    const double exact = std::exp(static_cast<double>(x[i]));
    // 2 units in the last place: relative 2^-22 for a normal result, 2 subnormal steps below 2^-126
    const double allowed = exact >= 0x1p-126 ? exact * 0x1p-22 : 0x1p-148;
    if (!(std::abs(static_cast<double>(out[i]) - exact) <= allowed)) {
      if (worse++ < 5) MESSAGE("x = " << x[i] << ": " << out[i] << " against " << exact);
    }
  }
  CHECK(worse == 0);
  for (std::size_t n = 1; n <= 19; ++n)
    for (std::size_t offset = 0; offset < 8; ++offset) {
      std::vector<float> slice(n);
      elu_plus_one(x.data() + 5 + offset, slice.data(), n);
      CHECK(same_bits(slice.data(), out.data() + 5 + offset, n));
    }
}

// The two builds of the fused recurrent form, called directly on raw sequences: 8-float vectors
// (AVX2 or baseline) and 16-float vectors (x86-64-v4), which must agree bit for bit in the memory and
// every read-out, for the additive and the delta rule. Row counts cover every mix of 32-row tiles, a
// 16-row block, an 8-row slice and rows that fill no vector; the inputs reach the rounding's odd
// lanes (overflow, subnormals, inf).
TEST_CASE("the wide (x86-64-v4) fused recurrence gives the narrow build's bits, additive and delta rule") {
  using namespace recallbound::models::detail;
  if (!wide_recurrence_runs_here()) {
    MESSAGE("skipped: this machine does not run x86-64-v4");
    CHECK_THROWS_WITH_AS(run_memory_fused_on(RecurrenceWidth::wide, MemoryLayout{nullptr, 0, 0}, {}, FusedSequence{},
                                             parse_storage_format("fp32")),
                         "run_memory_fused_on: the wide (x86-64-v4) recurrence does not run on this machine",
                         recallbound::Error);
    return;
  }
  SplitMixRandom random(20261130);
  const float unwritten = std::bit_cast<float>(0x7FC0BEEFu);  // a NaN no run produces
  std::size_t compared = 0, differing = 0;
  for (const std::size_t features : {1, 7, 8, 15, 16, 24, 31, 32, 40, 48, 56, 64, 72, 104})
    for (const std::size_t columns : {1, 3, 4, 9})
      for (const char* precision : {"fp32", "bf16", "fp16", "fp8-e4m3", "fp8-e5m2", "int8"})
        for (const bool decays : {false, true})
          for (const MemoryRule rule : {MemoryRule::additive, MemoryRule::delta}) {
          const StorageFormat format = parse_storage_format(precision);
          // The scale of the inputs: ordinary, past the format's range (bf16 overflows only near
          // 2^127), or tiny (subnormal in the narrow formats).
          const std::size_t kind = compared % 3;
          const float scale = kind == 0 ? 1.0f : kind == 2 ? 0x1p-12f : precision == std::string("bf16") ? 0x1p66f : 300.0f;
          const auto draw = [&] { return round_to_format(static_cast<float>(random.normal()) * scale, format); };
          const std::size_t length = 40 + random.below(40);
          std::vector<float> feature_rows((length + 1) * features), value_rows(length * columns), gates(length);
          for (float& x : feature_rows) x = draw();
          for (float& x : value_rows) x = draw();
          if (compared % 17 == 5) value_rows[random.below(value_rows.size())] = std::numeric_limits<float>::infinity();
          for (float& gate : gates) gate = decays && random.below(2) == 0 ? static_cast<float>(random.open_unit()) : 1.0f;
          std::vector<const float*> feature_pointers(length + 1), value_pointers(length);
          for (std::size_t t = 0; t <= length; ++t) feature_pointers[t] = feature_rows.data() + t * features;
          for (std::size_t t = 0; t < length; ++t) value_pointers[t] = value_rows.data() + t * columns;
          std::vector<std::size_t> positions;
          for (std::size_t p = 0; p < length; ++p)
            while (random.below(3) == 0) positions.push_back(p);
          std::vector<float> start(features * columns);
          for (float& x : start) x = draw();
          const MemoryRuleParams params{rule, rule == MemoryRule::delta && decays ? 0.75f : 1.0f, decays};
          std::vector<float> memories[2], readouts[2];
          for (const RecurrenceWidth width : {RecurrenceWidth::narrow, RecurrenceWidth::wide}) {
            const auto w = static_cast<std::size_t>(width == RecurrenceWidth::wide);
            memories[w] = start;
            readouts[w].assign(positions.size() * columns, unwritten);
            FusedScratch scratch;
            const FusedSequence sequence{feature_pointers, value_pointers, gates.data(), length,
                                         positions,        readouts[w].data(), &scratch};
            run_memory_fused_on(width, MemoryLayout{memories[w].data(), features, columns}, params, sequence,
                                format);
          }
          const bool same = same_bits(memories[0].data(), memories[1].data(), start.size()) &&
                            same_bits(readouts[0].data(), readouts[1].data(), readouts[0].size());
          if (!same && differing++ < 5)
            MESSAGE("differ: features " << features << ", columns " << columns << ", " << std::string(precision)
                                        << std::string(decays ? ", decaying" : "") << ", scale " << scale
                                        << std::string(rule == MemoryRule::delta ? ", delta rule" : ""));
          const auto written = [&](float x) { return std::bit_cast<std::uint32_t>(x) != std::bit_cast<std::uint32_t>(unwritten); };
          CHECK(std::all_of(readouts[0].begin(), readouts[0].end(), written));  // every read-out was written
          ++compared;
        }
  CHECK(compared == 14 * 4 * 6 * 2 * 2);
  CHECK(differing == 0);
}
