#include "recallbound/bounds/capacity.hpp"

#include "recallbound/error.hpp"

#include <cmath>

namespace recallbound {
namespace {

// Significant decimal digits that every value in [lower, upper] shares (0 < lower <= upper).
int shared_digits(const Rational& lower, const Rational& upper, int at_most) {
  int shared = 0;
  for (int k = 1; k <= at_most; ++k) {
    if (rational_to_decimal(lower, k, false) != rational_to_decimal(upper, k, false)) break;
    shared = k;
  }
  return shared;
}

}  // namespace

MinErrorResult min_error(const Integer& pairs, const LogForm& state_bits, const Integer& vocab, int digits) {
  if (digits < 1 || digits > 1000)
    throw Error::bad_input("digits: " + std::to_string(digits) + " is out of range; it must be in [1, 1000]");
  checked_pairs(pairs);
  checked_vocab(Rational(vocab));
  if (state_bits.sign() < 0) throw Error::bad_input("state bits: " + state_bits.to_string() + " must be >= 0");

  MinErrorResult result;
  const Precision precision = static_cast<Precision>(3.33 * digits) + 64;
  result.derivation.push_back({"fano", "N * D(eps, V) <= B, D decreasing from log2 V at eps = 0 to 0 at eps = 1 - 1/V",
                               "D(0, V) = log2 " + vocab.str()});
  LogForm zero_error_bits = LogForm::log2_of(Rational(vocab), Rational(pairs));
  if ((state_bits - zero_error_bits).sign() >= 0) {
    result.zero_error_possible = true;
    result.min_error = Interval(precision);
    result.guaranteed_digits = digits;
    result.derivation.push_back({"zero-error", "N * log2 V <= B: the bound allows error 0", "0"});
    return result;
  }
  const Rational guessing = Rational(1) - Rational(Integer(1), vocab);
  auto excess = [&](const Rational& eps) {  // sign of N * D(eps) - B, exact
    return (recall_denominator(vocab, eps) * Rational(pairs) - state_bits).sign();
  };
  if (state_bits.sign() == 0) {
    result.min_error = Interval(guessing, precision);
    result.guaranteed_digits = digits;
    result.derivation.push_back({"guessing", "B = 0: only eps >= 1 - 1/V is allowed", to_exact_string(guessing)});
    return result;
  }
  // Invariant: excess(low) > 0 >= excess(high); the answer lies in (low, high].
  Rational low = 0, high = guessing;
  // Find a positive lower end geometrically so that tiny answers converge in relative terms.
  Rational probe = guessing / 2;
  while (excess(probe) <= 0) {
    high = probe;
    probe /= 16;
  }
  low = probe;
  const std::size_t max_steps = static_cast<std::size_t>(4 * 3.33 * digits) + 400;
  for (std::size_t step = 0; step < max_steps; ++step) {
    result.guaranteed_digits = shared_digits(low, high, digits);
    if (result.guaranteed_digits >= digits) break;
    Rational middle = (low + high) / 2;
    int s = excess(middle);
    if (s == 0) {
      low = high = middle;
      result.guaranteed_digits = digits;
      break;
    }
    (s > 0 ? low : high) = middle;
  }
  result.min_error = Interval(low, high, precision);
  result.derivation.push_back({"bisection", "exact sign of N * D(eps, V) - B at rational eps; the smallest allowed eps "
                               "lies in the enclosure", result.min_error.to_decimal(digits + 2)});
  return result;
}

}  // namespace recallbound
