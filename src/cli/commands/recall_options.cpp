#include "recall_options.hpp"

#include "recallbound/error.hpp"
#include "recallbound/exact/number.hpp"

#include <fmt/core.h>
#include <unistd.h>

#include <cmath>
#include <iostream>
#include <thread>

namespace recallbound::cli {
namespace {

std::string text_of(double bound) { return fmt::format("{}", bound); }

std::int64_t integer_in(const std::string& text, const std::string& field, std::int64_t lo, std::int64_t hi,
                        const std::string& meaning) {
  const Integer value = parse_integer(text, field);
  if (value < lo || value > hi)
    throw Error::bad_input(field + ": " + text + " is out of range; " + meaning + " must be an integer in " +
                           std::to_string(lo) + ".." + std::to_string(hi));
  return value.convert_to<std::int64_t>();
}

double real_in(const std::string& text, const std::string& field, double lo, double hi, const std::string& meaning) {
  const Rational value = parse_rational(text, field);
  if (value < Rational(lo) || value > Rational(hi))
    throw Error::bad_input(field + ": " + text + " is out of range; " + meaning + " must be in [" + text_of(lo) + ", " +
                           text_of(hi) + "]");
  // num / den in double is correctly rounded when both are exact doubles (0.001 stays 0.001).
  const Integer limit = Integer(1) << 53;
  const Integer num = boost::multiprecision::numerator(value), den = boost::multiprecision::denominator(value);
  if (abs(num) <= limit && den <= limit) return num.convert_to<double>() / den.convert_to<double>();
  return to_display_double(value);
}

}  // namespace

void RecallOptions::add_to(CLI::App& app) {
  app.add_option("--arch", arch,
                 "Reference model: softmax-attention, sliding-window, linear-attention, mamba2, deltanet, "
                 "gated-deltanet, based")->required();
  app.add_option("--d", d, "Key/value width d (1..4096)")->capture_default_str();
  app.add_option("--vocab", vocab, "Vocabulary size V; keys from 1..V/2-1, values from V/2..V-1")->capture_default_str();
  app.add_option("--seq-len", seq_len, "Sequence length L >= 4N (default: recall 4 x the largest N, capacity 4N per row)");
  app.add_option("--power-a", power_a, "Query-gap power law a in (0, 1]: P(gap g) ~ a g^(a-1)")->capture_default_str();
  app.add_flag("--random-non-queries", random_non_queries, "Fill non-query positions with random tokens, not 0");
  app.add_option("--trials", trials, "Scored sequences per N (1..1000000)")->capture_default_str();
  app.add_option("--precision", precision, "State storage format: fp32, fp16, bf16, fp8-e4m3, fp8-e5m2, intN (2..24)")
      ->capture_default_str();
  app.add_option("--seed", seed, "Run seed (0..2^64-1): weights and every trial's sequence derive from it")
      ->capture_default_str();
  app.add_option("--threads", threads, "Worker threads (default: all cores); results do not depend on it");
  app.add_option("--feature-map", feature_map, "linear-attention feature map: identity, elu, taylor")->capture_default_str();
  app.add_option("--feature-dim", feature_dim, "Taylor features: keys projected to this width first (1..64)")
      ->capture_default_str();
  app.add_option("--window", window, "sliding-window and based: cached positions")->capture_default_str();
  app.add_option("--beta", beta, "Softmax inverse temperature (0: 2 sqrt(d))")->capture_default_str();
  app.add_option("--decay", decay, "mamba2, gated-deltanet: a_t = exp(-decay) at value tokens")->capture_default_str();
  app.add_option("--write-strength", write_strength, "deltanet, gated-deltanet: delta-rule beta in (0, 2]")
      ->capture_default_str();
  app.add_option("--embedding", embedding, "Key (and value) embeddings: gaussian, orthonormal, one-hot")
      ->capture_default_str();
  app.add_option("--value-embedding", value_embedding, "Value embeddings, when they differ from --embedding");
  app.add_option("--readout", readout, "codes (argmax over value codes) or probe (ridge regression on separate sequences)")
      ->capture_default_str();
  app.add_option("--probe-trials", probe_trials, "Probe-fitting sequences per N (0: as many as --trials)")
      ->capture_default_str();
  app.add_option("--ridge", ridge, "Probe regulariser, relative to trace(X^T X)/width")->capture_default_str();
  app.add_flag("--json", json, "JSON output (shape in docs/models.md)");
  app.add_option("--out", out_path, "Write the output to FILE (atomically) instead of stdout");
  app.add_flag("--no-progress", no_progress, "No progress line on stderr");
}

models::RunSpec RecallOptions::spec() const {
  models::RunSpec spec;
  spec.model.arch = arch;
  spec.model.d = static_cast<std::size_t>(integer_in(d, "--d", 1, 4096, "the model width"));
  spec.model.vocab = integer_in(vocab, "--vocab", 4, std::int64_t{1} << 30, "the vocabulary size");
  spec.model.feature_map = models::parse_feature_map(feature_map);
  spec.model.feature_dim = static_cast<std::size_t>(integer_in(feature_dim, "--feature-dim", 1, 64, "the taylor width"));
  spec.model.window = static_cast<std::size_t>(integer_in(window, "--window", 1, std::int64_t{1} << 24, "the window"));
  spec.model.inverse_temperature = real_in(beta, "--beta", 0, 10000, "the softmax inverse temperature");
  spec.model.decay = real_in(decay, "--decay", 0, 100, "the decay rate");
  if (parse_rational(write_strength, "--write-strength") <= 0)
    throw Error::bad_input("--write-strength: " + write_strength + " is out of range; the delta-rule beta must be in (0, 2]");
  spec.model.write_strength = real_in(write_strength, "--write-strength", 0, 2, "the delta-rule beta");
  spec.model.key_embedding = models::parse_embedding_kind(embedding);
  spec.model.value_embedding =
      value_embedding.empty() ? spec.model.key_embedding : models::parse_embedding_kind(value_embedding, "--value-embedding");
  spec.format = models::parse_storage_format(precision);
  spec.task.vocab = spec.model.vocab;
  if (parse_rational(power_a, "--power-a") <= 0)
    throw Error::bad_input("--power-a: " + power_a + " is out of range; the power law exponent must be in (0, 1]");
  spec.task.power_a = real_in(power_a, "--power-a", 0, 1, "the power law exponent");
  spec.task.random_non_queries = random_non_queries;
  spec.task.seq_len = seq_len.empty() ? 0 : integer_in(seq_len, "--seq-len", 4, std::int64_t{1} << 26, "the sequence length");
  const Integer seed_value = parse_integer(seed, "--seed");
  if (seed_value < 0 || seed_value > Integer(std::numeric_limits<std::uint64_t>::max()))
    throw Error::bad_input("--seed: " + seed + " is out of range; the seed must be an integer in 0..2^64-1");
  spec.seed = seed_value.convert_to<std::uint64_t>();
  spec.trials = static_cast<std::size_t>(integer_in(trials, "--trials", 1, 1'000'000, "the number of trials"));
  const auto cores = static_cast<std::int64_t>(std::max(1u, std::thread::hardware_concurrency()));
  spec.threads = static_cast<std::size_t>(threads.empty() ? cores : integer_in(threads, "--threads", 1, 256, "the thread count"));
  spec.readout = models::parse_readout(readout);
  spec.probe_trials = static_cast<std::size_t>(integer_in(probe_trials, "--probe-trials", 0, 1'000'000, "the probe trials"));
  if (parse_rational(ridge, "--ridge") <= 0)
    throw Error::bad_input("--ridge: " + ridge + " is out of range; the probe regulariser must be in (0, 1000000]");
  spec.ridge = real_in(ridge, "--ridge", 0, 1e6, "the probe regulariser");
  models::validate_run(spec);
  return spec;
}

std::vector<std::int64_t> parse_pairs_list(const std::string& text) {
  auto bad = [&](const std::string& why) {
    return Error::bad_input("--pairs: '" + text + "' " + why +
                            "; use N, a list N1,N2,..., or a range FIRST:LAST:xFACTOR or FIRST:LAST:+STEP");
  };
  auto number = [&](const std::string& part) {
    const Integer value = parse_integer(part, "--pairs");
    if (value < 1 || value > Integer(std::int64_t{1} << 30)) throw bad("has a value out of 1..2^30");
    return value.convert_to<std::int64_t>();
  };
  std::vector<std::int64_t> pairs;
  if (text.find(':') == std::string::npos) {
    std::size_t start = 0;
    while (start <= text.size()) {
      const std::size_t comma = text.find(',', start);
      pairs.push_back(number(text.substr(start, comma - start)));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  } else {
    const std::size_t first_colon = text.find(':');
    const std::size_t second_colon = text.find(':', first_colon + 1);
    const std::int64_t first = number(text.substr(0, first_colon));
    const std::int64_t last = number(text.substr(first_colon + 1, second_colon - first_colon - 1));
    const std::string step = second_colon == std::string::npos ? "x2" : text.substr(second_colon + 1);
    if (last < first) throw bad("ends before it starts");
    if (step.size() < 2 || (step[0] != 'x' && step[0] != '+')) throw bad("has a step that is not xFACTOR or +STEP");
    const std::int64_t by = number(step.substr(1));
    if (step[0] == 'x' && by < 2) throw bad("has a factor below 2");
    for (std::int64_t n = first; n <= last; n = step[0] == 'x' ? n * by : n + by) {
      pairs.push_back(n);
      if (pairs.size() > 1000) throw bad("has more than 1000 values");
    }
  }
  if (pairs.size() > 1000) throw bad("has more than 1000 values");
  return pairs;
}

nlohmann::json config_json(const models::RunSpec& spec) {
  const models::ModelConfig& m = spec.model;
  nlohmann::json config = {{"d", m.d},
                           {"embedding", models::embedding_kind_name(m.key_embedding)},
                           {"value_embedding", models::embedding_kind_name(m.value_embedding)},
                           {"readout", models::readout_name(spec.readout)}};
  if (m.arch == "linear-attention") config["feature_map"] = models::feature_map_name(m.feature_map);
  if (m.arch == "based" || (m.arch == "linear-attention" && m.feature_map == models::FeatureMap::taylor))
    config["feature_dim"] = m.feature_dim;
  if (m.arch == "sliding-window" || m.arch == "based") config["window"] = m.window;
  if (m.arch == "softmax-attention" || m.arch == "sliding-window" || m.arch == "based")
    config["beta"] = m.inverse_temperature > 0 ? m.inverse_temperature : 2.0 * std::sqrt(static_cast<double>(m.d));
  if (m.arch == "mamba2" || m.arch == "gated-deltanet") config["decay"] = m.decay;
  if (m.arch == "deltanet" || m.arch == "gated-deltanet") config["write_strength"] = m.write_strength;
  if (spec.readout == models::Readout::probe) {
    config["probe_trials"] = spec.probe_trials == 0 ? spec.trials : spec.probe_trials;
    config["ridge"] = spec.ridge;
  }
  return config;
}

ProgressLine::ProgressLine(bool enabled) : enabled_(enabled && ::isatty(STDERR_FILENO) == 1) {}
ProgressLine::~ProgressLine() {
  if (shown_) std::cerr << "\r\033[K" << std::flush;
}
void ProgressLine::show(const std::string& text) {
  if (!enabled_) return;
  shown_ = true;
  std::cerr << "\r\033[K" << text << std::flush;
}

}  // namespace recallbound::cli
