#include "estimators/knn.hpp"
#include "recallbound/error.hpp"
#include "recallbound/estimators/continuous.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <random>

using namespace recallbound::estimators;

namespace {

// d coordinate pairs (X_i, Y_i), each standard bivariate normal with correlation rho:
// I(X; Y) = -d/2 log2(1 - rho^2).
struct GaussianPairs {
  SampleMatrix x, y;
  double truth;
};
GaussianPairs gaussian_pairs(std::size_t n, Eigen::Index d, double rho, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> z;
  GaussianPairs g{SampleMatrix(static_cast<Eigen::Index>(n), d), SampleMatrix(static_cast<Eigen::Index>(n), d),
                  -0.5 * static_cast<double>(d) * std::log2(1 - rho * rho)};
  for (Eigen::Index i = 0; i < static_cast<Eigen::Index>(n); ++i)
    for (Eigen::Index j = 0; j < d; ++j) {
      const double a = z(rng), b = z(rng);
      g.x(i, j) = a;
      g.y(i, j) = rho * a + std::sqrt(1 - rho * rho) * b;
    }
  return g;
}

}  // namespace

TEST_CASE("max-norm k-d tree counts equal brute force (the nanoflann pruning argument)") {
  std::mt19937_64 rng(5);
  std::normal_distribution<double> z;
  for (std::size_t dim : {1u, 2u, 5u, 9u}) {
    std::vector<double> data(600 * dim);
    for (auto& v : data) v = std::round(z(rng) * 4) / 4;  // coarse grid: many ties at the radius
    detail::PointCloud cloud{data.data(), 600, dim};
    detail::MaxNormCounter counter(cloud);
    for (std::size_t i = 0; i < 600; i += 7) {
      for (double radius : {0.25, 0.5, 1.0, 1.7}) {
        std::size_t brute = 0;
        for (std::size_t j = 0; j < 600; ++j)
          if (j != i && detail::max_norm(cloud.row(i), cloud.row(j), dim) < radius) ++brute;
        REQUIRE(counter.count_within(i, radius) == brute);
      }
    }
  }
}

TEST_CASE("KSG: joint MI of Gaussian pairs against the closed form") {
  for (double rho : {0.0, 0.6, 0.9}) {
    const auto g = gaussian_pairs(4000, 2, rho, 21);
    CAPTURE(rho);
    CHECK(std::abs(ksg_bits(g.x, g.y, 3) - g.truth) < 0.06 + 0.05 * g.truth);
  }
}

TEST_CASE("Gaussian estimate: rho up to 0.999 against the closed form") {
  for (double rho : {0.3, 0.99, 0.999}) {
    const auto g = gaussian_pairs(20000, 3, rho, 8);
    CAPTURE(rho);
    CHECK(std::abs(gaussian_bits(g.x, g.y) - g.truth) < 0.02 * g.truth + 0.01);
  }
}

TEST_CASE("mixed estimator: well-separated labels carry log2(#labels), shuffled labels ~0") {
  std::mt19937_64 rng(4);
  std::normal_distribution<double> z;
  std::uniform_int_distribution<std::int64_t> label(0, 3);
  const std::size_t n = 4000;
  std::vector<std::int64_t> labels(n), shuffled(n);
  SampleMatrix x(static_cast<Eigen::Index>(n), 2);
  for (std::size_t i = 0; i < n; ++i) {
    labels[i] = label(rng);
    shuffled[i] = label(rng);
    x(static_cast<Eigen::Index>(i), 0) = 12.0 * static_cast<double>(labels[i]) + z(rng);
    x(static_cast<Eigen::Index>(i), 1) = z(rng);
  }
  CHECK(mixed_bits(labels, x, 3) == doctest::Approx(2.0).epsilon(0.02));
  CHECK(std::abs(mixed_bits(shuffled, x, 3)) < 0.03);
}

TEST_CASE("continuous estimators reject bad input with the field named") {
  SampleMatrix a(10, 2), b(9, 2);
  a.setRandom();
  b.setRandom();
  CHECK_THROWS_WITH(ksg_bits(a, b, 3), "--y: 9 samples, but --x has 10; both must have one row per sample");
  CHECK_THROWS_WITH(ksg_bits(a, a, 10), "--k: 10 is out of range; k must be in [1, samples - 1] = [1, 9]");
  a(3, 1) = std::nan("");
  CHECK_THROWS_WITH(ksg_bits(a, a, 3), "--x: contains a non-finite value (nan or inf)");
  SampleMatrix constant = SampleMatrix::Ones(20, 2);
  SampleMatrix other(20, 1);
  other.setRandom();
  CHECK_THROWS_AS(gaussian_bits(constant, other), recallbound::Error);
}
