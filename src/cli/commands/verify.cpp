// verify: does a recall run (or an external per-query log) fit in the state's bits?
#include "command.hpp"
#include "commands/arch_support.hpp"
#include "enclosure_json.hpp"
#include "output.hpp"
#include "state_bits_options.hpp"
#include "verify_figure.hpp"

#include "recallbound/bounds/state_bits.hpp"
#include "recallbound/catalog/accounting.hpp"
#include "recallbound/error.hpp"
#include "recallbound/verify/check.hpp"
#include "recallbound/verify/inputs.hpp"

#include <fmt/core.h>

#include <fstream>
#include <memory>
#include <optional>

namespace recallbound::cli {
namespace {

constexpr int shown_digits = 12;

struct VerifyOptions {
  StateBitsOptions state;
  std::string run_path, log_path, format, vocab, pairs, confidence = "0.99", state_source = "measured";
  std::string out_path = "-", figure_path;
  std::string arch, preset, context;  // the state from the catalog: --arch/--preset [--set ...] [--context T]
  std::vector<std::string> sets;
  bool json = false;
};

// --arch NAME / --preset P: the catalog's state numbers for that configuration at T = --context
// (as `arch state` counts them) times the bits of --precision. Returns the state and its JSON record.
std::pair<verify::StateBits, nlohmann::json> catalog_state(const VerifyOptions& o) {
  const StateBitsOptions& s = o.state;
  if (!s.state_bits.empty() || !s.state_numbers.empty() || !s.radius.empty() || !s.lipschitz.empty() ||
      !s.delta.empty() || !s.snr.empty())
    throw Error::bad_input("--arch/--preset: the catalog gives the state; drop --state-bits, --state-numbers, --radius, "
                           "--lipschitz, --delta and --snr");
  if (s.precision.empty())
    throw Error::bad_input("--precision: required with --arch/--preset; the storage format of each state number "
                           "(fp64 fp32 fp16 bf16 fp8-e4m3 fp8-e5m2 intN uintN bitsN)");
  const catalog::Catalog& all = catalog::Catalog::builtin();
  const auto [arch, preset] = arch_support::find_configuration(all, o.arch, o.preset);
  const catalog::Configuration config = catalog::configure(*arch, preset, arch_support::parse_sets(o.sets));
  Integer context = 0;
  if (!o.context.empty()) {
    context = parse_integer(o.context, "--context");
    if (context < 0) throw Error::bad_input("--context: " + context.str() + " is out of range; T must be an integer >= 0");
  } else if (arch_support::state_depends_on_context(*arch)) {
    throw Error::bad_input("--context: required for '" + arch->id + "', whose state depends on the context length; "
                           "give T, an integer >= 0");
  }
  const NumberFormat format = number_format(s.precision);
  const bool distinct = s.count == "distinct";
  const Integer numbers = catalog::account(config, context).state_numbers;
  const LogForm bits = format_state_bits(numbers, format, distinct ? CountingMode::distinct_finite : CountingMode::all_encodings);
  std::string where = arch->id + (preset ? " preset " + preset->id : std::string());
  for (const auto& [name, value] : arch_support::parse_sets(o.sets)) where += " " + name + "=" + value;
  const std::string per_number = distinct ? "log2(" + format.finite_values.str() + ") bits" : std::to_string(format.bits) + " bits";
  const std::string description = "catalog: " + where + ", T = " + context.str() + ": " + numbers.str() + " numbers * " +
                                  per_number + " (" + format.name + ")";
  const std::optional<Rational> exact = bits.exact_rational();
  nlohmann::json record = {{"architecture", arch->id},
                           {"preset", preset ? nlohmann::json(preset->id) : nlohmann::json(nullptr)},
                           {"sets", o.sets},
                           {"context", context.str()},
                           {"context_dependent", arch_support::state_depends_on_context(*arch)},
                           {"precision", {{"name", format.name}, {"bits", format.bits}}},
                           {"count", distinct ? "distinct" : "all"},
                           {"state_numbers", numbers.str()},
                           {"state_bits", exact ? nlohmann::json(to_exact_string(*exact)) : nlohmann::json(nullptr)},
                           {"state_bits_form", bits.to_string()}};
  return {verify::StateBits{bits, description}, record};
}

std::ifstream open_input(const std::string& path, const char* option) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw Error::bad_input(std::string(option) + ": cannot open '" + path + "'");
  return file;
}

nlohmann::json rate_json(const Rational& r) {
  return {{"exact", to_exact_string(r)}, {"decimal", rational_to_decimal(r, shown_digits, false)}};
}

nlohmann::json row_json(const verify::RowCheck& row) {
  const auto& o = row.observation;
  return {{"pairs", o.pairs.str()},
          {"vocab", o.vocab.str()},
          {"queries", std::to_string(o.queries)},
          {"errors", std::to_string(o.errors)},
          {"error_rate", rate_json(row.error_rate)},
          {"error_lower", rate_json(row.bounds.lower)},
          {"error_upper", rate_json(row.bounds.upper)},
          {"state_bits", {{"source", row.state.source}, {"form", row.state.bits.to_string()},
                          {"enclosure", enclosure_json(row.state_bits, shown_digits)}}},
          {"bits_recalled_lower", enclosure_json(row.bits_lower, shown_digits)},
          {"bits_recalled_estimate", enclosure_json(row.bits_estimate, shown_digits)},
          {"bits_recalled_upper", enclosure_json(row.bits_upper, shown_digits)},
          {"tightness", enclosure_json(row.tightness, shown_digits)},
          {"verdict", verify::verdict_name(row.verdict)},
          {"explanation", row.explanation}};
}

void print_text(std::ostream& out, const verify::Report& report, const std::optional<nlohmann::json>& log_info) {
  out << "verdict: " << verify::verdict_name(report.verdict) << "\n  " << report.explanation << "\n";
  if (report.rows.size() > 1)
    out << "  each row tested at confidence " << fmt::format("{:.8g}", to_display_double(report.row_confidence))
        << " (Bonferroni over " << report.rows.size() << " rows)\n";
  for (std::size_t i = 0; i < report.rows.size(); ++i) {
    const auto& r = report.rows[i];
    out << fmt::format("row {}: N = {} pairs, V = {} values, {} errors in {} queries (rate {})\n", i + 1, r.observation.pairs.str(),
                       r.observation.vocab.str(), r.observation.errors, r.observation.queries,
                       rational_to_decimal(r.error_rate, 6, false));
    out << "  error rate bounds:      [" << rational_to_decimal(r.bounds.lower, 8, false) << ", "
        << rational_to_decimal(r.bounds.upper, 8, true) << "] (one-sided Clopper-Pearson, proven conservative)\n";
    out << "  state bits B:           " << r.state_bits.to_decimal(10) << "  (" << r.state.source << ")\n";
    out << "  bits recalled, lower:   " << r.bits_lower.to_decimal(10) << "  N * D(eps_upper, V)\n";
    out << "  bits recalled, point:   " << r.bits_estimate.to_decimal(10) << "  N * D(errors/queries, V)\n";
    out << "  bits recalled, upper:   " << r.bits_upper.to_decimal(10) << "  N * D(eps_lower, V)\n";
    out << "  tightness (point / B):  " << r.tightness.to_decimal(6) << "\n";
    out << "  " << verify::verdict_name(r.verdict) << ": " << r.explanation << "\n";
  }
  if (log_info) {
    const auto& a = log_info->at("answer_information");
    out << fmt::format("log: {} sequences; estimated I(value; answer) per query {:.6g} bits (Miller-Madow), "
                       "x N = {:.6g} bits (an estimate, not certified)\n",
                       log_info->at("sequences").get<std::string>(), a.at("bits_per_query").get<double>(),
                       a.at("bits_times_pairs").get<double>());
  }
}

int run_verify(const VerifyOptions& o) {
  if (o.run_path.empty() == o.log_path.empty()) throw Error::bad_input("verify: give exactly one of --run FILE and --log FILE");
  const Rational confidence = verify::checked_confidence(parse_rational(o.confidence, "--confidence"));
  std::vector<verify::RecallObservation> observations;
  std::vector<verify::StateBits> states;
  std::optional<nlohmann::json> log_info;
  std::optional<verify::StateBits> declared;
  std::optional<nlohmann::json> catalog_info;
  if (!o.arch.empty() || !o.preset.empty()) {
    auto [state, record] = catalog_state(o);
    declared = state;
    catalog_info = record;
  } else if (!o.sets.empty() || !o.context.empty()) {
    throw Error::bad_input("--set and --context: they configure a catalog state; give --arch NAME or --preset P");
  } else if (o.state.given()) {
    std::string description;
    LogForm bits = o.state.resolve(&description);
    declared = verify::StateBits{bits, description};
  }

  if (!o.run_path.empty()) {
    if (!o.vocab.empty() || !o.pairs.empty() || !o.format.empty())
      throw Error::bad_input("--run: the run document gives the vocabulary and pairs; drop --vocab, --pairs and --format");
    auto file = open_input(o.run_path, "--run");
    const verify::RecallRun run = verify::parse_run(file, o.run_path);
    for (std::size_t i = 0; i < run.rows.size(); ++i) {
      const auto& row = run.rows[i];
      observations.push_back({row.pairs, run.value_vocab, row.queries, row.errors});
      if (declared) {
        states.push_back(*declared);
        continue;
      }
      const auto& bits = o.state_source == "catalog" ? row.state_bits_catalog : row.state_bits_measured;
      if (!bits)
        throw Error::bad_input(o.run_path + ": rows[" + std::to_string(i) + "].state_bits_" + o.state_source +
                               " is null; pass --state-bits or --state-numbers/--precision, or another --state-source");
      states.push_back({LogForm::constant(Rational(*bits)), "run: state_bits_" + o.state_source + " = " + bits->str()});
    }
  } else {
    if (o.vocab.empty()) throw Error::bad_input("--log: --vocab V is required (the number of possible values)");
    if (!declared)
      throw Error::bad_input("--log: give the state's size: --state-bits B, --state-numbers m --precision P, or "
                             "--arch NAME / --preset P with --precision P");
    const Integer vocab = checked_vocab(parse_rational(o.vocab, "--vocab"));
    const auto format = verify::log_format_for(o.log_path, o.format);
    auto file = open_input(o.log_path, "--log");
    const verify::LogSummary log = verify::read_log(file, format, o.log_path, vocab);
    Integer pairs;
    if (!o.pairs.empty()) {
      pairs = parse_integer(o.pairs, "--pairs");
      if (pairs < 1) throw Error::bad_input("--pairs: " + o.pairs + " is out of range; the pairs must be an integer >= 1");
    } else if (log.queries_per_sequence) {
      pairs = *log.queries_per_sequence;
    } else {
      throw Error::bad_input("--pairs: the sequences in '" + o.log_path +
                             "' have different numbers of queries; give the number of pairs per sequence");
    }
    observations.push_back({pairs, vocab, log.queries, log.errors});
    states.push_back(*declared);
    double per_query = 0;
    if (log.confusion.total() > 0)
      per_query = estimators::mutual_information_bits(log.confusion, estimators::DiscreteMethod::miller_madow);
    log_info = nlohmann::json{{"sequences", std::to_string(log.sequences)},
                              {"queries_per_sequence", log.queries_per_sequence ? nlohmann::json(std::to_string(*log.queries_per_sequence)) : nlohmann::json(nullptr)},
                              {"answer_information", {{"method", "mm"}, {"bits_per_query", per_query},
                                                      {"bits_times_pairs", per_query * pairs.convert_to<double>()},
                                                      {"certified", false}}}};
  }

  const verify::Report report = verify::check_rows(observations, states, confidence);
  if (!o.figure_path.empty())
    write_atomically(o.figure_path, [&](std::ostream& out) { write_verify_figure(out, report); });
  write_atomically(o.out_path, [&](std::ostream& out) {
    if (!o.json) {
      print_text(out, report, log_info);
      return;
    }
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& r : report.rows) rows.push_back(row_json(r));
    nlohmann::json j = {{"command", "verify"},
                        {"input", {{"kind", o.run_path.empty() ? "log" : "run"},
                                   {"path", o.run_path.empty() ? o.log_path : o.run_path}}},
                        {"confidence", to_exact_string(report.confidence)},
                        {"row_confidence", to_exact_string(report.row_confidence)},
                        {"verdict", verify::verdict_name(report.verdict)},
                        {"exit_code", verify::verdict_exit_code(report.verdict)},
                        {"explanation", report.explanation},
                        {"rows", rows}};
    if (log_info) j["log"] = *log_info;
    if (catalog_info) j["catalog_state"] = *catalog_info;
    print_json(out, j);
  });
  return verify::verdict_exit_code(report.verdict);
}

}  // namespace

