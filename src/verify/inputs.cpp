// Readers for recall-run documents and external per-query logs.
#include "recallbound/verify/inputs.hpp"

#include "recallbound/error.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <limits>
#include <unordered_map>

namespace recallbound::verify {
namespace {

using nlohmann::json;

// A non-negative integer given as a JSON number or a decimal string (the contract writes
// integers that may exceed 2^53 as strings).
Integer json_integer(const json& value, const std::string& where) {
  if (value.is_number_unsigned()) return Integer(value.get<std::uint64_t>());
  if (value.is_string()) {
    const Integer parsed = parse_integer(value.get<std::string>(), where);
    if (parsed < 0) throw Error::bad_input(where + ": " + parsed.str() + " is negative; it must be >= 0");
    return parsed;
  }
  throw Error::bad_input(where + ": expected a non-negative integer (number or string), got " + value.dump());
}

std::uint64_t json_count(const json& value, const std::string& where) {
  const Integer v = json_integer(value, where);
  if (v > std::numeric_limits<std::uint64_t>::max())
    throw Error::bad_input(where + ": " + v.str() + " is above 2^64 - 1");
  return v.convert_to<std::uint64_t>();
}

const json& member(const json& object, const char* key, const std::string& where) {
  if (!object.is_object() || !object.contains(key))
    throw Error::bad_input(where + ": missing the field '" + key + "'");
  return object.at(key);
}

std::optional<Integer> optional_bits(const json& row, const char* key, const std::string& where) {
  if (!row.contains(key) || row.at(key).is_null()) return std::nullopt;
  return json_integer(row.at(key), where + "." + key);
}

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '"')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '"')) s.remove_suffix(1);
  return std::string(s);
}

std::vector<std::string> split_commas(const std::string& line) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  while (true) {
    const auto comma = line.find(',', start);
    fields.push_back(trim(std::string_view(line).substr(start, comma - start)));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return fields;
}

// Accumulates rows of a log: counts, confusion, queries per sequence.
class LogAccumulator {
 public:
  LogAccumulator(const std::string& name, const Integer& vocab) : name_(name) {
    if (vocab < 2) throw Error::bad_input("--vocab: " + vocab.str() + " is out of range; the vocabulary size must be an integer >= 2");
    vocab_ = vocab > std::numeric_limits<std::uint64_t>::max() ? std::numeric_limits<std::uint64_t>::max()
                                                               : vocab.convert_to<std::uint64_t>();
    keep_confusion_ = vocab <= (Integer(1) << 32);
  }
  [[noreturn]] void fail(std::uint64_t line, const std::string& what) const {
    throw Error::bad_input(name_ + ":" + std::to_string(line) + ": " + what);
  }
  std::uint64_t value(std::string_view text, const char* column, std::uint64_t line) const {
    std::uint64_t v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty())
      fail(line, std::string(column) + ": '" + std::string(text) + "' is not a non-negative integer");
    if (std::string_view(column) != "position" && v >= vocab_)
      fail(line, std::string(column) + ": " + std::to_string(v) + " is out of range; values must be in [0, vocab - 1] = [0, " +
                     std::to_string(vocab_ - 1) + "]");
    return v;
  }
  void add(const std::string& sequence, std::uint64_t truth, std::uint64_t predicted, std::uint64_t position) {
    ++summary_.queries;
    if (truth != predicted) ++summary_.errors;
    ++per_sequence_[sequence];
    summary_.max_position = std::max(summary_.max_position, position);
    if (keep_confusion_) summary_.confusion.add(truth, predicted);
  }
  LogSummary finish(std::uint64_t lines) {
    if (summary_.queries == 0) fail(lines, "the log has no query rows");
    summary_.sequences = per_sequence_.size();
    const std::uint64_t first = per_sequence_.begin()->second;
    const bool equal = std::all_of(per_sequence_.begin(), per_sequence_.end(), [&](const auto& p) { return p.second == first; });
    if (equal) summary_.queries_per_sequence = first;
    return std::move(summary_);
  }

 private:
  std::string name_;
  std::uint64_t vocab_ = 0;
  bool keep_confusion_ = true;
  std::unordered_map<std::string, std::uint64_t> per_sequence_;
  LogSummary summary_;
};

