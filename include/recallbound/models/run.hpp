#pragma once
// Recall runs: a reference model on many MQAR sequences, instrumented while it runs, scored by a
// fixed read-out (argmax over the value codes) or a ridge-regression probe fitted on separate
// sequences. Trial i's sequence is seeded from (seed, i), and trials are aggregated in index order,
// so a run's results are identical whatever the number of threads.
#include "recallbound/exact/number.hpp"
#include "recallbound/models/model.hpp"
#include "recallbound/models/task.hpp"

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace recallbound::models {

enum class Readout {
  value_codes,  // argmax_v <o, e_v> over the value embedding (the constructed decoder)
  probe,        // argmax of a ridge-regression probe [o, 1] -> one-hot value, fitted on probe sequences
};
Readout parse_readout(std::string_view name, std::string_view field = "--readout");
std::string readout_name(Readout readout);

struct RunSpec {
  ModelConfig model;
  StorageFormat format;
  RecallTask task;                 // `pairs` is set per row; seq_len 0 means 4 N for each N
  std::uint64_t seed = 1;
  std::size_t trials = 200;        // scored sequences per row
  std::size_t threads = 1;
  Readout readout = Readout::value_codes;
  std::size_t probe_trials = 0;    // probe sequences per row (0: as many as trials)
  double ridge = 1e-3;             // probe regulariser, relative to trace(X^T X) / width
  std::size_t position_bins = 8;   // query-region buckets for accuracy by position
};

/// Checks the run-level fields (trials, threads, ...); throws Error::bad_input.
void validate_run(const RunSpec& spec);

/// Instrumentation: counts the live state numbers at every step (the observer a run attaches).
class LiveStateCounter final : public StepObserver {
 public:
  void after_step(const StepInfo& step, std::span<const StateBuffer> state) override;
  void clear();
  std::uint64_t final_numbers = 0;   // after the last step seen
  std::uint64_t peak_numbers = 0;    // maximum over steps
  std::uint64_t steps = 0;
  std::uint64_t update_multiply_adds = 0;  // summed over steps
  std::vector<std::pair<std::string, std::uint64_t>> final_buffers;  // name, numbers
};

struct PositionBucket {
  std::uint64_t first_offset = 0;  // query-region offsets [first, last]
  std::uint64_t last_offset = 0;
  std::uint64_t queries = 0;
  std::uint64_t errors = 0;
};

struct RowResult {
  std::int64_t pairs = 0;
  std::int64_t seq_len = 0;
  std::uint64_t queries = 0;
  std::uint64_t errors = 0;
  std::uint64_t state_numbers = 0;       // live numbers at the end of the sequence
  std::uint64_t peak_state_numbers = 0;
  Integer state_bits_measured;           // state_numbers * bits per number, exact
  std::vector<std::pair<std::string, std::uint64_t>> buffers;
  double update_multiply_adds_per_step = 0;
  double readout_multiply_adds_per_query = 0;
  std::vector<PositionBucket> by_position;
  [[nodiscard]] Rational error_rate() const;  // errors / queries, exact
  [[nodiscard]] double accuracy() const;
};

using ProgressCallback = std::function<void(std::size_t done, std::size_t total)>;

/// One row: `spec.trials` sequences with N = `pairs`. `weights` from make_weights(spec.model, spec.seed).
RowResult run_row(const RunSpec& spec, std::int64_t pairs, const std::shared_ptr<const Weights>& weights,
                  const ProgressCallback& progress = {});

/// Two-sided Clopper-Pearson interval for a binomial proportion (successes of trials) at
/// `confidence`; [0, 1] when trials is 0. Query positions within a sequence are treated as
/// independent, which they are not exactly: read it as a guide, not a certificate.
std::pair<double, double> clopper_pearson(std::uint64_t successes, std::uint64_t trials, double confidence = 0.95);

/// The catalog comparison hook: the bits counted from live buffers against the catalog formula's
/// count for the same configuration (std::nullopt until the catalog is wired in).
struct CatalogComparison {
  std::optional<Integer> expected;
  bool available = false;
  bool matches = false;
  std::string message;  // empty when they match or no catalog count is available
};
CatalogComparison compare_with_catalog(const Integer& measured, const std::optional<Integer>& expected);

}  // namespace recallbound::models