void add_verify_commands(CLI::App& root, CommandList& commands) {
  auto options = std::make_shared<VerifyOptions>();
  auto* v = root.add_subcommand("verify", "Cross-check recall (a run or a per-query log) against the state's bits");
  v->add_option("--run", options->run_path, "Recall-run document written by `recallbound recall --out`");
  v->add_option("--log", options->log_path, "Per-query log: CSV or JSON Lines with sequence, true, predicted[, position]");
  v->add_option("--format", options->format, "Log format when the extension does not tell: csv or jsonl");
  v->add_option("--vocab", options->vocab, "With --log: vocabulary size V of the values (integer >= 2)");
  v->add_option("--pairs", options->pairs, "With --log: pairs N per sequence (default: queries per sequence)");
  options->state.add_to(*v);
  v->add_option("--arch", options->arch, "State from the catalog: architecture id (with --precision; see `arch list`)");
  v->add_option("--preset", options->preset, "State from the catalog: a released checkpoint's configuration");
  v->add_option("--set", options->sets, "With --arch/--preset: override a parameter, name=value (repeat --set)")
      ->allow_extra_args(false);
  v->add_option("--context", options->context,
                "With --arch/--preset: context length T (required when the state depends on T)");
  v->add_option("--state-source", options->state_source,
                "With --run and no state option: the row's 'measured' or 'catalog' state bits")
      ->check(CLI::IsMember({"measured", "catalog"}))
      ->capture_default_str();
  v->add_option("--confidence", options->confidence, "Family-wise confidence level in (0, 1), exact")->capture_default_str();
  v->add_option("--out", options->out_path, "Write the report to FILE (atomically) instead of stdout");
  v->add_option("--figure", options->figure_path, "Also write an SVG: bits recalled against pairs, with B and N log2 V");
  v->add_flag("--json", options->json, "JSON output (shape in docs/verify.md)");
  v->footer("State: --state-bits B | --state-numbers m --precision P | --arch NAME [--preset P] --precision P\n"
            "[--set name=value ...] [--context T] (the catalog's count, as `arch state` gives it).\n"
            "Verdicts: VIOLATION when N * D(eps_upper, V) > B, CONSISTENT when N * D(eps_lower, V) <= B,\n"
            "INCONCLUSIVE otherwise (eps bounds: one-sided Clopper-Pearson; comparisons exact).\n"
            "Exit codes: 0 CONSISTENT, 10 VIOLATION, 11 INCONCLUSIVE, 1 internal error, 2 bad input, 3 limit.");
  commands.push_back({v, [options] { return run_verify(*options); }});
}

}  // namespace recallbound::cli
