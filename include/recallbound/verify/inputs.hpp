#pragma once
// What `verify` reads: recall-run documents written by `recallbound recall` (format
// "recallbound-recall-run", version 1; see docs/verify.md) and external per-query logs in CSV or
// JSON Lines, streamed so their size is bounded by the disk, not the memory.
#include "recallbound/estimators/discrete.hpp"
#include "recallbound/exact/number.hpp"

#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <vector>

namespace recallbound::verify {

struct RunRow {
  Integer pairs;
  std::uint64_t queries = 0;
  std::uint64_t errors = 0;
  std::optional<Integer> state_bits_measured;
  std::optional<Integer> state_bits_catalog;
};

struct RecallRun {
  std::string arch;
  std::string precision;
  Integer vocab;        // task.vocab: the whole vocabulary V (keys and values)
  Integer value_vocab;  // the alphabet the values are uniform over, the V in D(eps, V): task.value_vocab
                        // when given, else V - floor(V/2) (the MQAR task of `recall`: values V/2 .. V-1)
  std::uint64_t seed = 0;
  std::uint64_t trials = 0;
  std::vector<RunRow> rows;
};

/// Parses and validates a run document; `name` (the file name) prefixes every error message,
/// e.g. "run.json: rows[2].errors: 30 is above queries (20)".
RecallRun parse_run(std::istream& in, const std::string& name);

enum class LogFormat { csv, jsonl };
/// From the file extension (.csv; .jsonl, .ndjson, .json) or an explicit --format value.
LogFormat log_format_for(const std::string& path, const std::string& explicit_format);

/// The per-query log condensed: counts, the confusion table, and queries per sequence.
struct LogSummary {
  std::uint64_t queries = 0;
  std::uint64_t errors = 0;
  std::uint64_t sequences = 0;
  std::optional<std::uint64_t> queries_per_sequence;  // when every sequence has the same count
  std::uint64_t max_position = 0;                     // largest query position seen (0 if none)
  estimators::SparseConfusion confusion;              // (true value, predicted value) counts
};

/// Reads a log row by row. CSV needs a header naming the columns `sequence`, `true`, `predicted`
/// and optionally `position` (any order, extra columns ignored); JSON Lines needs one object per
/// line with the same keys. Values must be integers in [0, vocab). Malformed rows throw
/// Error::bad_input "NAME:LINE: ...".
LogSummary read_log(std::istream& in, LogFormat format, const std::string& name, const Integer& vocab);

}  // namespace recallbound::verify
