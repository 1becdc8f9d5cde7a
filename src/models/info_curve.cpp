// Information curves: errors of read-outs from cloned states at each number of pairs written.
#include "recallbound/models/info_curve.hpp"

#include "recallbound/error.hpp"
#include "recallbound/models/matmul.hpp"

#include "probe.hpp"
#include "run_support.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <limits>
#include <mutex>
#include <optional>
#include <thread>

namespace recallbound::models {

using detail::argmax_row;
using detail::parallel_for;
namespace {

// The read-outs of one sequence at every checkpoint: outputs[c] is [n_c, d], row i the read-out
// of a clone of the state after 2 n_c tokens that consumed key i.
struct SequenceReadouts {
  std::vector<Eigen::MatrixXf> outputs;
  std::vector<std::uint64_t> state_numbers;
};

SequenceReadouts read_checkpoints(SequenceModel& model, const RecallSequence& sequence,
                                  const std::vector<std::int64_t>& checkpoints) {
  LiveStateCounter counter;
  model.clear_observers();
  model.add_observer(&counter);
  model.reset();
  SequenceReadouts r;
  const auto d = static_cast<Eigen::Index>(model.output_dim());
  Eigen::VectorXf output(d);
  std::size_t next = 0;
  for (std::size_t p = 0; next < checkpoints.size(); ++p) {
    model.step(sequence.tokens[p]);
    if (p + 1 != static_cast<std::size_t>(2 * checkpoints[next])) continue;
    const auto n = static_cast<Eigen::Index>(checkpoints[next]);
    Eigen::MatrixXf out(n, d);
    for (Eigen::Index i = 0; i < n; ++i) {
      const std::unique_ptr<SequenceModel> twin = model.clone();
      twin->step(sequence.tokens[static_cast<std::size_t>(2 * i)]);  // key i
      twin->read_out(output);
      out.row(i) = output.transpose();
    }
    r.outputs.push_back(std::move(out));
    r.state_numbers.push_back(counter.final_numbers);
    ++next;
  }
  model.clear_observers();
  return r;
}

// The written pairs up to n as probe targets (positions are not used by the probe).
RecallSequence written_prefix(const RecallSequence& sequence, std::int64_t n) {
  RecallSequence s;
  for (std::int64_t i = 0; i < n; ++i)
    s.queries.push_back({static_cast<std::size_t>(2 * i), 0, sequence.tokens[static_cast<std::size_t>(2 * i + 1)]});
  return s;
}



}  // namespace

std::vector<std::int64_t> curve_checkpoints(std::int64_t pairs, std::size_t points) {
  if (points < 1 || points > 256)
    throw Error::bad_input("--points: " + std::to_string(points) + " is out of range; it must be in 1..256");
  std::vector<std::int64_t> out;
  for (std::size_t j = 1; j <= points; ++j) {
    const std::int64_t n = (pairs * static_cast<std::int64_t>(j) + static_cast<std::int64_t>(points) - 1) / static_cast<std::int64_t>(points);
    if (n >= 1 && (out.empty() || n > out.back())) out.push_back(n);
  }
  return out;
}

InfoCurve run_info_curve(const RunSpec& spec, std::int64_t pairs, const std::vector<std::int64_t>& checkpoints,
                         const std::shared_ptr<const Weights>& weights, const ProgressCallback& progress) {
  validate_run(spec);
  RecallTask task = spec.task;
  task.pairs = pairs;
  if (task.seq_len == 0) task.seq_len = 4 * pairs;
  validate_task(task);
  if (checkpoints.empty()) throw Error::internal("info curve: no checkpoints");
  for (std::size_t c = 0; c < checkpoints.size(); ++c)
    if (checkpoints[c] < 1 || checkpoints[c] > pairs || (c > 0 && checkpoints[c] <= checkpoints[c - 1]))
      throw Error::internal("info curve: checkpoints must increase within 1..pairs");
  const std::int64_t first_value = first_value_token(task.vocab);
  std::vector<std::unique_ptr<SequenceModel>> models(spec.threads);
  auto model_for = [&](std::size_t worker) -> SequenceModel& {
    if (!models[worker]) models[worker] = make_model(spec.model, weights, spec.format);
    return *models[worker];
  };

  // Probes, one per checkpoint, fitted on read-outs of separate sequences.
  std::vector<std::optional<detail::RidgeProbe>> probes(checkpoints.size());
  if (spec.readout == Readout::probe) {
    const std::size_t probe_trials = spec.probe_trials == 0 ? spec.trials : spec.probe_trials;
    std::vector<RecallSequence> sequences(probe_trials);
    std::vector<SequenceReadouts> readouts(probe_trials);
    parallel_for(probe_trials, spec.threads, [&](std::size_t i, std::size_t w) {
      sequences[i] = make_sequence(task, spec.seed ^ probe_stream, i);
      readouts[i] = read_checkpoints(model_for(w), sequences[i], checkpoints);
    }, {});
    for (std::size_t c = 0; c < checkpoints.size(); ++c) {
      std::vector<Eigen::MatrixXf> features;
      std::vector<RecallSequence> targets;
      for (std::size_t i = 0; i < probe_trials; ++i) {
        features.push_back(readouts[i].outputs[c]);
        targets.push_back(written_prefix(sequences[i], checkpoints[c]));
      }
      probes[c].emplace(detail::fit_ridge_probe(features, targets, first_value, value_alphabet_size(task.vocab), spec.ridge));
    }
  }

  // Per trial and checkpoint: errors and state numbers.
  std::vector<std::vector<std::uint64_t>> errors(spec.trials), numbers(spec.trials);
  parallel_for(spec.trials, spec.threads, [&](std::size_t t, std::size_t w) {
    const RecallSequence sequence = make_sequence(task, spec.seed, t);
    const SequenceReadouts r = read_checkpoints(model_for(w), sequence, checkpoints);
    errors[t].assign(checkpoints.size(), 0);
    numbers[t] = r.state_numbers;
    for (std::size_t c = 0; c < checkpoints.size(); ++c) {
      const Eigen::MatrixXf scores =
          probes[c] ? probes[c]->scores(r.outputs[c]) : product(r.outputs[c], weights->value_codes().transpose());
      for (Eigen::Index i = 0; i < scores.rows(); ++i) {
        const Eigen::Index decoded = argmax_row(scores.row(i));
        if (decoded + first_value != sequence.tokens[static_cast<std::size_t>(2 * i + 1)]) ++errors[t][c];
      }
    }
  }, progress);

  InfoCurve curve;
  curve.pairs = pairs;
  curve.seq_len = task.seq_len;
  for (std::size_t c = 0; c < checkpoints.size(); ++c) {
    CurvePoint p;
    p.pairs_written = checkpoints[c];
    for (std::size_t t = 0; t < spec.trials; ++t) {
      p.queries += static_cast<std::uint64_t>(checkpoints[c]);
      p.errors += errors[t][c];
      p.state_numbers = std::max(p.state_numbers, numbers[t][c]);
    }
    p.state_bits = Integer(p.state_numbers) * spec.format.bits();
    curve.points.push_back(std::move(p));
  }
  return curve;
}

}  // namespace recallbound::models
