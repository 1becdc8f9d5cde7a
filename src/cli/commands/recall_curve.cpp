// recall-curve: the information a reference model's state holds about the values written so far,
// at each number of pairs written, from one run (clones of the state read out at checkpoints),
// bounded below by Fano and above by the state's bits; with the verify figure.
#include "command.hpp"
#include "enclosure_json.hpp"
#include "output.hpp"
#include "recall_options.hpp"
#include "verify_figure.hpp"

#include "recallbound/error.hpp"
#include "recallbound/models/info_curve.hpp"
#include "recallbound/verify/check.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

namespace recallbound::cli {
namespace {

constexpr int shown_digits = 12;

struct CurveCommand {
  RecallOptions options;
  std::string pairs, points = "8", confidence = "0.99", figure_path;
};

nlohmann::json point_json(const models::CurvePoint& p, const verify::RowCheck& row) {
  return {{"pairs_written", p.pairs_written},
          {"queries", std::to_string(p.queries)},
          {"errors", std::to_string(p.errors)},
          {"error_rate", to_exact_string(row.error_rate)},
          {"error_lower", to_exact_string(row.bounds.lower)},
          {"error_upper", to_exact_string(row.bounds.upper)},
          {"state_numbers", std::to_string(p.state_numbers)},
          {"state_bits", p.state_bits.str()},
          {"bits_recalled_lower", enclosure_json(row.bits_lower, shown_digits)},
          {"bits_recalled_estimate", enclosure_json(row.bits_estimate, shown_digits)},
          {"bits_recalled_upper", enclosure_json(row.bits_upper, shown_digits)},
          {"verdict", verify::verdict_name(row.verdict)}};
}

int run_recall_curve(const CurveCommand& c) {
  models::RunSpec spec = c.options.spec();
  const Integer pairs_value = parse_integer(c.pairs, "--pairs");
  const std::int64_t max_pairs = spec.task.vocab / 2 - 1;
  if (pairs_value < 1 || pairs_value > max_pairs)
    throw Error::bad_input("--pairs: " + c.pairs + " is out of range; with --vocab " + std::to_string(spec.task.vocab) +
                           " it must be an integer in 1.." + std::to_string(max_pairs));
  const auto pairs = pairs_value.convert_to<std::int64_t>();
  const Integer points_value = parse_integer(c.points, "--points");
  if (points_value < 1 || points_value > 256)
    throw Error::bad_input("--points: " + c.points + " is out of range; it must be an integer in 1..256");
  const std::vector<std::int64_t> checkpoints = models::curve_checkpoints(pairs, points_value.convert_to<std::size_t>());
  const Rational confidence = verify::checked_confidence(parse_rational(c.confidence, "--confidence"));

  const auto weights = models::make_weights(spec.model, spec.seed);
  models::InfoCurve curve;
  {
    ProgressLine progress(!c.options.no_progress);
    curve = models::run_info_curve(spec, pairs, checkpoints, weights, [&](std::size_t done, std::size_t total) {
      progress.show(fmt::format("recall-curve: sequence {}/{}", done, total));
    });
  }
  const Integer values(models::value_alphabet_size(spec.task.vocab));
  std::vector<verify::RecallObservation> observations;
  std::vector<verify::StateBits> states;
  for (const auto& p : curve.points) {
    observations.push_back({Integer(p.pairs_written), values, p.queries, p.errors});
    states.push_back({LogForm::constant(Rational(p.state_bits)),
                      std::to_string(p.state_numbers) + " live numbers x " + spec.format.name()});
  }
  const verify::Report report = verify::check_rows(observations, states, confidence);
  const bool violation = report.verdict == verify::Verdict::violation;
  if (!c.figure_path.empty()) {
    // A curve far below its state (a quarter or less) would be a flat line at the bottom: zoom to it.
    double state = 0, recalled = 0;
    for (const auto& r : report.rows) {
      state = std::max(state, r.state_bits.midpoint_double());
      recalled = std::max(recalled, r.bits_upper.midpoint_double());
    }
    const bool zoom = state > 4 * recalled;
    write_atomically(c.figure_path, [&](std::ostream& out) { write_verify_figure(out, report, zoom); });
  }
  write_atomically(c.options.out_path, [&](std::ostream& out) {
    if (c.options.json) {
      nlohmann::json pts = nlohmann::json::array();
      for (std::size_t i = 0; i < curve.points.size(); ++i) pts.push_back(point_json(curve.points[i], report.rows[i]));
      print_json(out, {{"format", "recallbound-recall-curve"}, {"version", 1}, {"arch", spec.model.arch},
                       {"config", config_json(spec)}, {"precision", spec.format.name()}, {"seed", spec.seed},
                       {"trials", spec.trials}, {"pairs", pairs}, {"seq_len", curve.seq_len},
                       {"value_vocab", values.str()}, {"readout", models::readout_name(spec.readout)},
                       {"confidence", to_exact_string(report.confidence)},
                       {"point_confidence", to_exact_string(report.row_confidence)},
                       {"verdict", verify::verdict_name(report.verdict)}, {"points", pts}});
      return;
    }
    out << fmt::format("recall-curve: {} (d = {}, {}), N = {} pairs written, {} values, {} sequences, read-out {}\n",
                       spec.model.arch, spec.model.d, spec.format.name(), pairs, values.str(), spec.trials,
                       models::readout_name(spec.readout));
    out << fmt::format("  bits about the values in the state after n pairs: Fano n D(eps, V) from reads of cloned states;\n"
                       "  lower end at eps_upper (one-sided Clopper-Pearson, each point at confidence {:.6g})\n",
                       to_display_double(report.row_confidence));
    out << fmt::format("{:>8} {:>12} {:>10} {:>16} {:>16} {:>14}  {}\n", "n", "errors", "eps_upper", "bits (lower)",
                       "bits (point)", "state bits", "verdict");
    for (std::size_t i = 0; i < curve.points.size(); ++i) {
      const auto& p = curve.points[i];
      const auto& r = report.rows[i];
      out << fmt::format("{:>8} {:>12} {:>10} {:>16.6f} {:>16.6f} {:>14}  {}\n", p.pairs_written,
                         fmt::format("{}/{}", p.errors, p.queries), rational_to_decimal(r.bounds.upper, 6, true),
                         r.bits_lower.midpoint_double(), r.bits_estimate.midpoint_double(), p.state_bits.str(),
                         verify::verdict_name(r.verdict));
    }
  });
  return violation ? verify::verdict_exit_code(verify::Verdict::violation) : exit_code::ok;
}

}  // namespace

void add_recall_curve_commands(CLI::App& root, CommandList& commands) {
  auto curve = std::make_shared<CurveCommand>();
  auto* r = root.add_subcommand("recall-curve",
                                "Bits about the written values held in a reference model's state, at each number of pairs written");
  curve->options.add_to(*r);
  r->add_option("--pairs", curve->pairs, "N: pairs written per sequence (one integer)")->required();
  r->add_option("--points", curve->points, "Checkpoints n = ceil(N j / points), j = 1..points (1..256)")->capture_default_str();
  r->add_option("--confidence", curve->confidence, "Family-wise confidence over the points, exact, in (0, 1)")->capture_default_str();
  r->add_option("--figure", curve->figure_path, "Also write an SVG: bits against pairs written, with the state's bits");
  r->footer("After 2n tokens the state is cloned once per written key; each clone reads its key and is decoded (--readout).\n"
            "Fano: bits >= n D(eps, V); the state's bits bound them from above. JSON: docs/verify.md (recall-curve).\n"
            "Exit codes: 0 ok, 1 internal error, 2 bad input, 10 a point needs more bits than the state has (VIOLATION).");
  commands.push_back({r, [curve] { return run_recall_curve(*curve); }});
}

}  // namespace recallbound::cli
