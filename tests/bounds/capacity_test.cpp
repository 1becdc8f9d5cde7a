#include "recallbound/bounds/capacity.hpp"
#include "recallbound/error.hpp"

#include <doctest/doctest.h>

#include <random>

using namespace recallbound;

namespace {

// A second formula for D: the binary KL divergence D(Bern(eps) || Bern(1 - 1/V)) in bits.
LogForm kl_divergence(const Integer& vocab, const Rational& eps) {
  Rational guess = Rational(1) - Rational(Integer(1), vocab);
  LogForm kl;
  if (eps > 0) kl += LogForm::log2_of(eps / guess, eps);
  if (eps < 1) kl += LogForm::log2_of((Rational(1) - eps) / (Rational(1) - guess), Rational(1) - eps);
  return kl;
}

// Continued-fraction convergents p/q of a real enclosed by `value` (only those the enclosure decides).
std::vector<std::pair<Integer, Integer>> convergents(const Interval& value, std::size_t count) {
  std::vector<std::pair<Integer, Integer>> out;
  Rational x = (value.lower() + value.upper()) / 2;
  Integer p0 = 1, q0 = 0, p1 = floor_of(x), q1 = 1;
  out.emplace_back(p1, q1);
  Rational rest = x - Rational(p1);
  while (out.size() < count && rest != 0) {
    x = 1 / rest;
    Integer a = floor_of(x);
    rest = x - Rational(a);
    Integer p2 = a * p1 + p0, q2 = a * q1 + q0;
    p0 = p1; q0 = q1; p1 = p2; q1 = q2;
    out.emplace_back(p1, q1);
  }
  return out;
}

}  // namespace

TEST_CASE("D(eps, V) equals the binary KL divergence exactly, at random rational points") {
  std::mt19937_64 rng(3);
  for (int i = 0; i < 300; ++i) {
    Integer vocab = 2 + static_cast<long>(rng() % 100000);
    Rational eps(static_cast<long>(rng() % 1000), 1000 + static_cast<long>(rng() % 7));
    CHECK((recall_denominator(vocab, eps) - kl_divergence(vocab, eps)).is_zero());
  }
}

TEST_CASE("D is positive below guessing, zero at guessing") {
  CHECK(recall_denominator(8192, Rational(0)).exact_rational() == Rational(13));
  CHECK(recall_denominator(10, Rational(9, 10)).is_zero());
  CHECK(recall_denominator(2, Rational(1, 2)).is_zero());
  CHECK(recall_denominator(10, Rational(1, 10)).sign() == 1);
  CHECK(recall_denominator(10, Rational(899, 1000)).sign() == 1);
}

TEST_CASE("max_pairs is exact when B / D is an integer") {
  // V = 32, eps = 0: D = 5 exactly.
  CHECK(max_pairs(LogForm::constant(160), 32, Rational(0)).max_pairs == 32);
  CHECK(max_pairs(LogForm::constant(159), 32, Rational(0)).max_pairs == 31);
  CHECK(max_pairs(LogForm::constant(Rational(1601, 10)), 32, Rational(0)).max_pairs == 32);
  // fp16 distinct-value bits over V = 63487 at eps = 0: B / D = m exactly, with irrational B and D.
  LogForm bits = LogForm::log2_of(Rational(63487), Rational(4096));
  CapacityResult r = max_pairs(bits, 63487, Rational(0));
  CHECK(r.max_pairs == 4096);
  CHECK(r.trace.used_exact_zero_test);
  CHECK(max_pairs(LogForm::constant(0), 2, Rational(0)).max_pairs == 0);
}

TEST_CASE("eps at, just below and just above 1 - 1/V") {
  const Integer vocab = 1000;
  const Rational guess = Rational(999, 1000);
  const Rational tiny(1, Integer("1000000000000000000000000000000"));
  CHECK(max_pairs(LogForm::constant(1024), vocab, guess).unbounded);
  CHECK(max_pairs(LogForm::constant(1024), vocab, guess + tiny).unbounded);
  CHECK(max_pairs(LogForm::constant(1024), vocab, Rational(1)).unbounded);
  CapacityResult below = max_pairs(LogForm::constant(1024), vocab, guess - tiny);
  CHECK_FALSE(below.unbounded);
  // Near guessing D ~ (guess - eps)^2 / (2 ln 2 * guess * (1 - guess)), so B / D ~ 1e60 * 1024 * 1.385e-3.
  CHECK(below.max_pairs > Integer("1000000000000000000000000000000000000000000000000000000000"));
  CHECK(below.max_pairs < Integer("10000000000000000000000000000000000000000000000000000000000000"));
}

