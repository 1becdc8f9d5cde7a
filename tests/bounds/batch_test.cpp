// The batch fast path (capacity_row_fast) against the MPFI engine (max_pairs, exact zero tests) and
// 256- to 4096-bit enclosures of D: it may decline any row, but a row it decides must be exact.
#include "exact/rational_log_oracle.hpp"
#include "recallbound/bounds/batch.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <utility>
#include <vector>

using namespace recallbound;

namespace {

using test::exact;
Rational as_rational(const SmallRational& q) { return Rational(Integer(q.numerator), Integer(q.denominator)); }

Integer reference_floor(const Rational& bits, std::uint64_t vocab, const Rational& error) {
  Interval ratio = Interval(bits, 4096) / recall_denominator(Integer(vocab), error).enclose(4096);
  Integer result = floor_of(ratio.lower());
  REQUIRE(result == floor_of(ratio.upper()));  // the rows below are never exact integers here
  return result;
}

// The last four continued-fraction convergents p/q (p, q < 2^64) of the midpoint of `value` (> 1).
std::vector<std::pair<Integer, Integer>> convergents_below_2_64(const Interval& value) {
  const Integer limit = Integer(1) << 64;
  std::vector<std::pair<Integer, Integer>> out;
  Rational x = (value.lower() + value.upper()) / 2;
  Integer p0 = 1, q0 = 0, p1 = floor_of(x), q1 = 1;
  Rational rest = x - Rational(p1);
  while (p1 < limit && rest != 0) {
    out.emplace_back(p1, q1);
    x = 1 / rest;
    Integer a = floor_of(x);
    rest = x - Rational(a);
    Integer p2 = a * p1 + p0, q2 = a * q1 + q0;
    p0 = p1; q0 = q1; p1 = p2; q1 = q2;
  }
  if (out.size() > 4) out.erase(out.begin(), out.end() - 4);
  return out;
}

struct Outcome {
  bool decided = false;
  bool agrees = true;
};

// Runs one row through the fast path; when decided, checks the floor and the enclosure of D.
Outcome check_row(const SmallRational& bits, std::uint64_t vocab, const SmallRational& error) {
  Outcome outcome;
  auto fast = capacity_row_fast(bits, vocab, error);
  CapacityResult engine = max_pairs(LogForm::constant(as_rational(bits)), Integer(vocab), as_rational(error));
  if (!fast) return outcome;
  outcome.decided = true;
  Interval d = recall_denominator(Integer(vocab), as_rational(error)).enclose(256);
  outcome.agrees = !engine.unbounded && fast->max_pairs == engine.max_pairs &&
                   exact(fast->denominator_lower) <= d.lower() && d.upper() <= exact(fast->denominator_upper);
  return outcome;
}

}  // namespace

TEST_CASE("capacity_row_fast: exact floor and an enclosure of D at random rational rows") {
  std::mt19937_64 rng(31);
  std::size_t rows = 0, ordinary = 0, ordinary_decided = 0;
  for (int i = 0; i < 1500; ++i) {
    std::uint64_t vocab = 2 + rng() % (i % 3 == 0 ? 100 : i % 3 == 1 ? (1u << 20) : (1ULL << 51));
    // eps = p/q with q up to 10^6, 10^12 or near 2^64 (then the conversions to double round).
    std::uint64_t q = i % 4 == 3 ? ~0ULL - rng() % 1000 : 1 + rng() % (i % 2 ? 1000000ULL : 1000000000000ULL);
    std::uint64_t p = i % 10 == 0 ? 0 : rng() % q;
    SmallRational error{p, q};
    if (Rational(Integer(p), Integer(q)) >= 1 - Rational(Integer(1), Integer(vocab))) continue;
    SmallRational bits = i % 5 == 4 ? SmallRational{1 + rng() % (1ULL << 62), 1 + rng() % 1000}
                                    : SmallRational{1 + rng() % (1ULL << 27), 1};
    Outcome outcome = check_row(bits, vocab, error);
    ++rows;
    CHECK(outcome.agrees);
    // Ordinary rows (the benchmark's kind: V <= 2^20, q <= 10^6, integer B <= 2^27) must mostly be decided.
    if (i % 3 != 2 && i % 2 == 1 && i % 4 != 3 && i % 5 != 4) {
      ++ordinary;
      if (outcome.decided) ++ordinary_decided;
    }
  }
  CHECK(rows > 1000);
  CHECK(ordinary > 150);
  CHECK(ordinary_decided * 100 >= ordinary * 98);
}

