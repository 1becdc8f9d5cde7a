// `check-claims FILE.csv`: published recall claims (state bits, V, eps, pairs) against the bound
// N * D(eps, V) <= B, each with a certified margin B - N * D(eps, V).
#include "command.hpp"
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
  std::string verdict;  // consistent, inconsistent, vacuous
  std::optional<Integer> max_pairs;
  Interval margin{128};
};

Row check_row(std::size_t line, const std::string& label, const std::map<std::string, std::string>& cells) {
  Row row;
  row.line = line;
  row.label = label;
  row.bits = checked_nonnegative(parse_rational(cells.at("state_bits"), "state_bits"), "state_bits");
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
      for (const char* required : {"state_bits", "vocab", "error", "pairs"})
        if (std::find(header.begin(), header.end(), required) == header.end())
          throw Error::bad_input(path + ": the header lacks the column '" + required +
                                 "' (columns: label (optional), state_bits, vocab, error, pairs)");
      continue;
    }
    if (cells.size() != header.size())
      throw Error::bad_input(path + ":" + std::to_string(line_number) + ": " + std::to_string(cells.size()) +
                             " fields, the header has " + std::to_string(header.size()));
    std::map<std::string, std::string> by_name;
    for (std::size_t i = 0; i < header.size(); ++i) by_name[header[i]] = cells[i];
    try {
      rows.push_back(check_row(line_number, by_name.count("label") ? by_name["label"] : "", by_name));
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::bad_input) throw;
      throw Error::bad_input(path + ":" + std::to_string(line_number) + ": " + e.what());
    }
  }
  if (header.empty()) throw Error::bad_input(path + ": no header line (columns: label, state_bits, vocab, error, pairs)");
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
                          {"vocab", r.vocab.str()},
                          {"error", to_exact_string(r.error)},
                          {"claimed_pairs", r.pairs.str()},
                          {"verdict", r.verdict},
                          {"max_pairs", r.max_pairs ? nlohmann::json(r.max_pairs->str()) : nlohmann::json(nullptr)},
                          {"margin_bits", enclosure_json(r.margin, shown_digits)}});
    } else {
      std::cout << fmt::format("line {}{}: {} pairs at V = {}, eps = {}, B = {} bits: {}", r.line,
                               r.label.empty() ? "" : " (" + r.label + ")", r.pairs.str(), r.vocab.str(),
                               to_exact_string(r.error), to_exact_string(r.bits), r.verdict);
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
      "A row is consistent when pairs * D(error, vocab) <= state_bits (decided exactly), inconsistent\n"
      "otherwise, vacuous when error >= 1 - 1/vocab. The margin state_bits - pairs * D is a certified enclosure.\n"
      "Exit codes: 0 every row consistent or vacuous, 10 some row inconsistent, 2 bad input, 1 internal error.");
  app->add_option("file", args->file, "the CSV file")->required();
  app->add_flag("--json", args->json, "machine-readable output (docs/proofs.md)");
  commands.push_back({app, [args] { return run_check_claims(args->file, args->json); }});
}

}  // namespace recallbound::cli