TEST_CASE("floor(B / D) within 1e-12 of an integer, both sides, matches a 4096-bit evaluation") {
  for (auto [vocab, eps] : {std::pair{Integer(8192), Rational(1, 100)}, std::pair{Integer(3), Rational(0)},
                            std::pair{Integer(50257), Rational(1, 1000)}}) {
    LogForm d = recall_denominator(vocab, eps);
    auto cf = convergents(d.enclose(1024), 40);
    int close_cases = 0;
    for (auto [p, q] : cf) {
      if (p <= 0 || q > Integer("1000000000000000000000")) continue;
      CapacityResult r = max_pairs(LogForm::constant(Rational(p)), vocab, eps);
      Interval reference = Interval(Rational(p), 4096) / d.enclose(4096);
      Integer expected = floor_of(reference.lower());
      REQUIRE(expected == floor_of(reference.upper()));
      CHECK(r.max_pairs == expected);
      // |p / D - q| < 1/(q D): the interesting cases are the ones within 1e-12 of the integer q.
      Rational distance = reference.lower() - Rational(q);
      if (distance < 0) distance = -distance;
      if (distance < Rational(1, Integer("1000000000000"))) ++close_cases;
    }
    CHECK(close_cases >= 2);
  }
}

TEST_CASE("min_state_bits is ceil(N D), exact at integers") {
  CHECK(min_state_bits(1000, 1024, Rational(0)).min_bits == 10000);
  CHECK(min_state_bits(0, 1024, Rational(1, 10)).min_bits == 0);
  CHECK(min_state_bits(10, 10, Rational(9, 10)).vacuous);
  MinBitsResult r = min_state_bits(81989, 8192, Rational(1, 100));
  // consistent with max_pairs: B = min_bits allows N pairs, B = min_bits - 1 does not.
  CHECK(max_pairs(LogForm::constant(Rational(r.min_bits)), 8192, Rational(1, 100)).max_pairs >= 81989);
  CHECK(max_pairs(LogForm::constant(Rational(r.min_bits - 1)), 8192, Rational(1, 100)).max_pairs < 81989);
  CHECK(r.information.contains(Rational(1048575)) == false);
}

TEST_CASE("min_error encloses the root of N D(eps, V) = B") {
  std::mt19937_64 rng(11);
  for (int i = 0; i < 20; ++i) {
    Integer vocab = 2 + static_cast<long>(rng() % 5000);
    Integer pairs = 1 + static_cast<long>(rng() % 10000);
    Rational bits(static_cast<long>(rng() % 50000) + 1, 3);
    MinErrorResult r = min_error(pairs, LogForm::constant(bits), vocab, 30);
    if (r.zero_error_possible) {
      CHECK((LogForm::constant(bits) - LogForm::log2_of(Rational(vocab), Rational(pairs))).sign() >= 0);
      continue;
    }
    CHECK(r.guaranteed_digits >= 30);
    Rational lo = r.min_error.lower(), hi = r.min_error.upper();
    // Above the enclosure N D <= B holds; strictly below it N D > B.
    CHECK((recall_denominator(vocab, hi) * Rational(pairs) - LogForm::constant(bits)).sign() <= 0);
    if (lo > 0) CHECK((recall_denominator(vocab, lo) * Rational(pairs) - LogForm::constant(bits)).sign() >= 0);
    CHECK(max_pairs(LogForm::constant(bits), vocab, hi).max_pairs >= pairs);
  }
}

TEST_CASE("bad inputs name the field and the range") {
  CHECK_THROWS_WITH_AS(checked_vocab(Rational(1)), "vocab: 1 is out of range; the vocabulary size must be an integer >= 2", Error);
  CHECK_THROWS_WITH_AS(checked_vocab(Rational(5, 2)), "vocab: 5/2 is out of range; the vocabulary size must be an integer >= 2", Error);
  CHECK_THROWS_WITH_AS(checked_error(Rational(3, 2)), "error: 3/2 is out of range; the error rate must be in [0, 1]", Error);
  CHECK_THROWS_WITH_AS(checked_error(Rational(-1, 10)), "error: -1/10 is out of range; the error rate must be in [0, 1]", Error);
  CHECK_THROWS_AS((void)max_pairs(LogForm::constant(-1), 2, Rational(0)), Error);
  CHECK_THROWS_WITH_AS(min_state_bits(-1, 2, Rational(0)), "pairs: -1 is out of range; it must be an integer >= 0", Error);
  CHECK(checked_pairs(Integer(0)) == 0);
}
