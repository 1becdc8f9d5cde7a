#include "recallbound/error.hpp"
#include "recallbound/verify/inputs.hpp"

#include <doctest/doctest.h>

#include <sstream>

using namespace recallbound;
using namespace recallbound::verify;

namespace {
RecallRun run_from(const std::string& text) {
  std::istringstream in(text);
  return parse_run(in, "run.json");
}
LogSummary log_from(const std::string& text, LogFormat format, std::int64_t vocab = 16) {
  std::istringstream in(text);
  return read_log(in, format, "log", Integer(vocab));
}
const std::string good_run = R"({"format": "recallbound-recall-run", "version": 1, "arch": "linear-attention",
  "config": {"d": 64}, "task": {"vocab": 8192, "power_a": 0.01, "random_non_queries": false, "seq_len": 1024},
  "precision": "bf16", "seed": 1, "trials": 200,
  "rows": [{"pairs": 64, "queries": 12800, "errors": 17, "state_bits_measured": "131072",
            "state_bits_catalog": null, "max_pairs_bound": "2047", "accuracy": 0.99867, "accuracy_ci": [0.997, 0.9995]},
           {"pairs": "128", "queries": 25600, "errors": 30000000000000000000}]})";
}  // namespace

TEST_CASE("run document: fields read, big integers as strings, nulls as absent") {
  const std::string text = std::string(good_run).replace(good_run.find("30000000000000000000"), 20, "40");
  const auto run = run_from(text);
  CHECK(run.vocab == 8192);
  CHECK(run.value_vocab == 4096);  // MQAR: values are the upper half of the vocabulary
  CHECK(run.arch == "linear-attention");
  REQUIRE(run.rows.size() == 2);
  CHECK(run.rows[0].errors == 17);
  CHECK(*run.rows[0].state_bits_measured == 131072);
  CHECK_FALSE(run.rows[0].state_bits_catalog.has_value());
  CHECK(run.rows[1].pairs == 128);
  CHECK_FALSE(run.rows[1].state_bits_measured.has_value());
}

TEST_CASE("run document: an explicit value alphabet overrides the MQAR convention, within range") {
  std::string text = std::string(good_run).replace(good_run.find("30000000000000000000"), 20, "40");
  const auto at = text.find("\"vocab\": 8192");
  CHECK(run_from(std::string(text).insert(at, "\"value_vocab\": 1000, ")).value_vocab == 1000);
  CHECK_THROWS_WITH(run_from(std::string(text).insert(at, "\"value_vocab\": 9000, ")),
                    "run.json: task.value_vocab: 9000 is out of range; the value alphabet must be in [2, task.vocab]");
}

TEST_CASE("run document: each malformed field is named") {
  CHECK_THROWS_WITH(run_from(good_run), "run.json: rows[1].errors: expected a non-negative integer (number or string), got 3e+19");
  CHECK_THROWS_WITH(run_from("{\"format\": \"x\"}"), "run.json: format: \"x\" is not \"recallbound-recall-run\"");
  CHECK_THROWS_WITH(run_from("[1,"), doctest::Contains("run.json: not valid JSON"));
  std::string over = std::string(good_run).replace(good_run.find("30000000000000000000"), 20, "25601");
  CHECK_THROWS_WITH(run_from(over), "run.json: rows[1].errors: 25601 is above queries (25600)");
}

TEST_CASE("CSV log: columns in any order, counts and queries per sequence") {
  const auto s = log_from("predicted,sequence,true,position\n3,a,3,10\n4,a,5,11\n7,b,7,10\n1,b,1,12\n", LogFormat::csv);
  CHECK(s.queries == 4);
  CHECK(s.errors == 1);
  CHECK(s.sequences == 2);
  CHECK(*s.queries_per_sequence == 2);
  CHECK(s.max_position == 12);
  CHECK(s.confusion.total() == 4);
}

TEST_CASE("CSV log: malformed rows are reported with their line number") {
  CHECK_THROWS_WITH(log_from("sequence,true,predicted\n1,2,3\n1,x,3\n", LogFormat::csv),
                    "log:3: true: 'x' is not a non-negative integer");
  CHECK_THROWS_WITH(log_from("sequence,true,predicted\n1,2,3\n\n1,16,3\n", LogFormat::csv),
                    "log:4: true: 16 is out of range; values must be in [0, vocab - 1] = [0, 15]");
  CHECK_THROWS_WITH(log_from("sequence,true,predicted\n1,2\n", LogFormat::csv), "log:2: 2 columns, the header has 3");
  CHECK_THROWS_WITH(log_from("seq,true,predicted\n", LogFormat::csv),
                    "log:1: the CSV header lacks the column 'sequence'; it needs sequence, true, predicted and optionally position");
}

TEST_CASE("JSON Lines log: unequal sequences leave queries_per_sequence unset: bad lines named") {
  const auto s = log_from("{\"sequence\": 1, \"true\": 2, \"predicted\": 2}\n{\"sequence\": 1, \"true\": 3, \"predicted\": 2}\n"
                          "{\"sequence\": \"z\", \"true\": 0, \"predicted\": 0}\n",
                          LogFormat::jsonl);
  CHECK(s.queries == 3);
  CHECK(s.errors == 1);
  CHECK_FALSE(s.queries_per_sequence.has_value());
  CHECK_THROWS_WITH(log_from("{\"sequence\": 1, \"true\": 2, \"predicted\": 2}\n{\"sequence\": 1, \"true\": 2\n", LogFormat::jsonl),
                    "log:2: not a JSON object");
  CHECK_THROWS_WITH(log_from("{\"sequence\": 1, \"true\": -2, \"predicted\": 2}\n", LogFormat::jsonl),
                    "log:1: true: expected a non-negative integer, got -2");
}

TEST_CASE("log format from the extension or --format") {
  CHECK(log_format_for("x.csv", "") == LogFormat::csv);
  CHECK(log_format_for("x.ndjson", "") == LogFormat::jsonl);
  CHECK(log_format_for("x.txt", "csv") == LogFormat::csv);
  CHECK_THROWS_WITH(log_format_for("x.txt", ""),
                    "--log: cannot tell the format of 'x.txt' from its extension; pass --format csv or --format jsonl");
}