TEST_CASE("capacity_row_fast near integers: B/D within 1e-12 of an integer, both sides") {
  std::size_t close_cases = 0;
  for (auto [vocab, error] : {std::pair{std::uint64_t(8192), SmallRational{1, 100}},
                              std::pair{std::uint64_t(3), SmallRational{0, 1}},
                              std::pair{std::uint64_t(50257), SmallRational{1, 1000}},
                              std::pair{std::uint64_t(1000003), SmallRational{999, 1000}}}) {
    Interval d = recall_denominator(Integer(vocab), as_rational(error)).enclose(1024);
    for (std::uint64_t k : {1000003ULL, 123456789ULL, 98765432123ULL, 4000000000000000ULL}) {
      // B = floor(k D) and ceil(k D) put B/D just below and just above k.
      Interval kd = Interval(Rational(Integer(k)), 1024) * d;
      Integer below = floor_of(kd.lower()), above = below + 1;
      for (const Integer& b : {below, above}) {
        if (b >= (Integer(1) << 64)) continue;
        SmallRational bits{b.convert_to<std::uint64_t>(), 1};
        Integer expected = reference_floor(as_rational(bits), vocab, as_rational(error));
        auto fast = capacity_row_fast(bits, vocab, error);
        if (fast) CHECK(fast->max_pairs == expected);
        CHECK(capacity_row(as_rational(bits), Integer(vocab), as_rational(error)).max_pairs == expected);
      }
      // B = p/q, the last continued-fraction convergents of k D with p, q < 2^64: |B/D - k| < 1/(q^2 D),
      // alternately below and above k.
      for (const auto& [p, q] : convergents_below_2_64(kd)) {
        SmallRational bits{p.convert_to<std::uint64_t>(), q.convert_to<std::uint64_t>()};
        Rational b = as_rational(bits);
        Rational gap = (Interval(b, 1024) / d).lower() - Rational(Integer(k));
        if ((gap < 0 ? Rational(-gap) : gap) < Rational(1, Integer(1000000000000LL))) ++close_cases;
        Integer expected = reference_floor(b, vocab, as_rational(error));
        auto fast = capacity_row_fast(bits, vocab, error);
        if (fast) CHECK(fast->max_pairs == expected);
        CHECK(capacity_row(b, Integer(vocab), as_rational(error)).max_pairs == expected);
      }
    }
  }
  MESSAGE("rows within 1e-12 of an integer: ", close_cases);
  CHECK(close_cases >= 40);
}

TEST_CASE("capacity_row within 1e-30 of an integer: beyond 64 bits the fast path is skipped, the answer exact") {
  for (int side : {0, 1}) {
    std::uint64_t vocab = 32000;
    Rational error(1, 100);
    Interval d = recall_denominator(Integer(vocab), error).enclose(2048);
    Integer k("1000000000000000000007");
    // B = k D rounded to a multiple of 2^-200, just below or just above: |B/D - k| < 2^-190 < 1e-30.
    Interval scaled_kd = Interval(Rational(k), 2048) * d * Interval(Rational(Integer(1) << 200), 2048);
    Integer scaled = floor_of(scaled_kd.lower()) + side;
    Rational bits(scaled, Integer(1) << 200);
    Interval ratio = Interval(bits, 2048) / d;
    Rational gap = ratio.lower() - Rational(k);
    CHECK((gap < 0 ? Rational(-gap) : gap) < Rational(1, Integer("1000000000000000000000000000000")));
    CHECK(capacity_row(bits, Integer(vocab), error).max_pairs == (side ? k : Integer(k - 1)));
  }
}

TEST_CASE("capacity_row_fast at exact integers B/D: declines or answers exactly") {
  // V = 2^j + 1, eps = 1/V: D = j (V - 2) / V exactly (the logs cancel), so B = n j (V - 2) gives B/D = n V.
  // V = 2^j, eps = 0: D = j, B = n j gives B/D = n.
  for (std::uint64_t j : {1, 2, 5, 13, 20, 40}) {
    for (std::uint64_t n : {1, 7, 1000, 123457}) {
      std::uint64_t vocab = (std::uint64_t(1) << j) + 1;
      for (std::uint64_t delta : {0, 1}) {  // B exact, and one bit less (B/D = nV - V/(j(V-2)))
        if (n * j * (vocab - 2) >= (std::uint64_t(1) << 62)) continue;
        std::uint64_t b = n * j * (vocab - 2) - delta;
        Integer expected = floor_of(Rational(Integer(b) * vocab, Integer(j) * (vocab - 2)));
        if (delta == 0) CHECK(expected == Integer(n * vocab));
        auto fast = capacity_row_fast({b, 1}, vocab, {1, vocab});
        if (fast) CHECK(fast->max_pairs == expected);
        CHECK(capacity_row(Rational(Integer(b)), Integer(vocab), Rational(Integer(1), Integer(vocab))).max_pairs ==
              expected);
      }
      std::uint64_t power = std::uint64_t(1) << j;
      for (std::uint64_t delta : {0, 1}) {
        std::uint64_t b = n * j - delta;
        Integer expected = delta == 0 ? Integer(n) : Integer(n - 1);
        auto fast = capacity_row_fast({b, 1}, power, {0, 1});
        if (fast) CHECK(fast->max_pairs == expected);
        CHECK(capacity_row(Rational(Integer(b)), Integer(power), Rational(0)).max_pairs == expected);
      }
    }
  }
}

TEST_CASE("capacity_row_fast with eps at 1 - 1/V (vacuous) and just below it") {
  for (std::uint64_t vocab : {2ULL, 3ULL, 1000ULL, 1048576ULL, (1ULL << 51) + 3}) {
    SmallRational guessing{vocab - 1, vocab};
    CHECK_FALSE(capacity_row_fast({1000, 1}, vocab, guessing).has_value());
    CHECK(capacity_row(Rational(1000), Integer(vocab), as_rational(guessing)).unbounded);
    // Just below guessing: eps = (V-1)/V - 1/(V 10^6) and - 1/(V 10^3); D is tiny but positive.
    for (std::uint64_t scale : {1000ULL, 1000000ULL}) {
      if (vocab > (1ULL << 40)) scale = 1000;  // keep V * scale below 2^64
      SmallRational error{(vocab - 1) * scale - 1, vocab * scale};
      for (std::uint64_t bits : {1ULL, 1000ULL, 1ULL << 27}) {
        Outcome outcome = check_row({bits, 1}, vocab, error);
        CHECK(outcome.agrees);
      }
      // Just above guessing: vacuous.
      SmallRational above{(vocab - 1) * scale + 1, vocab * scale};
      CHECK_FALSE(capacity_row_fast({1000, 1}, vocab, above).has_value());
    }
  }
}
