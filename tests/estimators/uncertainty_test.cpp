#include "recallbound/error.hpp"
#include "recallbound/estimators/uncertainty.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <random>

using namespace recallbound;
using namespace recallbound::estimators;

TEST_CASE("Clopper-Pearson with no errors: the closed form 1 - alpha^(1/n)") {
  const auto b = clopper_pearson(0, 10, Rational(95, 100));
  const double closed = 1 - std::pow(0.05, 0.1);  // 0.2588655...
  CHECK(b.lower == 0);
  CHECK(to_display_double(b.upper) >= closed);
  CHECK(to_display_double(b.upper) <= closed * (1 + 1e-9));
}

TEST_CASE("Clopper-Pearson endpoints are proven conservative and nearly tight") {
  const Rational alpha(1, 100);
  for (auto [k, n] : {std::pair<std::uint64_t, std::uint64_t>{17, 12800}, {1, 3}, {500, 1000}, {2, 100000}}) {
    CAPTURE(k);
    const auto b = clopper_pearson(k, n, Rational(99, 100));
    CHECK(b.lower < Rational(k, n));
    CHECK(b.upper > Rational(k, n));
    // Proven: the tail at the endpoint is at most alpha ...
    CHECK(binomial_tail_at_most(n, k, b.upper, alpha, true));
    CHECK(binomial_tail_at_most(n, k, b.lower, alpha, false));
    // ... and tight: a point 1e-6 (relative) inside fails the inequality.
    CHECK_FALSE(binomial_tail_at_most(n, k, b.upper * Rational(999999, 1000000), alpha, true));
    CHECK_FALSE(binomial_tail_at_most(n, k, b.lower * Rational(1000001, 1000000), alpha, false));
  }
}

TEST_CASE("binomial tail enclosure against a closed form: P(Bin(3, 1/2) <= 1) = 1/2") {
  // Equality cannot be proven by an enclosure; a hair above is.
  CHECK(binomial_tail_at_most(3, 1, Rational(1, 2), Rational(1, 2) + Rational(1, 1000000000), true));
  CHECK_FALSE(binomial_tail_at_most(3, 1, Rational(1, 2), Rational(499, 1000), true));
  // Upper tail P(Bin(4, 1/2) >= 4) = 1/16.
  CHECK(binomial_tail_at_most(4, 4, Rational(1, 2), Rational(1, 16) + Rational(1, 1000000000), false));
  CHECK_FALSE(binomial_tail_at_most(4, 4, Rational(1, 2), Rational(1, 17), false));
}

TEST_CASE("Clopper-Pearson rejects impossible counts") {
  CHECK_THROWS_WITH(clopper_pearson(5, 4, Rational(99, 100)),
                    "errors: 5 is out of range; errors must be <= queries (4)");
  CHECK_THROWS_WITH(clopper_pearson(0, 0, Rational(99, 100)),
                    "queries: 0 is out of range; the error rate needs at least one query");
  CHECK_THROWS_AS(clopper_pearson(1, 4, Rational(1)), Error);
}

TEST_CASE("bootstrap: same seed, same interval: the interval covers the mean of a normal sample") {
  std::mt19937_64 rng(2);
  std::normal_distribution<double> z(5.0, 1.0);
  std::vector<double> data(400);
  for (auto& v : data) v = z(rng);
  auto mean = [&](std::span<const std::size_t> idx) {
    double s = 0;
    for (auto i : idx) s += data[i];
    return s / static_cast<double>(idx.size());
  };
  const auto a = bootstrap(data.size(), 300, 0.95, 42, mean);
  const auto b = bootstrap(data.size(), 300, 0.95, 42, mean);
  CHECK(a.lower == b.lower);
  CHECK(a.upper == b.upper);
  CHECK(a.lower < a.estimate);
  CHECK(a.estimate < a.upper);
  // Standard error of a mean of 400 unit-variance draws is 0.05.
  CHECK(a.standard_error == doctest::Approx(0.05).epsilon(0.2));
  CHECK(a.lower < 5.0);
  CHECK(5.0 < a.upper);
}
