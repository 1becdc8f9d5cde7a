// `check-claims FILE.csv`: published recall claims (state bits, V, eps, pairs) against the bound
// N * D(eps, V) <= B, each with a certified margin B - N * D(eps, V).
#include "command.hpp"
#include "commands/arch_support.hpp"
#include "enclosure_json.hpp"
#include "output.hpp"

#include "recallbound/bounds/capacity.hpp"
#include "recallbound/error.hpp"

#include <fmt/core.h>

#include <fstream>
#include <iostream>
#include <map>
#include <memory>

namespace recallbound::cli {

namespace {

constexpr int exit_inconsistent = 10;
constexpr int shown_digits = 12;
constexpr const char* claim_columns =
    "label (optional), state_bits or a model (arch and/or preset, context, precision), vocab, error, pairs";

std::string trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(" \t\r") - first + 1);
}

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> cells;
  std::size_t start = 0;
  while (true) {
    const auto comma = line.find(',', start);
    cells.push_back(trim(line.substr(start, comma == std::string::npos ? std::string::npos : comma - start)));
    if (comma == std::string::npos) return cells;
    start = comma + 1;
  }
}

struct Row {
  std::size_t line = 0;
  std::string label;
  Rational bits, error;
  Integer vocab, pairs;
  std::optional<nlohmann::json> model;  // rows that name a model: architecture, preset, context, precision
  std::string subject;                  // "state of ..." for the text output of such rows
  std::string verdict;  // consistent, inconsistent, vacuous
  std::optional<Integer> max_pairs;
  Interval margin{128};
};

std::string cell(const std::map<std::string, std::string>& cells, const std::string& column) {
  auto it = cells.find(column);
  return it == cells.end() ? std::string() : it->second;
}

// A row that names a model (arch and/or preset, context, precision): its state bits are the catalog's,
// exactly as `arch state` counts them. Messages name the column.
Rational model_bits(const catalog::Catalog& all, const std::map<std::string, std::string>& cells, Row& row) {
  const std::string arch = cell(cells, "arch"), preset = cell(cells, "preset"), context = cell(cells, "context"),
                    precision = cell(cells, "precision");
  if (context.empty()) throw Error::bad_input("context: empty; a row that names a model needs its context length T");
  if (precision.empty()) throw Error::bad_input("precision: empty; a row that names a model needs its number format (e.g. bf16)");
  arch_support::ResolvedState r;
  try {
    r = arch_support::resolve_state(all, arch, preset, {}, context, precision);
  } catch (const Error& e) {
    std::string message = e.what();
    if (e.kind() != ErrorKind::bad_input) throw;
    if (message.rfind("--", 0) == 0) message.erase(0, 2);  // the columns are named without dashes
    throw Error::bad_input(message);
  }
  row.model = nlohmann::json{{"architecture", r.arch->id},
                             {"preset", r.preset ? nlohmann::json(r.preset->id) : nlohmann::json(nullptr)},
                             {"context", r.context.str()},
                             {"precision", r.format.name}};
  row.subject = "state of " + r.arch->id + (r.preset ? " preset " + r.preset->id : std::string()) + ", T = " + r.context.str() +
                ", " + r.format.name;
  return r.bits;
}

Row check_row(const catalog::Catalog& all, std::size_t line, const std::string& label,
              const std::map<std::string, std::string>& cells) {
  Row row;
  row.line = line;
  row.label = label;
  const std::string bits_cell = cell(cells, "state_bits");
  const bool names_model = !cell(cells, "arch").empty() || !cell(cells, "preset").empty();
  if (names_model && !bits_cell.empty())
    throw Error::bad_input("state_bits: give either state_bits or a model (arch/preset), not both");
  row.bits = names_model ? model_bits(all, cells, row)
                         : checked_nonnegative(parse_rational(bits_cell, "state_bits"), "state_bits");
  row.vocab = checked_vocab(parse_rational(cells.at("vocab"), "vocab"));
  row.error = checked_error(parse_rational(cells.at("error"), "error"));
  row.pairs = parse_integer(cells.at("pairs"), "pairs");
  if (row.pairs < 0) throw Error::bad_input("pairs: " + cells.at("pairs") + " is out of range; it must be an integer >= 0");
  // margin = B - N * D(eps, V), an exact log-form: its sign decides the verdict.
  const LogForm margin = LogForm::constant(row.bits) - recall_denominator(row.vocab, row.error) * Rational(row.pairs);
  row.margin = margin.enclose(128);
  if (is_vacuous(row.vocab, row.error)) {
    row.verdict = "vacuous";
  } else {
    row.verdict = margin.sign() >= 0 ? "consistent" : "inconsistent";
    row.max_pairs = max_pairs(LogForm::constant(row.bits), row.vocab, row.error).max_pairs;
  }
  return row;
}

