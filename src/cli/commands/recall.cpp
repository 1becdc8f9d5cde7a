// recall, recall-capacity: instrumented reference models on multi-query associative recall,
// next to the certified bound for the bits their live state holds.
#include "command.hpp"
#include "enclosure_json.hpp"
#include "output.hpp"
#include "recall_options.hpp"

#include "recallbound/catalog/accounting.hpp"
#include "recallbound/error.hpp"
#include "recallbound/models/bound_check.hpp"
#include "recallbound/models/capacity_search.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace recallbound::cli {
namespace {

constexpr int exceeded_exit_code = 10;  // a row recalled more than the bound allows (a bug somewhere)

// The catalog formula for the same configuration: the catalog entry and parameters of the mapping
// table in docs/catalog.md, evaluated at T = the tokens the row's sequences consumed, times the
// storage format's bits per number. std::nullopt for a models arch the table does not map.
std::optional<Integer> catalog_state_bits(const models::RunSpec& spec, const models::RowResult& row) {
  const models::ModelConfig& m = spec.model;
  const std::string d = std::to_string(m.d);
  std::vector<std::pair<std::string, std::string>> overrides{{"d", d}, {"d_v", d}};
  std::string id;
  if (m.arch == "softmax-attention") {
    id = "softmax-attention";
  } else if (m.arch == "sliding-window") {
    id = "sliding-window-attention";
    overrides.emplace_back("window", std::to_string(m.window));
  } else if (m.arch == "linear-attention") {
    id = "linear-attention";
    // identity and ELU+1 keep d features; taylor keeps 1 + f + f^2 of its f-wide projection
    const Integer f(static_cast<std::uint64_t>(m.feature_dim));
    const Integer features = m.feature_map == models::FeatureMap::taylor ? Integer(1 + f + f * f) : Integer(static_cast<std::uint64_t>(m.d));
    overrides.emplace_back("feature_dim", features.str());
  } else if (m.arch == "mamba2") {
    id = "mamba2-ssm";
  } else if (m.arch == "deltanet" || m.arch == "gated-deltanet") {
    id = m.arch;
  } else if (m.arch == "based") {
    id = "based";
    overrides.emplace_back("feature_dim", std::to_string(m.feature_dim));
    overrides.emplace_back("window", std::to_string(m.window));
  } else {
    return std::nullopt;
  }
  const Integer numbers = catalog::catalog_state_numbers(id, overrides, Integer(row.seq_len));
  return numbers * Integer(spec.format.bits());
}

std::string decimal(double x, int digits) { return fmt::format("{:.{}f}", x, digits); }

struct EvaluatedRow {
  models::RowResult row;
  models::RowBound bound;
  models::CatalogComparison catalog;
  std::pair<double, double> ci;
};

EvaluatedRow evaluate(const models::RunSpec& spec, models::RowResult row) {
  EvaluatedRow e{std::move(row), {}, {}, {}};
  e.bound = models::bound_for_row(e.row, spec.format, spec.task.vocab);
  e.catalog = models::compare_with_catalog(e.row.state_bits_measured, catalog_state_bits(spec, e.row));
  e.ci = models::clopper_pearson(e.row.queries - e.row.errors, e.row.queries);
  return e;
}

nlohmann::json max_pairs_json(const EvaluatedRow& e) {
  return e.bound.capacity.unbounded ? nlohmann::json("unbounded") : nlohmann::json(e.bound.capacity.max_pairs.str());
}

// One row exactly as the verify contract has it.
nlohmann::json contract_row(const EvaluatedRow& e) {
  return {{"pairs", e.row.pairs},
          {"queries", e.row.queries},
          {"errors", e.row.errors},
          {"state_bits_measured", e.row.state_bits_measured.str()},
          {"state_bits_catalog", e.catalog.expected ? nlohmann::json(e.catalog.expected->str()) : nlohmann::json(nullptr)},
          {"max_pairs_bound", max_pairs_json(e)},
          {"accuracy", e.row.accuracy()},
          {"accuracy_ci", {e.ci.first, e.ci.second}}};
}

// What the instrumentation saw beyond the contract's fields.
nlohmann::json instrumentation_json(const EvaluatedRow& e, const models::StorageFormat& format) {
  nlohmann::json buffers = nlohmann::json::object();
  for (const auto& [name, numbers] : e.row.buffers) buffers[name] = numbers;
  nlohmann::json by_position = nlohmann::json::array();
  for (const models::PositionBucket& b : e.row.by_position)
    by_position.push_back({{"first_offset", b.first_offset}, {"last_offset", b.last_offset}, {"queries", b.queries},
                           {"errors", b.errors},
                           {"accuracy", b.queries ? nlohmann::json(1.0 - static_cast<double>(b.errors) / static_cast<double>(b.queries))
                                                  : nlohmann::json(nullptr)}});
  return {{"pairs", e.row.pairs},
          {"seq_len", e.row.seq_len},
          {"error_rate", to_exact_string(e.bound.error)},
          {"state_numbers", e.row.state_numbers},
          {"peak_state_numbers", e.row.peak_state_numbers},
          {"bits_per_number", format.bits()},
          {"buffers", buffers},
          {"bits_recalled", enclosure_json(e.bound.bits_recalled, 12)},
          {"catalog", {{"available", e.catalog.available}, {"matches", e.catalog.available ? nlohmann::json(e.catalog.matches) : nlohmann::json(nullptr)},
                       {"message", e.catalog.message}}},
          {"update_multiply_adds_per_step", e.row.update_multiply_adds_per_step},
          {"readout_multiply_adds_per_query", e.row.readout_multiply_adds_per_query},
          {"accuracy_by_position", by_position}};
}

nlohmann::json task_json(const models::RunSpec& spec, std::optional<std::int64_t> seq_len) {
  return {{"vocab", spec.task.vocab},
          {"values", models::value_alphabet_size(spec.task.vocab)},  // V - V/2: the alphabet the bound uses
          {"power_a", spec.task.power_a},
          {"random_non_queries", spec.task.random_non_queries},
          {"seq_len", seq_len ? nlohmann::json(*seq_len) : nlohmann::json("4N")}};
}

std::string header_line(const models::RunSpec& spec) {
  return fmt::format("{}  d={}  vocab={}  precision={}  readout={}  seed={}  trials={}", spec.model.arch, spec.model.d,
                     spec.task.vocab, spec.format.name(), models::readout_name(spec.readout), spec.seed, spec.trials);
}

void print_table(std::ostream& out, const std::vector<EvaluatedRow>& rows) {
  out << fmt::format("{:>8}  {:>8}  {:>19}  {:>14}  {:>14}  {:>9}  {:>14}  {:>9}\n", "N", "accuracy", "95% CI",
                     "bits recalled", "state bits", "catalog", "max pairs", "N/bound");
  for (const EvaluatedRow& e : rows) {
    const bool bounded = !e.bound.capacity.unbounded;
    const std::string ratio = bounded && e.bound.capacity.max_pairs > 0
                                  ? fmt::format("{:.4g}", static_cast<double>(e.row.pairs) /
                                                              e.bound.capacity.max_pairs.convert_to<double>())
                                  : "-";
    out << fmt::format("{:>8}  {:>8}  {:>19}  {:>14}  {:>14}  {:>9}  {:>14}  {:>9}\n", e.row.pairs,
                       decimal(e.row.accuracy(), 5), "[" + decimal(e.ci.first, 5) + ", " + decimal(e.ci.second, 5) + "]",
                       fmt::format("{:.6g}", e.bound.bits_recalled.midpoint_double()), e.row.state_bits_measured.str(),
                       e.catalog.expected ? e.catalog.expected->str() : "n/a",
                       bounded ? e.bound.capacity.max_pairs.str() : "unbounded", ratio);
  }
}

void print_notes(std::ostream& out, const std::vector<EvaluatedRow>& rows) {
  out << "bits recalled = N * D(error, V/2 values); state bits counted from the live buffers at the end of the "
         "sequence;\nmax pairs = the certified bound for those bits at the observed error; catalog: the catalog formula's state\n"
         "bits for the same configuration at T = seq_len (docs/catalog.md), n/a when the catalog has no such entry.\n";
  for (const EvaluatedRow& e : rows) {
    if (e.bound.exceeds)
      out << fmt::format("BOUND EXCEEDED at N = {}: a model recalled more than its state can hold; report this.\n", e.row.pairs);
    if (e.catalog.available && !e.catalog.matches) out << "N = " << e.row.pairs << ": " << e.catalog.message << "\n";
  }
}

struct RecallCommand {
  RecallOptions options;
  std::string pairs;
};

int run_recall(const RecallCommand& c) {
  models::RunSpec spec = c.options.spec();
  const std::vector<std::int64_t> pairs = parse_pairs_list(c.pairs);
  if (!c.options.seq_len_given()) spec.task.seq_len = 4 * *std::max_element(pairs.begin(), pairs.end());
  for (std::int64_t n : pairs) {  // validate every row before any work
    models::RecallTask task = spec.task;
    task.pairs = n;
    models::validate_task(task);
  }
  const auto weights = models::make_weights(spec.model, spec.seed);
  std::vector<EvaluatedRow> rows;
  {
    ProgressLine progress(!c.options.no_progress);
    for (std::size_t i = 0; i < pairs.size(); ++i) {
      auto report = [&](std::size_t done, std::size_t total) {
        progress.show(fmt::format("recall: N = {} ({}/{})  trial {}/{}", pairs[i], i + 1, pairs.size(), done, total));
      };
      rows.push_back(evaluate(spec, models::run_row(spec, pairs[i], weights, report)));
    }
  }
  const bool exceeded = std::any_of(rows.begin(), rows.end(), [](const EvaluatedRow& e) { return e.bound.exceeds; });
  write_atomically(c.options.out_path, [&](std::ostream& out) {
    if (c.options.json) {
      nlohmann::json document = {{"format", "recallbound-recall-run"}, {"version", 1}, {"arch", spec.model.arch},
                                 {"config", config_json(spec)}, {"task", task_json(spec, spec.task.seq_len)},
                                 {"precision", spec.format.name()}, {"seed", spec.seed}, {"trials", spec.trials}};
      document["rows"] = nlohmann::json::array();
      document["instrumentation"] = nlohmann::json::array();
      for (const EvaluatedRow& e : rows) {
        document["rows"].push_back(contract_row(e));
        document["instrumentation"].push_back(instrumentation_json(e, spec.format));
      }
      print_json(out, document);
      return;
    }
    out << "recall: " << header_line(spec) << "  seq_len=" << spec.task.seq_len << "\n";
    print_table(out, rows);
    print_notes(out, rows);
  });
  return exceeded ? exceeded_exit_code : exit_code::ok;
}

struct CapacityCommand {
  RecallOptions options;
  std::string error, max_pairs;
};

int run_recall_capacity(const CapacityCommand& c) {
  models::RunSpec spec = c.options.spec();
  const Rational eps = parse_rational(c.error, "--error");
  if (eps < 0 || eps > 1)
    throw Error::bad_input("--error: " + c.error + " is out of range; the allowed error rate must be in [0, 1]");
  std::int64_t limit = spec.task.vocab / 2 - 1;
  if (c.options.seq_len_given()) limit = std::min(limit, spec.task.seq_len / 4);
  if (!c.max_pairs.empty()) {
    const Integer given = parse_integer(c.max_pairs, "--max-pairs");
    if (given < 1 || given > limit)
      throw Error::bad_input("--max-pairs: " + c.max_pairs + " is out of range; with these --vocab and --seq-len it must be in 1.." +
                             std::to_string(limit));
    limit = given.convert_to<std::int64_t>();
  }
  if (limit < 1) throw Error::bad_input("--seq-len: " + c.options.seq_len + " is out of range; it must be >= 4 (one pair)");
  const auto weights = models::make_weights(spec.model, spec.seed);
  models::CapacitySearchResult found;
  {
    ProgressLine progress(!c.options.no_progress);
    found = models::search_capacity(spec, eps, limit, weights, [&](std::size_t done, std::int64_t n) {
      progress.show(fmt::format("recall-capacity: row {} (N = {})", done + 1, n));
    });
  }
  std::vector<EvaluatedRow> rows;
  for (models::RowResult& row : found.evaluated) rows.push_back(evaluate(spec, std::move(row)));
  const EvaluatedRow* at = nullptr;
  for (const EvaluatedRow& e : rows)
    if (e.row.pairs == found.capacity) at = &e;
  const bool exceeded = std::any_of(rows.begin(), rows.end(), [](const EvaluatedRow& e) { return e.bound.exceeds; });
  write_atomically(c.options.out_path, [&](std::ostream& out) {
    if (c.options.json) {
      nlohmann::json evaluated = nlohmann::json::array();
      for (const EvaluatedRow& e : rows) {
        nlohmann::json row = contract_row(e);
        row["seq_len"] = e.row.seq_len;
        row["passes"] = models::row_passes(e.row, eps);
        evaluated.push_back(row);
      }
      print_json(out, {{"format", "recallbound-recall-capacity"}, {"version", 1}, {"arch", spec.model.arch},
                       {"config", config_json(spec)},
                       {"task", task_json(spec, c.options.seq_len_given() ? std::optional(spec.task.seq_len) : std::nullopt)},
                       {"precision", spec.format.name()}, {"seed", spec.seed}, {"trials", spec.trials},
                       {"error", to_exact_string(eps)}, {"capacity", found.capacity},
                       {"limit_reached", found.limit_reached}, {"search_limit", limit},
                       {"at_capacity", at ? contract_row(*at) : nlohmann::json(nullptr)}, {"evaluated", evaluated}});
      return;
    }
    out << "recall-capacity: " << header_line(spec) << "  error <= " << to_exact_string(eps) << "\n";
    out << "capacity: " << found.capacity << (found.limit_reached ? " (the search limit; it may be larger)" : "")
        << " pairs\n";
    if (at)
      out << fmt::format("  at N = {}: accuracy {} [{}, {}], certified max pairs for its {} state bits: {}\n",
                         at->row.pairs, decimal(at->row.accuracy(), 5), decimal(at->ci.first, 5), decimal(at->ci.second, 5),
                         at->row.state_bits_measured.str(),
                         at->bound.capacity.unbounded ? "unbounded" : at->bound.capacity.max_pairs.str());
    out << "rows evaluated (bracketing, then bisection):\n";
    print_table(out, rows);
    print_notes(out, rows);
  });
  return exceeded ? exceeded_exit_code : exit_code::ok;
}

}  // namespace