LogSummary read_csv(std::istream& in, const std::string& name, const Integer& vocab) {
  LogAccumulator acc(name, vocab);
  std::string line;
  std::uint64_t number = 0;
  std::vector<std::string> header;
  while (header.empty() && std::getline(in, line)) {
    ++number;
    if (!trim(line).empty()) header = split_commas(line);
  }
  auto column = [&](const char* key, bool required) -> std::optional<std::size_t> {
    const auto it = std::find(header.begin(), header.end(), key);
    if (it != header.end()) return static_cast<std::size_t>(it - header.begin());
    if (required)
      acc.fail(number, std::string("the CSV header lacks the column '") + key +
                           "'; it needs sequence, true, predicted and optionally position");
    return std::nullopt;
  };
  const auto seq = column("sequence", true), truth = column("true", true), pred = column("predicted", true),
             pos = column("position", false);
  const std::size_t needed = std::max({*seq, *truth, *pred, pos.value_or(0)}) + 1;
  while (std::getline(in, line)) {
    ++number;
    if (trim(line).empty()) continue;
    const auto fields = split_commas(line);
    if (fields.size() < needed)
      acc.fail(number, std::to_string(fields.size()) + " columns, the header has " + std::to_string(header.size()));
    if (fields[*seq].empty()) acc.fail(number, "sequence: empty");
    acc.add(fields[*seq], acc.value(fields[*truth], "true", number), acc.value(fields[*pred], "predicted", number),
            pos ? acc.value(fields[*pos], "position", number) : 0);
  }
  return acc.finish(number);
}

LogSummary read_jsonl(std::istream& in, const std::string& name, const Integer& vocab) {
  LogAccumulator acc(name, vocab);
  std::string line;
  std::uint64_t number = 0;
  auto integer_text = [&](const json& row, const char* key, bool required) -> std::optional<std::string> {
    if (!row.contains(key)) {
      if (required) acc.fail(number, std::string("missing the field '") + key + "'");
      return std::nullopt;
    }
    const json& v = row.at(key);
    if (v.is_number_unsigned()) return std::to_string(v.get<std::uint64_t>());
    if (v.is_string()) return v.get<std::string>();
    acc.fail(number, std::string(key) + ": expected a non-negative integer, got " + v.dump());
  };
  while (std::getline(in, line)) {
    ++number;
    if (trim(line).empty()) continue;
    json row;
    try {
      row = json::parse(line);
    } catch (const json::parse_error&) {
      acc.fail(number, "not a JSON object");
    }
    if (!row.is_object()) acc.fail(number, "not a JSON object");
    if (!row.contains("sequence")) acc.fail(number, "missing the field 'sequence'");
    const json& s = row.at("sequence");
    const std::string sequence = s.is_string() ? s.get<std::string>() : s.dump();
    const auto position = integer_text(row, "position", false);
    acc.add(sequence, acc.value(*integer_text(row, "true", true), "true", number),
            acc.value(*integer_text(row, "predicted", true), "predicted", number),
            position ? acc.value(*position, "position", number) : 0);
  }
  return acc.finish(number);
}

}  // namespace

