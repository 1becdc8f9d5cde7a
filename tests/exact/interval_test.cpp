#include "rational_log_oracle.hpp"

#include "recallbound/exact/interval.hpp"

#include <doctest/doctest.h>

#include <random>

using namespace recallbound;

namespace {

// A random positive rational with numerator and denominator up to 2^bits.
Rational random_positive(std::mt19937_64& rng, int bits) {
  std::uniform_int_distribution<int> width(1, bits);
  auto draw = [&] {
    Integer value = 0;
    int w = width(rng);
    for (int i = 0; i < w; i += 32) value = (value << 32) + Integer(static_cast<unsigned>(rng()));
    return value % (Integer(1) << w) + 1;
  };
  return Rational(draw(), draw());
}

Rational random_signed(std::mt19937_64& rng, int bits) {
  Rational r = random_positive(rng, bits);
  return (rng() & 1) ? Rational(-r) : r;
}

}  // namespace

TEST_CASE("interval arithmetic contains the exact result at random rational points") {
  std::mt19937_64 rng(20261128);
  for (int i = 0; i < 2000; ++i) {
    Rational a = random_signed(rng, 100), b = random_signed(rng, 100);
    Precision p = 53 + static_cast<Precision>(rng() % 200);
    Interval x(a, p), y(b, p);
    CHECK(x.contains(a));
    CHECK((x + y).contains(a + b));
    CHECK((x - y).contains(a - b));
    CHECK((x * y).contains(a * b));
    CHECK((x / y).contains(a / b));
    CHECK((-x).contains(-a));
    CHECK(hull(x, y).contains(a));
    CHECK(hull(x, y).contains(b));
  }
}

TEST_CASE("log2 encloses the value given by an independent rational series oracle") {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 400; ++i) {
    Rational q = random_positive(rng, 90);
    Precision p = 64 + static_cast<Precision>(rng() % 64);
    Interval value = log2_of(q, p);
    auto [lo, hi] = test::log2_bounds(q);
    REQUIRE(hi - lo < Rational(1, Integer(1) << 100));  // the oracle is far tighter than the enclosure
    CHECK(value.lower() <= lo);
    CHECK(hi <= value.upper());
    CHECK(value.relative_width() < 1e-15);
  }
}

TEST_CASE("x_log2_x uses 0 log 0 = 0 and encloses the product") {
  CHECK(x_log2_x(Rational(0), 64).contains(Rational(0)));
  Interval v = x_log2_x(Rational(1, 4), 64);
  CHECK(v.contains(Rational(-1, 2)));
  CHECK(v.is_negative());
}

TEST_CASE("division by an interval that holds zero is unbounded, never NaN") {
  Interval zero_width(Rational(0), 64);
  Interval q = Interval(Rational(1), 64) / zero_width;
  CHECK_FALSE(q.is_bounded());
  CHECK(q.to_decimal(5) == "[-inf, inf]");
}

TEST_CASE("decimal rendering rounds outward") {
  CHECK(rational_to_decimal(Rational(1, 3), 5, false) == "3.3333e-1");
  CHECK(rational_to_decimal(Rational(1, 3), 5, true) == "3.3334e-1");
  CHECK(rational_to_decimal(Rational(-1, 3), 5, false) == "-3.3334e-1");
  CHECK(rational_to_decimal(Rational(-1, 3), 5, true) == "-3.3333e-1");
  CHECK(rational_to_decimal(Rational(999, 1000), 2, true) == "1.0");
  CHECK(rational_to_decimal(Rational(12345), 3, false) == "1.23e4");
  Interval third(Rational(1, 3), 64);
  CHECK(third.to_decimal(4) == "[3.333e-1, 3.334e-1]");
}