void add_recall_commands(CLI::App& root, CommandList& commands) {
  auto recall = std::make_shared<RecallCommand>();
  auto* r = root.add_subcommand("recall", "Run an instrumented reference model on multi-query associative recall");
  recall->options.add_to(*r);
  r->add_option("--pairs", recall->pairs, "N values: 64, 16,64,256, 16:1024:x2 or 16:128:+16")->required();
  r->footer("A row per N: accuracy with a 95% Clopper-Pearson interval, the bits recalled, the state bits counted\n"
            "from live buffers, the certified max pairs for them at the observed error. JSON: docs/models.md.\n"
            "Exit codes: 0 ok, 1 internal error, 2 bad input, 10 a row exceeded the certified bound.");
  commands.push_back({r, [recall] { return run_recall(*recall); }});

  auto capacity = std::make_shared<CapacityCommand>();
  auto* c = root.add_subcommand("recall-capacity", "Largest N a reference model recalls with error <= eps");
  capacity->options.add_to(*c);
  c->add_option("--error", capacity->error, "Allowed error rate eps in [0, 1] (exact: 0.01 is 1/100)")->required();
  c->add_option("--max-pairs", capacity->max_pairs, "Upper end of the search (default: V/2 - 1, or --seq-len / 4)");
  c->footer("Doubles N until a row fails, then bisects; every row evaluated is printed. JSON: docs/models.md.\n"
            "Exit codes: 0 ok, 1 internal error, 2 bad input, 10 a row exceeded the certified bound.");
  commands.push_back({c, [capacity] { return run_recall_capacity(*capacity); }});
}

}  // namespace recallbound::cli
