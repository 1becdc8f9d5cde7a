#pragma once
// Options shared by `recall` and `recall-capacity`: the model, the task and the run, parsed from
// strings so every bad value gets the project's exact message (field, value, allowed range).
#include "recallbound/models/run.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace recallbound::cli {

struct RecallOptions {
  std::string arch, d = "64", vocab = "8192", seq_len, power_a = "0.01", trials = "200", precision = "fp32",
              seed = "1", threads, feature_map = "identity", feature_dim = "16", window = "64", beta = "0",
              decay = "0.001", write_strength = "1", embedding = "gaussian", value_embedding, readout = "codes", probe_trials = "0",
              ridge = "0.001", out_path = "-";
  bool random_non_queries = false, json = false, no_progress = false;

  void add_to(CLI::App& app);
  /// The run specification; `seq_len` stays 0 when --seq-len was not given.
  [[nodiscard]] models::RunSpec spec() const;
  [[nodiscard]] bool seq_len_given() const { return !seq_len.empty(); }
};

/// "16:1024:x2" (geometric), "16:128:+16" (arithmetic), "a:b" (x2), "8,32,100" or "64".
std::vector<std::int64_t> parse_pairs_list(const std::string& text);

/// The shared JSON header fields: arch, config, task, precision, seed, trials.
nlohmann::json config_json(const models::RunSpec& spec);

/// A progress line on stderr when it is a terminal (and not disabled); no-op otherwise.
class ProgressLine {
 public:
  explicit ProgressLine(bool enabled);
  ~ProgressLine();
  void show(const std::string& text);

 private:
  bool enabled_;
  bool shown_ = false;
};

}  // namespace recallbound::cli
