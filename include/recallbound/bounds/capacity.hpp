#pragma once
// The recall-capacity bound, certified. With N key-value pairs, values uniform over V symbols,
// average per-query error eps, the query keys conditioned on, and a state of B bits:
//     N * D(eps, V) <= B,   D(eps, V) = log2 V - h2(eps) - eps * log2(V - 1),
// D being the binary KL divergence D(Bern(eps) || Bern(1 - 1/V)) in bits. For eps >= 1 - 1/V the
// bound says nothing ("unbounded"). Every integer answer is exact; every real answer an enclosure.
#include "recallbound/exact/log_form.hpp"

#include <optional>
#include <string>
#include <vector>

namespace recallbound {

/// Validated inputs; each check throws Error::bad_input naming the field and its range.
Integer checked_vocab(const Rational& vocab);            // integer >= 2
const Integer& checked_pairs(const Integer& pairs);      // integer >= 0
Rational checked_error(const Rational& error);           // 0 <= eps <= 1
Rational checked_nonnegative(const Rational& value, const std::string& field);

/// D(eps, V) as an exact log form (a closed expression in log2 of rationals).
LogForm recall_denominator(const Integer& vocab, const Rational& error);
/// True when eps >= 1 - 1/V, where D <= 0 ... the bound is vacuous (decided exactly).
bool is_vacuous(const Integer& vocab, const Rational& error);

/// One line of a derivation: the rule or inequality used, and the numbers it produced.
struct DerivationStep {
  std::string rule;       // e.g. "fano", "data-processing", "floor"
  std::string statement;  // the inequality or identity, in words and symbols
  std::string value;      // exact value or enclosure, as printed
};

struct CapacityResult {
  bool unbounded = false;      // eps >= 1 - 1/V
  Integer max_pairs;           // floor(B / D) when bounded
  Interval denominator{64};    // enclosure of D(eps, V)
  Interval ratio{64};          // enclosure of B / D when bounded
  DecisionTrace trace;
  std::vector<DerivationStep> derivation;
};

/// max N with N * D(eps, V) <= B.
CapacityResult max_pairs(const LogForm& state_bits, const Integer& vocab, const Rational& error);

struct MinBitsResult {
  Integer min_bits;            // ceil(N * D); 0 when vacuous
  bool vacuous = false;
  Interval information{64};    // enclosure of N * D
  DecisionTrace trace;
  std::vector<DerivationStep> derivation;
};

/// min B with N * D(eps, V) <= B, as an integer number of bits.
MinBitsResult min_state_bits(const Integer& pairs, const Integer& vocab, const Rational& error);

/// Enclosure of N * D(eps, V) (the bits the answers must carry), at `precision` bits.
Interval info_bits(const Integer& pairs, const Integer& vocab, const Rational& error, Precision precision = 128);

struct MinErrorResult {
  bool zero_error_possible = false;  // N * log2 V <= B: the bound allows eps = 0
  Interval min_error{64};            // encloses the smallest eps with N * D(eps, V) <= B
  int guaranteed_digits = 0;         // significant decimal digits shared by both endpoints
  std::vector<DerivationStep> derivation;
};

/// Smallest eps in [0, 1 - 1/V] with N * D(eps, V) <= B, enclosed to `digits` significant digits.
MinErrorResult min_error(const Integer& pairs, const LogForm& state_bits, const Integer& vocab, int digits = 30);

}  // namespace recallbound