RecallRun parse_run(std::istream& in, const std::string& name) {
  json doc;
  try {
    doc = json::parse(in);
  } catch (const json::parse_error& e) {
    throw Error::bad_input(name + ": not valid JSON (" + std::string(e.what()) + ")");
  }
  if (!doc.is_object()) throw Error::bad_input(name + ": expected a JSON object");
  const json& format = member(doc, "format", name);
  if (format != "recallbound-recall-run")
    throw Error::bad_input(name + ": format: " + format.dump() + " is not \"recallbound-recall-run\"");
  const json& version = member(doc, "version", name);
  if (version != 1) throw Error::bad_input(name + ": version: " + version.dump() + " is not supported; this build reads version 1");

  RecallRun run;
  if (doc.contains("arch") && doc.at("arch").is_string()) run.arch = doc.at("arch").get<std::string>();
  if (doc.contains("precision") && doc.at("precision").is_string()) run.precision = doc.at("precision").get<std::string>();
  if (doc.contains("seed") && !doc.at("seed").is_null()) run.seed = json_count(doc.at("seed"), name + ": seed");
  if (doc.contains("trials") && !doc.at("trials").is_null()) run.trials = json_count(doc.at("trials"), name + ": trials");
  run.vocab = json_integer(member(member(doc, "task", name), "vocab", name + ": task"), name + ": task.vocab");
  if (run.vocab < 2)
    throw Error::bad_input(name + ": task.vocab: " + run.vocab.str() + " is out of range; the vocabulary size must be an integer >= 2");
  const json& task = member(doc, "task", name);
  // `recall` writes the value alphabet as task.values; task.value_vocab is accepted for hand-made runs.
  run.value_vocab = task.contains("value_vocab") ? json_integer(task.at("value_vocab"), name + ": task.value_vocab")
                    : task.contains("values")    ? json_integer(task.at("values"), name + ": task.values")
                                                 : Integer(run.vocab - run.vocab / 2);
  if (run.value_vocab < 2 || run.value_vocab > run.vocab)
    throw Error::bad_input(name + ": task.value_vocab: " + run.value_vocab.str() +
                           " is out of range; the value alphabet must be in [2, task.vocab]");
  const json& rows = member(doc, "rows", name);
  if (!rows.is_array() || rows.empty()) throw Error::bad_input(name + ": rows: expected a non-empty array");
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const std::string where = name + ": rows[" + std::to_string(i) + "]";
    const json& r = rows[i];
    RunRow row;
    row.pairs = json_integer(member(r, "pairs", where), where + ".pairs");
    row.queries = json_count(member(r, "queries", where), where + ".queries");
    row.errors = json_count(member(r, "errors", where), where + ".errors");
    if (row.pairs < 1) throw Error::bad_input(where + ".pairs: 0 is out of range; the pairs must be >= 1");
    if (row.queries == 0) throw Error::bad_input(where + ".queries: 0 is out of range; a row needs at least one query");
    if (row.errors > row.queries)
      throw Error::bad_input(where + ".errors: " + std::to_string(row.errors) + " is above queries (" +
                             std::to_string(row.queries) + ")");
    row.state_bits_measured = optional_bits(r, "state_bits_measured", where);
    row.state_bits_catalog = optional_bits(r, "state_bits_catalog", where);
    run.rows.push_back(std::move(row));
  }
  return run;
}

LogFormat log_format_for(const std::string& path, const std::string& explicit_format) {
  if (explicit_format == "csv") return LogFormat::csv;
  if (explicit_format == "jsonl") return LogFormat::jsonl;
  if (!explicit_format.empty())
    throw Error::bad_input("--format: '" + explicit_format + "' is not a log format; use csv or jsonl");
  auto ends_with = [&](const char* suffix) {
    const std::string s(suffix);
    return path.size() >= s.size() && path.compare(path.size() - s.size(), s.size(), s) == 0;
  };
  if (ends_with(".csv")) return LogFormat::csv;
  if (ends_with(".jsonl") || ends_with(".ndjson") || ends_with(".json")) return LogFormat::jsonl;
  throw Error::bad_input("--log: cannot tell the format of '" + path + "' from its extension; pass --format csv or --format jsonl");
}

LogSummary read_log(std::istream& in, LogFormat format, const std::string& name, const Integer& vocab) {
  return format == LogFormat::csv ? read_csv(in, name, vocab) : read_jsonl(in, name, vocab);
}

}  // namespace recallbound::verify
