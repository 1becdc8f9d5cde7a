#include "recallbound/bounds/capacity.hpp"

#include "recallbound/error.hpp"

namespace recallbound {
namespace {

constexpr Precision display_precision = 128;
constexpr int display_digits = 25;

std::string statement_of_bound() {
  return "I(values; answers | Q) <= I(values; S_T | Q) <= H(S_T) <= B (data processing given the queries Q, "
         "then H(S_T) <= log2 |states|)";
}

std::string statement_of_fano() {
  return "I(values; answers | Q) >= N * D(eps, V), D = log2 V - h2(eps) - eps*log2(V-1) (Fano per query, "
         "independence of the N values, concavity of h2(e) + e*log2(V-1) over the average error)";
}

}  // namespace

Integer checked_vocab(const Rational& vocab) {
  if (denominator(vocab) != 1 || vocab < 2)
    throw Error::bad_input("vocab: " + to_exact_string(vocab) +
                           " is out of range; the vocabulary size must be an integer >= 2");
  return numerator(vocab);
}

const Integer& checked_pairs(const Integer& pairs) {
  if (pairs < 0) throw Error::bad_input("pairs: " + pairs.str() + " is out of range; it must be an integer >= 0");
  return pairs;
}

Rational checked_error(const Rational& error) {
  if (error < 0 || error > 1)
    throw Error::bad_input("error: " + to_exact_string(error) + " is out of range; the error rate must be in [0, 1]");
  return error;
}

Rational checked_nonnegative(const Rational& value, const std::string& field) {
  if (value < 0)
    throw Error::bad_input(field + ": " + to_exact_string(value) + " is out of range; it must be >= 0");
  return value;
}

LogForm recall_denominator(const Integer& vocab, const Rational& error) {
  // D = log2 V + eps*log2(eps) + (1-eps)*log2(1-eps) - eps*log2(V-1), with 0*log2(0) = 0.
  LogForm d = LogForm::log2_of(Rational(vocab));
  if (error > 0) d += LogForm::log2_of(error, error);
  Rational complement = Rational(1) - error;
  if (complement > 0) d += LogForm::log2_of(complement, complement);
  if (error > 0 && vocab > 2) d += LogForm::log2_of(Rational(vocab - 1), Rational(-error));
  return d;
}

bool is_vacuous(const Integer& vocab, const Rational& error) {
  return error >= Rational(1) - Rational(Integer(1), vocab);
}

CapacityResult max_pairs(const LogForm& state_bits, const Integer& vocab, const Rational& error) {
  CapacityResult result;
  if (vocab < 2) checked_vocab(Rational(vocab));
  checked_error(error);
  if (state_bits.sign() < 0) throw Error::bad_input("state bits: " + state_bits.to_string() + " must be >= 0");
  LogForm d = recall_denominator(vocab, error);
  result.derivation.push_back({"state-bits", "B = " + state_bits.to_string(),
                               state_bits.enclose(display_precision).to_decimal(display_digits)});
  result.derivation.push_back({"data-processing", statement_of_bound(), "B"});
  if (is_vacuous(vocab, error)) {
    result.unbounded = true;
    result.denominator = d.enclose(display_precision);
    result.derivation.push_back({"vacuous", "eps >= 1 - 1/V: guessing uniformly already reaches error eps, so the "
                                 "answers need carry no information and no N is excluded",
                                 to_exact_string(error) + " >= " + to_exact_string(Rational(1) - Rational(Integer(1), vocab))});
    return result;
  }
  result.derivation.push_back({"fano", statement_of_fano(), "D = " + d.to_string()});
  result.max_pairs = floor_ratio_exact(state_bits, d, &result.trace);
  Precision shown = std::max(display_precision, result.trace.precision_bits);
  result.denominator = d.enclose(shown);
  result.ratio = state_bits.enclose(shown) / result.denominator;
  result.derivation.push_back({"divide", "N * D <= B with D > 0 gives N <= B / D", result.ratio.to_decimal(display_digits)});
  result.derivation.push_back({"floor", "N is an integer: N <= floor(B / D), decided exactly" +
                                            std::string(result.trace.used_exact_zero_test ? " (exact zero test used)" : ""),
                               result.max_pairs.str()});
  return result;
}

MinBitsResult min_state_bits(const Integer& pairs, const Integer& vocab, const Rational& error) {
  MinBitsResult result;
  checked_pairs(pairs);
  checked_vocab(Rational(vocab));
  checked_error(error);
  if (is_vacuous(vocab, error)) {
    result.vacuous = true;
    result.min_bits = 0;
    result.information = Interval(display_precision);
    result.derivation.push_back({"vacuous", "eps >= 1 - 1/V: the bound requires no state", "0"});
    return result;
  }
  LogForm d = recall_denominator(vocab, error);
  LogForm information = d * Rational(pairs);
  result.derivation.push_back({"fano", statement_of_fano(), "D = " + d.to_string()});
  result.derivation.push_back({"data-processing", statement_of_bound(), "B >= N * D"});
  result.min_bits = ceil_exact(information, &result.trace);
  result.information = information.enclose(std::max(display_precision, result.trace.precision_bits));
  result.derivation.push_back({"ceil", "B counts whole bits: B >= ceil(N * D), decided exactly" +
                                           std::string(result.trace.used_exact_zero_test ? " (exact zero test used)" : ""),
                               result.min_bits.str()});
  return result;
}

Interval info_bits(const Integer& pairs, const Integer& vocab, const Rational& error, Precision precision) {
  checked_vocab(Rational(vocab));
  checked_error(error);
  checked_pairs(pairs);
  if (is_vacuous(vocab, error)) return Interval(precision);
  return (recall_denominator(vocab, error) * Rational(pairs)).enclose(precision);
}

}  // namespace recallbound
