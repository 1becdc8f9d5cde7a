#pragma once
// The cross-check of a recall measurement against the recall bound. With N pairs, V values,
// `errors` wrong answers out of `queries`, and a state of B bits, Fano's inequality gives
//     I(values; answers) >= N * D(eps, V)      and the bound says   I <= B.
// The error rate is only estimated, so each row gets one-sided Clopper-Pearson bounds
// eps_lower <= eps <= eps_upper (each at the per-row confidence) and:
//   VIOLATION     N * D(eps_upper, V) > B   (even the most pessimistic error rate needs more bits)
//   CONSISTENT    N * D(eps_lower, V) <= B  (even the most optimistic error rate fits)
//   INCONCLUSIVE  otherwise.
// Both comparisons with B are exact (LogForm signs); eps_upper / eps_lower are exact rationals
// proven conservative (estimators/uncertainty.hpp). Several rows share the confidence level by
// Bonferroni: each row is tested at 1 - (1 - confidence) / rows.
#include "recallbound/estimators/uncertainty.hpp"
#include "recallbound/exact/interval.hpp"
#include "recallbound/exact/log_form.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace recallbound::verify {

enum class Verdict { consistent, violation, inconclusive };
std::string verdict_name(Verdict verdict);  // "CONSISTENT", "VIOLATION", "INCONCLUSIVE"
int verdict_exit_code(Verdict verdict);     // 0, 10, 11

/// The state's bits and where the number came from (for the report).
struct StateBits {
  LogForm bits;
  std::string source;  // e.g. "declared (--state-bits)", "4096 x bf16 (all encodings)", "run: state_bits_measured"
};

/// One recall measurement: N pairs of values from V symbols, `errors` wrong of `queries` scored.
struct RecallObservation {
  Integer pairs;
  Integer vocab;
  std::uint64_t queries = 0;
  std::uint64_t errors = 0;
};

struct RowCheck {
  RecallObservation observation;
  StateBits state;
  Rational error_rate;                 // errors / queries, exact
  estimators::ErrorRateBounds bounds;  // one-sided, at the per-row confidence
  Interval bits_lower{128};            // N * D(eps_upper, V), 0 when vacuous
  Interval bits_estimate{128};         // N * D(errors / queries, V)
  Interval bits_upper{128};            // N * D(eps_lower, V)
  Interval state_bits{128};            // enclosure of B
  Interval tightness{128};             // bits_estimate / B (unbounded when B = 0)
  Verdict verdict = Verdict::inconclusive;
  std::string explanation;
};

struct Report {
  Rational confidence;      // family-wise, as requested
  Rational row_confidence;  // after Bonferroni over the rows
  std::vector<RowCheck> rows;
  Verdict verdict = Verdict::inconclusive;  // VIOLATION if any row; CONSISTENT if all; else INCONCLUSIVE
  std::string explanation;
};

/// Checks confidence in (0, 1), throwing Error::bad_input naming --confidence.
Rational checked_confidence(const Rational& confidence);

/// Checks one row at `row_confidence` (no multiplicity adjustment).
RowCheck check_row(const RecallObservation& observation, const StateBits& state, const Rational& row_confidence);

/// Checks every row (same length vectors), adjusting for their number, and combines the verdicts.
Report check_rows(const std::vector<RecallObservation>& observations, const std::vector<StateBits>& states,
                  const Rational& confidence);

}  // namespace recallbound::verify
