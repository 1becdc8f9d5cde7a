// Verdicts: Clopper-Pearson bounds on the error rate, Fano bits at each end, exact comparison
// with the state's bits.
#include "recallbound/verify/check.hpp"

#include "recallbound/bounds/capacity.hpp"
#include "recallbound/error.hpp"

#include <iomanip>
#include <sstream>

namespace recallbound::verify {
namespace {

constexpr Precision report_precision = 128;

// N * D(eps, V), or 0 where the bound is vacuous (eps >= 1 - 1/V: Fano promises nothing).
Interval fano_bits(const RecallObservation& o, const Rational& eps) {
  if (is_vacuous(o.vocab, eps)) return Interval(report_precision);
  return info_bits(o.pairs, o.vocab, eps, report_precision);
}

// Exactly: N * D(eps, V) > B ?
bool fano_bits_exceed(const RecallObservation& o, const Rational& eps, const LogForm& state_bits) {
  if (is_vacuous(o.vocab, eps)) return state_bits.sign() < 0;  // 0 > B only for B < 0, rejected earlier
  const LogForm difference = recall_denominator(o.vocab, eps) * Rational(o.pairs) - state_bits;
  return difference.sign() > 0;
}

// Seven significant digits rounded in the stated direction, printed plainly ("828.4392").
std::string decimal(const Rational& value, bool up) {
  const Rational rounded = value == 0 ? Rational(0) : parse_rational(rational_to_decimal(value, 7, up), "display");
  std::ostringstream out;
  out << std::setprecision(7) << to_display_double(rounded);
  return out.str();
}
std::string at_least(const Interval& bits) { return decimal(bits.lower(), false); }
std::string at_most(const Interval& bits) { return decimal(bits.upper(), true); }

}  // namespace

std::string verdict_name(Verdict verdict) {
  switch (verdict) {
    case Verdict::consistent: return "CONSISTENT";
    case Verdict::violation: return "VIOLATION";
    case Verdict::inconclusive: return "INCONCLUSIVE";
  }
  return "INCONCLUSIVE";
}

int verdict_exit_code(Verdict verdict) {
  switch (verdict) {
    case Verdict::consistent: return 0;
    case Verdict::violation: return 10;
    case Verdict::inconclusive: return 11;
  }
  return 11;
}

Rational checked_confidence(const Rational& confidence) {
  if (!(confidence > 0 && confidence < 1))
    throw Error::bad_input("--confidence: " + to_exact_string(confidence) +
                           " is out of range; the confidence level must be strictly between 0 and 1");
  return confidence;
}

RowCheck check_row(const RecallObservation& observation, const StateBits& state, const Rational& row_confidence) {
  checked_confidence(row_confidence);
  if (observation.pairs < 1)
    throw Error::bad_input("pairs: " + observation.pairs.str() + " is out of range; the pairs must be >= 1");
  checked_vocab(Rational(observation.vocab));
  if (state.bits.sign() < 0) throw Error::bad_input("state bits: negative; the state's bits must be >= 0");

  RowCheck row;
  row.observation = observation;
  row.state = state;
  row.error_rate = Rational(observation.errors) / Rational(observation.queries == 0 ? 1 : observation.queries);
  row.bounds = estimators::clopper_pearson(observation.errors, observation.queries, row_confidence);
  row.bits_lower = fano_bits(observation, row.bounds.upper);
  row.bits_estimate = fano_bits(observation, row.error_rate);
  row.bits_upper = fano_bits(observation, row.bounds.lower);
  row.state_bits = state.bits.enclose(report_precision);
  row.tightness = row.bits_estimate / row.state_bits;

  const std::string level = decimal(row_confidence, false);
  const std::string b = at_most(row.state_bits) == at_least(row.state_bits)
                            ? at_most(row.state_bits)
                            : "[" + at_least(row.state_bits) + ", " + at_most(row.state_bits) + "]";
  if (fano_bits_exceed(observation, row.bounds.upper, state.bits)) {
    row.verdict = Verdict::violation;
    row.explanation = "At confidence " + level + " the error rate is at most " + decimal(row.bounds.upper, true) +
                      ", so by Fano the answers carry at least " + at_least(row.bits_lower) +
                      " bits about the values, more than the state's " + b +
                      " bits: the state accounting is wrong or information reaches the answers another way.";
  } else if (!fano_bits_exceed(observation, row.bounds.lower, state.bits)) {
    row.verdict = Verdict::consistent;
    row.explanation = "At confidence " + level + " the error rate is at least " + decimal(row.bounds.lower, false) +
                      ", so the bits Fano requires (at most " + at_most(row.bits_upper) +
                      ") fit in the state's " + b + " bits.";
  } else {
    row.verdict = Verdict::inconclusive;
    row.explanation = "At confidence " + level + " the error rate lies in [" + decimal(row.bounds.lower, false) +
                      ", " + decimal(row.bounds.upper, true) + "], so the bits Fano requires range from " +
                      at_least(row.bits_lower) + " to " + at_most(row.bits_upper) +
                      ", on both sides of the state's " + b + " bits; more queries would decide.";
  }
  return row;
}

Report check_rows(const std::vector<RecallObservation>& observations, const std::vector<StateBits>& states,
                  const Rational& confidence) {
  checked_confidence(confidence);
  if (observations.empty()) throw Error::bad_input("rows: none; a recall run needs at least one row");
  if (observations.size() != states.size()) throw Error::internal("check_rows: one state per row expected");
  Report report;
  report.confidence = confidence;
  report.row_confidence = Rational(1) - (Rational(1) - confidence) / Rational(observations.size());
  std::size_t violations = 0, consistent = 0;
  for (std::size_t i = 0; i < observations.size(); ++i) {
    report.rows.push_back(check_row(observations[i], states[i], report.row_confidence));
    if (report.rows.back().verdict == Verdict::violation) ++violations;
    if (report.rows.back().verdict == Verdict::consistent) ++consistent;
  }
  const std::string of = " of " + std::to_string(observations.size()) + " row" + (observations.size() > 1 ? "s" : "");
  if (violations > 0) {
    report.verdict = Verdict::violation;
    report.explanation = std::to_string(violations) + of + " recalled more than the state can hold, at family-wise confidence " +
                         decimal(confidence, false) + ".";
  } else if (consistent == observations.size()) {
    report.verdict = Verdict::consistent;
    report.explanation = "All" + of + " fit within the state's bits at family-wise confidence " + decimal(confidence, false) + ".";
  } else {
    report.verdict = Verdict::inconclusive;
    report.explanation = std::to_string(observations.size() - consistent) + of +
                         " could not be decided at family-wise confidence " + decimal(confidence, false) +
                         "; none shows a violation.";
  }
  return report;
}

}  // namespace recallbound::verify
