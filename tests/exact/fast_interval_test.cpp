#include "rational_log_oracle.hpp"

#include "recallbound/exact/fast_interval.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <random>

using namespace recallbound;

namespace {
using test::exact;
}  // namespace

TEST_CASE("fast_log2 contains log2 at random doubles across the whole range") {
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> exponent(-1000, 1000), near_one(-1e-3, 1e-3);
  for (int i = 0; i < 3000; ++i) {
    double x = i % 3 == 0 ? 1 + near_one(rng) : std::exp2(exponent(rng));
    if (i % 7 == 0) x = static_cast<double>(rng() % (1u << 20) + 2);  // vocabulary sizes
    FastInterval value = fast_log2(FastInterval::point(x));
    auto [lo, hi] = test::log2_bounds(exact(x), 30);
    CHECK(exact(value.lo) <= lo);
    CHECK(hi <= exact(value.hi));
    CHECK(value.hi - value.lo <= 1e-13 * std::fmax(1.0, std::fabs(value.lo)));
  }
}

TEST_CASE("fast arithmetic contains the exact result at random points") {
  std::mt19937_64 rng(9);
  std::uniform_real_distribution<double> value(-1e6, 1e6);
  for (int i = 0; i < 5000; ++i) {
    double a = value(rng), b = value(rng);
    if (b == 0) continue;
    FastInterval x = FastInterval::point(a), y = FastInterval::point(b);
    Rational qa = exact(a), qb = exact(b);
    auto contains = [](FastInterval r, const Rational& q) { return exact(r.lo) <= q && q <= exact(r.hi); };
    CHECK(contains(fast_add(x, y), qa + qb));
    CHECK(contains(fast_sub(x, y), qa - qb));
    CHECK(contains(fast_mul(x, y), qa * qb));
    if (b > 0) CHECK(contains(fast_div(x, y), qa / qb));
  }
}

TEST_CASE("fast_log2 of narrow and wide intervals contains log2 at both ends") {
  std::mt19937_64 rng(13);
  std::uniform_real_distribution<double> exponent(-60, 60);
  for (int i = 0; i < 1000; ++i) {
    double lo = std::exp2(exponent(rng));
    double hi = i % 2 ? std::nextafter(std::nextafter(lo, 1e300), 1e300) : lo * (1 + 1e-3);
    FastInterval value = fast_log2({lo, hi});
    CHECK(exact(value.lo) <= test::log2_bounds(exact(lo), 30).first);
    CHECK(test::log2_bounds(exact(hi), 30).second <= exact(value.hi));
  }
}
