#include "recallbound/bounds/state_bits.hpp"
#include "recallbound/error.hpp"

#include <doctest/doctest.h>

#include <set>

using namespace recallbound;

namespace {

// Decodes every bit pattern of a small binary float format to its exact value and counts the
// distinct finite ones. `finite_top` says whether the all-ones exponent holds finite values
// (OCP E4M3: only the all-ones mantissa there is NaN, and there are no infinities).
std::size_t count_finite_by_enumeration(unsigned exponent_bits, unsigned mantissa_bits, bool finite_top) {
  const unsigned bias = (1u << (exponent_bits - 1)) - 1;
  const unsigned top = (1u << exponent_bits) - 1;
  std::set<Rational> values;
  for (unsigned pattern = 0; pattern < (1u << (1 + exponent_bits + mantissa_bits)); ++pattern) {
    unsigned mantissa = pattern & ((1u << mantissa_bits) - 1);
    unsigned exponent = (pattern >> mantissa_bits) & top;
    bool negative = (pattern >> (mantissa_bits + exponent_bits)) & 1u;
    if (exponent == top && (!finite_top || mantissa == (1u << mantissa_bits) - 1)) continue;  // inf / NaN
    Rational significand = exponent == 0 ? Rational(mantissa, 1u << mantissa_bits)
                                         : Rational(mantissa + (1u << mantissa_bits), 1u << mantissa_bits);
    int e = exponent == 0 ? 1 - static_cast<int>(bias) : static_cast<int>(exponent) - static_cast<int>(bias);
    Rational scale = e >= 0 ? Rational(Integer(1) << e) : Rational(Integer(1), Integer(1) << -e);
    Rational value = significand * scale;
    values.insert(negative ? Rational(-value) : value);
  }
  return values.size();
}

}  // namespace

TEST_CASE("finite-value counts match an enumeration of every bit pattern") {
  CHECK(number_format("fp16").finite_values == count_finite_by_enumeration(5, 10, false));
  CHECK(number_format("bf16").finite_values == count_finite_by_enumeration(8, 7, false));
  CHECK(number_format("fp8-e5m2").finite_values == count_finite_by_enumeration(5, 2, false));
  CHECK(number_format("fp8-e4m3").finite_values == count_finite_by_enumeration(4, 3, true));
  CHECK(number_format("fp16").finite_values == 63487);
  CHECK(number_format("fp32").finite_values == Integer("4278190079"));
  CHECK(number_format("fp64").finite_values == (Integer(1) << 64) - (Integer(1) << 53) - 1);
  CHECK(number_format("int8").finite_values == 256);
  CHECK(number_format("bits12").bits == 12);
}

TEST_CASE("state bits of each accounting") {
  CHECK(format_state_bits(4096, number_format("bf16"), CountingMode::all_encodings).exact_rational() == Rational(65536));
  LogForm distinct = format_state_bits(4096, number_format("bf16"), CountingMode::distinct_finite);
  CHECK_FALSE(distinct.exact_rational().has_value());
  CHECK((LogForm::constant(65536) - distinct).sign() == 1);  // distinct values are fewer than encodings
  CHECK(format_state_bits(10, number_format("int4"), CountingMode::distinct_finite).exact_rational() == Rational(40));
  // covering: m log2(1 + 2RL/delta) with 2RL/delta = 7 gives 3 bits per number.
  CHECK(covering_state_bits(5, Rational(7), Rational(1), Rational(2)).exact_rational() == Rational(15));
  // Gaussian: (m/2) log2(1 + 15) = 2m.
  CHECK(gaussian_state_bits(6, Rational(15)).exact_rational() == Rational(12));
}

TEST_CASE("unknown formats and bad parameters are rejected with the field named") {
  CHECK_THROWS_WITH_AS(number_format("fp12"),
                       "precision: unknown format 'fp12'; known formats: fp64, fp32, fp16, bf16, fp8-e4m3, fp8-e5m2, "
                       "intN (N in 1..64), uintN (N in 1..64), bitsN (N in 1..1024)", Error);
  CHECK_THROWS_WITH_AS(number_format("int0"), "precision: 'int0' has width out of range; N must be in 1..64", Error);
  CHECK_THROWS_WITH_AS(covering_state_bits(1, Rational(1), Rational(1), Rational(0)), "delta: 0 must be > 0", Error);
  CHECK_THROWS_WITH_AS(gaussian_state_bits(1, Rational(-1)), "snr: -1 must be >= 0", Error);
}
