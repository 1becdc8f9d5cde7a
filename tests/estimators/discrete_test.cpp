#include "recallbound/error.hpp"
#include "recallbound/estimators/discrete.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <random>

using namespace recallbound::estimators;

TEST_CASE("plug-in and Miller-Madow on a uniform histogram match the closed forms") {
  const std::vector<std::uint64_t> counts(8, 125);  // n = 1000 over 8 symbols
  CHECK(entropy_bits(counts, DiscreteMethod::plugin) == doctest::Approx(3.0).epsilon(1e-12));
  // Miller-Madow adds (m - 1) / (2 n) nats.
  CHECK(entropy_bits(counts, DiscreteMethod::miller_madow) ==
        doctest::Approx(3.0 + 7.0 / 2000.0 / std::log(2.0)).epsilon(1e-12));
}

TEST_CASE("plug-in on a skewed histogram: -sum p log2 p") {
  const std::vector<std::uint64_t> counts{1, 3, 0, 4};
  const double h = -(0.125 * std::log2(0.125) + 0.375 * std::log2(0.375) + 0.5 * std::log2(0.5));
  CHECK(entropy_bits(counts, DiscreteMethod::plugin) == doctest::Approx(h).epsilon(1e-12));
}

TEST_CASE("Chao-Shen without singletons: coverage 1, Horvitz-Thompson weights near 1") {
  const std::vector<std::uint64_t> counts{50, 50, 100};
  const double plugin = entropy_bits(counts, DiscreteMethod::plugin);
  CHECK(entropy_bits(counts, DiscreteMethod::chao_shen) == doctest::Approx(plugin).epsilon(1e-9));
}

// Undersampled uniform distribution: 2000 samples over K = 2^16 symbols, true entropy 16 bits.
std::vector<std::uint64_t> undersampled_uniform(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<std::uint64_t> pick(0, (1u << 16) - 1);
  std::vector<std::uint64_t> counts(1u << 16, 0);
  for (int i = 0; i < 2000; ++i) ++counts[pick(rng)];
  return counts;
}

TEST_CASE("NSB recovers the entropy of an undersampled large alphabet: plug-in cannot") {
  const auto counts = undersampled_uniform(7);
  const double plugin = entropy_bits(counts, DiscreteMethod::plugin);
  const double cs = entropy_bits(counts, DiscreteMethod::chao_shen);
  const double nsb = entropy_bits(counts, DiscreteMethod::nsb, 1u << 16);
  CHECK(plugin < 11.0);  // at most log2(2000) = 10.97
  CHECK(std::abs(nsb - 16.0) < 0.5);
  CHECK(std::abs(cs - 16.0) < std::abs(plugin - 16.0));
  // Paninski's bound brackets the plug-in's shortfall.
  CHECK(16.0 - plugin <= plugin_bias_bound_bits(2000, 1u << 16) + 0.05);
}

TEST_CASE("NSB on a well-sampled small alphabet agrees with the plug-in") {
  std::mt19937_64 rng(3);
  std::discrete_distribution<int> d({0.5, 0.25, 0.125, 0.125});
  std::vector<std::uint64_t> counts(4, 0);
  for (int i = 0; i < 100000; ++i) ++counts[static_cast<std::size_t>(d(rng))];
  CHECK(entropy_bits(counts, DiscreteMethod::nsb, 4) == doctest::Approx(1.75).epsilon(0.005));
}

TEST_CASE("sparse confusion: a noiseless channel carries H(X), an independent one ~0") {
  SparseConfusion identity, independent;
  std::mt19937_64 rng(11);
  std::uniform_int_distribution<std::uint64_t> pick(0, 15);
  for (int i = 0; i < 50000; ++i) {
    const auto x = pick(rng);
    identity.add(x, x);
    independent.add(x, pick(rng));
  }
  CHECK(mutual_information_bits(identity, DiscreteMethod::plugin) ==
        doctest::Approx(entropy_bits(identity.x_counts(), DiscreteMethod::plugin)).epsilon(1e-12));
  CHECK(mutual_information_bits(identity, DiscreteMethod::miller_madow) == doctest::Approx(4.0).epsilon(0.01));
  // Plug-in MI of independent variables is biased up by about (16-1)^2 / (2 n ln 2) bits; MM removes it.
  CHECK(mutual_information_bits(independent, DiscreteMethod::plugin) > 0.0);
  CHECK(std::abs(mutual_information_bits(independent, DiscreteMethod::miller_madow)) < 0.002);
}

TEST_CASE("sparse confusion holds a vocabulary of 10^6 without dense storage") {
  SparseConfusion table;
  for (std::uint64_t v = 0; v < 1000000; v += 997) table.add(v, v, 3);
  CHECK(table.occupied_cells() == 1004);
  CHECK(mutual_information_bits(table, DiscreteMethod::nsb, 1000000, 1000000) > 9.0);
  CHECK_THROWS_AS(table.add(std::uint64_t{1} << 33, 0), recallbound::Error);
}

TEST_CASE("bad input: unknown method, empty sample, alphabet below the observed symbols") {
  CHECK_THROWS_WITH(parse_discrete_method("ksg2", "--method"),
                    "--method: 'ksg2' is not a discrete method; use plugin, mm, cs or nsb");
  CHECK_THROWS_AS(entropy_bits({}, DiscreteMethod::plugin), recallbound::Error);
  CHECK_THROWS_WITH(entropy_bits({1, 1, 1}, DiscreteMethod::nsb, 2),
                    "alphabet size: 2 is below the 3 distinct symbols observed");
}