std::vector<Row> read_claims(const std::string& path) {
  const catalog::Catalog all = catalog::Catalog::builtin();
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error::bad_input("check-claims: cannot read '" + path + "'");
  std::string text;
  std::vector<std::string> header;
  std::vector<Row> rows;
  std::size_t line_number = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_number;
    if (trim(line).empty() || trim(line)[0] == '#') continue;
    if (line.find('"') != std::string::npos)
      throw Error::bad_input(path + ":" + std::to_string(line_number) + ": quoted CSV fields are not supported");
    auto cells = split(line);
    if (header.empty()) {
      header = cells;
      auto has = [&](const char* column) { return std::find(header.begin(), header.end(), column) != header.end(); };
      for (const char* required : {"vocab", "error", "pairs"})
        if (!has(required))
          throw Error::bad_input(path + ": the header lacks the column '" + required + "' (columns: " + claim_columns + ")");
      if (!has("state_bits") && !has("arch") && !has("preset"))
        throw Error::bad_input(path + ": the header lacks the column 'state_bits' (or 'arch'/'preset' naming a model; columns: " +
                               claim_columns + ")");
      continue;
    }
    if (cells.size() != header.size())
      throw Error::bad_input(path + ":" + std::to_string(line_number) + ": " + std::to_string(cells.size()) +
                             " fields, the header has " + std::to_string(header.size()));
    std::map<std::string, std::string> by_name;
    for (std::size_t i = 0; i < header.size(); ++i) by_name[header[i]] = cells[i];
    try {
      rows.push_back(check_row(all, line_number, by_name.count("label") ? by_name["label"] : "", by_name));
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::bad_input) throw;
      throw Error::bad_input(path + ":" + std::to_string(line_number) + ": " + e.what());
    }
  }
  if (header.empty()) throw Error::bad_input(path + ": no header line (columns: " + std::string(claim_columns) + ")");
  return rows;
}

int run_check_claims(const std::string& path, bool json) {
  const std::vector<Row> rows = read_claims(path);  // everything validated before any output
  bool all = true;
  nlohmann::json out_rows = nlohmann::json::array();
  for (const auto& r : rows) {
    all = all && r.verdict != "inconsistent";
    if (json) {
      out_rows.push_back({{"line", r.line},
                          {"label", r.label},
                          {"state_bits", to_exact_string(r.bits)},
                          {"model", r.model ? *r.model : nlohmann::json(nullptr)},
                          {"vocab", r.vocab.str()},
                          {"error", to_exact_string(r.error)},
                          {"claimed_pairs", r.pairs.str()},
                          {"verdict", r.verdict},
                          {"max_pairs", r.max_pairs ? nlohmann::json(r.max_pairs->str()) : nlohmann::json(nullptr)},
                          {"margin_bits", enclosure_json(r.margin, shown_digits)}});
    } else {
      std::cout << fmt::format("line {}{}: {} pairs at V = {}, eps = {}, B = {} bits{}: {}", r.line,
                               r.label.empty() ? "" : " (" + r.label + ")", r.pairs.str(), r.vocab.str(),
                               to_exact_string(r.error), to_exact_string(r.bits),
                               r.subject.empty() ? "" : " (" + r.subject + ")", r.verdict);
      if (r.max_pairs) std::cout << " (max pairs " << r.max_pairs->str() << ")";
      std::cout << "\n  margin B - N*D(eps, V) in " << r.margin.to_decimal(shown_digits) << " bits\n";
    }
  }
  if (json) print_json(std::cout, {{"command", "check-claims"}, {"file", path}, {"all_consistent", all}, {"rows", out_rows}});
  return all ? exit_code::ok : exit_inconsistent;
}

}  // namespace

void add_check_claims_command(CLI::App& root, CommandList& commands) {
  struct Args {
    std::string file;
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* app = root.add_subcommand("check-claims", "Check published recall claims (CSV) against the bound N * D(eps, V) <= B.");
  app->footer(
      "CSV columns (header line required, any order): label (optional), state_bits, vocab, error, pairs.\n"
      "Instead of state_bits a row may name a model: arch and/or preset, context, precision (the catalog's\n"
      "exact state bits, as `recallbound arch state` counts them).\n"
      "A row is consistent when pairs * D(error, vocab) <= state_bits (decided exactly), inconsistent\n"
      "otherwise, vacuous when error >= 1 - 1/vocab. The margin state_bits - pairs * D is a certified enclosure.\n"
      "Exit codes: 0 every row consistent or vacuous, 10 some row inconsistent, 2 bad input, 1 internal error.");
  app->add_option("file", args->file, "the CSV file")->required();
  app->add_flag("--json", args->json, "machine-readable output (docs/proofs.md)");
  commands.push_back({app, [args] { return run_check_claims(args->file, args->json); }});
}

}  // namespace recallbound::cli
