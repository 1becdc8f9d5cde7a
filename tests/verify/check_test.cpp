#include "recallbound/error.hpp"
#include "recallbound/verify/check.hpp"
#include "verify/simulated_models.hpp"

#include <doctest/doctest.h>

using namespace recallbound;
using namespace recallbound::verify;
using namespace recallbound::verify::testing;

namespace {
StateBits declared(const Rational& b) { return {LogForm::constant(b), "declared"}; }
const Rational confidence99(99, 100);
}  // namespace

TEST_CASE("perfect recall that fits exactly: CONSISTENT, decided exactly at equality") {
  // N log2 V = 64 * 8 = 512 = B, no errors: the most optimistic rate 0 needs exactly B bits.
  const RecallObservation o{Integer(64), Integer(256), 6400, 0};
  const auto row = check_row(o, declared(512), confidence99);
  CHECK(row.verdict == Verdict::consistent);
  CHECK(row.bits_upper.contains(Rational(512)));
  CHECK(row.tightness.contains(Rational(1)));
  // One bit less and the same run needs more than the state holds: a violation.
  CHECK(check_row(o, declared(511), confidence99).verdict == Verdict::violation);
}

TEST_CASE("a cache that grows with N is flagged VIOLATION") {
  const Task task{256, 256, 40, 1024};  // state holds 128 of 256 values
  const auto row = check_row(caching_model(task, 1.0, 3), declared(1024), confidence99);
  CHECK(row.verdict == Verdict::violation);
  CHECK(row.bits_lower.is_bounded());
  CHECK(row.bits_lower.lower() > 1024);
  // A partial leak (30% of the missing values read from outside the state) is caught too.
  CHECK(check_row(caching_model(task, 0.3, 4), declared(1024), confidence99).verdict == Verdict::violation);
}

TEST_CASE("honest storing model over 100 seeds: no VIOLATION at confidence 0.99") {
  const Task task{256, 256, 40, 1024};
  std::size_t violations = 0;
  for (std::uint64_t seed = 1; seed <= 100; ++seed)
    violations += check_row(storing_model(task, seed), declared(1024), confidence99).verdict == Verdict::violation;
  CHECK(violations == 0);
}

TEST_CASE("honest model at capacity over 100 seeds: false alarms within the 1% the level allows") {
  // The hardest honest case: a symmetric channel whose Fano bits equal B on average. Each seed
  // alarms with probability <= 1%; 100 seeds give >= 5 alarms with probability < 0.4%.
  const Task task{512, 64, 20, 2000};
  std::size_t violations = 0, consistent = 0;
  for (std::uint64_t seed = 1; seed <= 100; ++seed) {
    const auto verdict = check_row(channel_model(task, seed), declared(2000), confidence99).verdict;
    violations += verdict == Verdict::violation;
    consistent += verdict == Verdict::consistent;
  }
  MESSAGE("at-capacity channel: " << violations << " VIOLATION, " << consistent << " CONSISTENT of 100");
  CHECK(violations <= 4);
  CHECK(consistent <= 4);  // at capacity the honest answer is INCONCLUSIVE
}

TEST_CASE("a model far below capacity is CONSISTENT: a borderline one INCONCLUSIVE") {
  const Task roomy{64, 256, 50, 4096};  // 64 * 8 = 512 bits needed at most
  CHECK(check_row(storing_model(roomy, 1), declared(4096), confidence99).verdict == Verdict::consistent);
  // A few queries at an error rate near capacity cannot decide.
  const RecallObservation few{Integer(100), Integer(16), 200, 40};
  CHECK(check_row(few, declared(260), confidence99).verdict == Verdict::inconclusive);
}

TEST_CASE("several rows share the confidence level (Bonferroni) and combine their verdicts") {
  const std::vector<RecallObservation> rows{{Integer(8), Integer(256), 800, 0}, {Integer(300), Integer(256), 30000, 0}};
  const auto report = check_rows(rows, {declared(1024), declared(1024)}, confidence99);
  CHECK(report.row_confidence == Rational(199, 200));
  CHECK(report.rows[0].verdict == Verdict::consistent);
  CHECK(report.rows[1].verdict == Verdict::violation);
  CHECK(report.verdict == Verdict::violation);
  CHECK(verdict_exit_code(report.verdict) == 10);
}

TEST_CASE("the error bounds behind a verdict bracket the observed rate") {
  const RecallObservation o{Integer(128), Integer(1024), 12800, 17};
  const auto row = check_row(o, declared(1000), confidence99);
  CHECK(row.error_rate == Rational(17, 12800));
  CHECK(row.bounds.lower < row.error_rate);
  CHECK(row.error_rate < row.bounds.upper);
  CHECK(row.bits_lower.upper() <= row.bits_estimate.lower());
  CHECK(row.bits_estimate.upper() <= row.bits_upper.lower());
}

TEST_CASE("bad input: confidence outside (0, 1), no queries") {
  const RecallObservation o{Integer(8), Integer(256), 80, 0};
  CHECK_THROWS_WITH(check_row(o, declared(10), Rational(1)),
                    "--confidence: 1 is out of range; the confidence level must be strictly between 0 and 1");
  CHECK_THROWS_WITH(check_row({Integer(8), Integer(256), 0, 0}, declared(10), confidence99),
                    "queries: 0 is out of range; the error rate needs at least one query");
}
