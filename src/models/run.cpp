#include "recallbound/models/run.hpp"

#include "recallbound/error.hpp"
#include "recallbound/models/matmul.hpp"

#include <boost/math/special_functions/beta.hpp>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <limits>
#include <mutex>
#include <thread>

#include "probe.hpp"
#include "run_support.hpp"

namespace recallbound::models {

using detail::argmax_row;
using detail::parallel_for;

Readout parse_readout(std::string_view name, std::string_view field) {
  if (name == "codes") return Readout::value_codes;
  if (name == "probe") return Readout::probe;
  throw Error::bad_input(std::string(field) + ": '" + std::string(name) + "' is not a read-out; allowed: codes, probe");
}
std::string readout_name(Readout readout) { return readout == Readout::probe ? "probe" : "codes"; }

void validate_run(const RunSpec& spec) {
  validate_config(spec.model);
  if (spec.trials < 1 || spec.trials > 1'000'000)
    throw Error::bad_input("--trials: " + std::to_string(spec.trials) + " is out of range; it must be in 1..1000000");
  if (spec.threads < 1 || spec.threads > 256)
    throw Error::bad_input("--threads: " + std::to_string(spec.threads) + " is out of range; it must be in 1..256");
  if (spec.probe_trials > 1'000'000)
    throw Error::bad_input("--probe-trials: " + std::to_string(spec.probe_trials) +
                           " is out of range; it must be in 0..1000000 (0: as many as --trials)");
  if (!(spec.ridge > 0 && spec.ridge <= 1e6))
    throw Error::bad_input("--ridge: out of range; the probe regulariser must be in (0, 1e6]");
  if (spec.position_bins < 1 || spec.position_bins > 1024)
    throw Error::bad_input("position bins: " + std::to_string(spec.position_bins) + " is out of range; 1..1024");
  if (spec.task.vocab != spec.model.vocab) throw Error::internal("run: task and model vocabularies differ");
}

void LiveStateCounter::after_step(const StepInfo& step, std::span<const StateBuffer> state) {
  std::uint64_t numbers = 0;
  for (const StateBuffer& buffer : state) numbers += buffer.values.size();
  final_numbers = numbers;
  peak_numbers = std::max(peak_numbers, numbers);
  ++steps;
  update_multiply_adds += step.multiply_adds;
  // Models report the same buffers every step: update the counts in place, rename only on change.
  final_buffers.resize(state.size());
  for (std::size_t i = 0; i < state.size(); ++i) {
    if (final_buffers[i].first != state[i].name) final_buffers[i].first = std::string(state[i].name);
    final_buffers[i].second = state[i].values.size();
  }
}

void LiveStateCounter::clear() { *this = LiveStateCounter{}; }

Rational RowResult::error_rate() const {
  if (queries == 0) return Rational(0);
  return Rational(Integer(errors), Integer(queries));
}
double RowResult::accuracy() const {
  return queries == 0 ? 0.0 : 1.0 - static_cast<double>(errors) / static_cast<double>(queries);
}

namespace {

struct TrialOutcome {
  std::uint64_t queries = 0;
  std::uint64_t errors = 0;
  std::vector<std::uint64_t> bucket_queries, bucket_errors;
  LiveStateCounter counter;
  std::uint64_t readout_multiply_adds = 0;
};


std::size_t bucket_of(std::size_t offset, std::size_t region, std::size_t bins) {
  return std::min(bins - 1, offset * bins / std::max<std::size_t>(region, 1));
}


}  // namespace

RowResult run_row(const RunSpec& spec, std::int64_t pairs, const std::shared_ptr<const Weights>& weights,
                  const ProgressCallback& progress) {
  validate_run(spec);
  RecallTask task = spec.task;
  task.pairs = pairs;
  if (task.seq_len == 0) task.seq_len = 4 * pairs;
  validate_task(task);
  // A KV cache holds 2 d numbers per position: keep it within 2^28 numbers (1 GiB of fp32).
  const std::int64_t cache_numbers = 2 * task.seq_len * static_cast<std::int64_t>(spec.model.d);
  if (spec.model.arch == "softmax-attention" && cache_numbers > (std::int64_t{1} << 28))
    throw Error::bad_input("--seq-len: " + std::to_string(task.seq_len) + " is out of range for softmax-attention with --d " +
                           std::to_string(spec.model.d) + "; its KV cache of 2 L d numbers must stay within 2^28, so L <= " +
                           std::to_string((std::int64_t{1} << 27) / static_cast<std::int64_t>(spec.model.d)));
  const std::size_t bins = spec.position_bins;
  const std::size_t region = static_cast<std::size_t>(task.seq_len - 2 * pairs);
  const auto d = static_cast<Eigen::Index>(spec.model.d);
  const std::int64_t first_value = first_value_token(task.vocab);

  std::vector<std::unique_ptr<SequenceModel>> models(spec.threads);
  std::vector<LiveStateCounter> counters(spec.threads);

  // Steps one sequence and returns the read-outs at its query positions, [N, d].
  auto read_sequence = [&](const RecallSequence& sequence, std::size_t worker, LiveStateCounter* counter,
                           std::uint64_t* readout_cost) {
    if (!models[worker]) models[worker] = make_model(spec.model, weights, spec.format);
    SequenceModel& model = *models[worker];
    model.clear_observers();
    if (counter) model.add_observer(counter);
    if (!counter && !readout_cost) {  // nothing to instrument: the fused recurrent form where there is one
      std::vector<std::size_t> positions;
      for (const QuerySlot& query : sequence.queries) positions.push_back(query.position);
      ReadoutMatrix readouts;
      model.run(sequence.tokens, positions, readouts);
      return Eigen::MatrixXf(readouts);
    }
    model.reset();
    Eigen::MatrixXf outputs(static_cast<Eigen::Index>(sequence.queries.size()), d);  // [N, d]
    Eigen::VectorXf output(d);
    std::size_t next_query = 0;
    for (std::size_t p = 0; p < sequence.tokens.size(); ++p) {
      model.step(sequence.tokens[p]);
      while (next_query < sequence.queries.size() && sequence.queries[next_query].position == p) {
        model.read_out(output);
        if (readout_cost) *readout_cost += model.readout_multiply_adds();
        outputs.row(static_cast<Eigen::Index>(next_query++)) = output.transpose();
      }
    }
    model.clear_observers();
    return outputs;
  };

  // The decoder: value codes, or a probe fitted on separate sequences.
  std::optional<detail::RidgeProbe> probe;
  if (spec.readout == Readout::probe) {
    const std::size_t probe_trials = spec.probe_trials == 0 ? spec.trials : spec.probe_trials;
    std::vector<Eigen::MatrixXf> features(probe_trials);
    std::vector<RecallSequence> sequences(probe_trials);
    parallel_for(probe_trials, spec.threads, [&](std::size_t i, std::size_t worker) {
      sequences[i] = make_sequence(task, spec.seed ^ probe_stream, i);
      features[i] = read_sequence(sequences[i], worker, nullptr, nullptr);
    }, {});
    probe.emplace(detail::fit_ridge_probe(features, sequences, first_value, value_alphabet_size(task.vocab), spec.ridge));
  }

  std::vector<TrialOutcome> outcomes(spec.trials);
  parallel_for(spec.trials, spec.threads, [&](std::size_t i, std::size_t worker) {
    const RecallSequence sequence = make_sequence(task, spec.seed, i);
    TrialOutcome& outcome = outcomes[i];
    LiveStateCounter& counter = counters[worker];
    counter.clear();
    const Eigen::MatrixXf outputs = read_sequence(sequence, worker, &counter, &outcome.readout_multiply_adds);
    outcome.counter = counter;
    // Decoding is one matrix product: scores [N, V_values] = outputs [N, d] * codes^T [d, V_values].
    const Eigen::MatrixXf scores = probe ? probe->scores(outputs) : product(outputs, weights->value_codes().transpose());
    outcome.bucket_queries.assign(bins, 0);
    outcome.bucket_errors.assign(bins, 0);
    for (std::size_t q = 0; q < sequence.queries.size(); ++q) {
      const Eigen::Index decoded = argmax_row(scores.row(static_cast<Eigen::Index>(q)));
      const bool wrong = decoded + first_value != sequence.queries[q].expected_value;
      const std::size_t bucket = bucket_of(sequence.queries[q].region_offset, region, bins);
      ++outcome.queries;
      ++outcome.bucket_queries[bucket];
      if (wrong) {
        ++outcome.errors;
        ++outcome.bucket_errors[bucket];
      }
    }
  }, progress);

  // Aggregate in trial order.
  RowResult row;
  row.pairs = pairs;
  row.seq_len = task.seq_len;
  row.by_position.resize(bins);
  for (std::size_t b = 0; b < bins; ++b) {
    row.by_position[b].first_offset = (b * region + bins - 1) / bins;
    row.by_position[b].last_offset = ((b + 1) * region + bins - 1) / bins - 1;
  }
  std::uint64_t update_cost = 0, steps = 0, readout_cost = 0;
  for (const TrialOutcome& outcome : outcomes) {
    row.queries += outcome.queries;
    row.errors += outcome.errors;
    for (std::size_t b = 0; b < bins; ++b) {
      row.by_position[b].queries += outcome.bucket_queries[b];
      row.by_position[b].errors += outcome.bucket_errors[b];
    }
    row.state_numbers = std::max(row.state_numbers, outcome.counter.final_numbers);
    row.peak_state_numbers = std::max(row.peak_state_numbers, outcome.counter.peak_numbers);
    update_cost += outcome.counter.update_multiply_adds;
    steps += outcome.counter.steps;
    readout_cost += outcome.readout_multiply_adds;
  }
  row.buffers = outcomes.front().counter.final_buffers;
  row.state_bits_measured = Integer(row.state_numbers) * spec.format.bits();
  row.update_multiply_adds_per_step = steps ? static_cast<double>(update_cost) / static_cast<double>(steps) : 0.0;
  row.readout_multiply_adds_per_query = row.queries ? static_cast<double>(readout_cost) / static_cast<double>(row.queries) : 0.0;
  return row;
}

std::pair<double, double> clopper_pearson(std::uint64_t successes, std::uint64_t trials, double confidence) {
  if (trials == 0) return {0.0, 1.0};
  const double alpha = 1.0 - confidence;
  const auto k = static_cast<double>(successes);
  const auto n = static_cast<double>(trials);
  const double lower = successes == 0 ? 0.0 : boost::math::ibeta_inv(k, n - k + 1, alpha / 2);
  const double upper = successes == trials ? 1.0 : boost::math::ibeta_inv(k + 1, n - k, 1 - alpha / 2);
  return {lower, upper};
}

CatalogComparison compare_with_catalog(const Integer& measured, const std::optional<Integer>& expected) {
  CatalogComparison comparison;
  comparison.expected = expected;
  comparison.available = expected.has_value();
  if (!expected) return comparison;
  comparison.matches = *expected == measured;
  if (!comparison.matches)
    comparison.message = "state bits mismatch: counted " + measured.str() + " bits in the live buffers, the catalog "
                         "formula gives " + expected->str();
  return comparison;
}

}  // namespace recallbound::models
