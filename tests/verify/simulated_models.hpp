#pragma once
// Simulated recall models for the verify tests: an honest model whose answers pass through a
// channel limited by its state, and cheating ones whose recall exceeds what the state can hold.
#include "recallbound/verify/check.hpp"

#include <cmath>
#include <random>

namespace recallbound::verify::testing {

struct Task {
  std::uint64_t pairs, vocab, trials;
  double state_bits;
};

inline double fano_bits_double(const Task& t, double eps) {
  const double v = static_cast<double>(t.vocab);
  const double h2 = (eps <= 0 || eps >= 1) ? 0 : -eps * std::log2(eps) - (1 - eps) * std::log2(1 - eps);
  return static_cast<double>(t.pairs) * (std::log2(v) - h2 - eps * std::log2(v - 1));
}

/// The error rate at which N * D(eps, V) = B: a q-ary symmetric channel at this rate carries
/// exactly the state's bits, the hardest honest case for a false alarm.
inline double capacity_error_rate(const Task& t) {
  double lo = 0, hi = 1 - 1.0 / static_cast<double>(t.vocab);
  if (fano_bits_double(t, 0) <= t.state_bits) return 0;
  for (int i = 0; i < 200; ++i) {
    const double mid = (lo + hi) / 2;
    (fano_bits_double(t, mid) > t.state_bits ? lo : hi) = mid;
  }
  return hi;
}

/// Honest, at capacity: each answer is right with probability 1 - eps*, wrong otherwise.
inline RecallObservation channel_model(const Task& t, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  const std::uint64_t queries = t.pairs * t.trials;
  std::binomial_distribution<std::uint64_t> errors(queries, capacity_error_rate(t));
  return {Integer(t.pairs), Integer(t.vocab), queries, errors(rng)};
}

/// Honest, storing: keeps floor(B / log2 V) values exactly and guesses the others uniformly.
inline RecallObservation storing_model(const Task& t, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  const auto kept = std::min<std::uint64_t>(t.pairs, static_cast<std::uint64_t>(std::floor(t.state_bits / std::log2(static_cast<double>(t.vocab)))));
  std::uniform_int_distribution<std::uint64_t> guess(0, t.vocab - 1);
  std::uint64_t errors = 0;
  for (std::uint64_t trial = 0; trial < t.trials; ++trial)
    for (std::uint64_t q = kept; q < t.pairs; ++q) errors += guess(rng) != 0;  // right w.p. 1/V
  return {Integer(t.pairs), Integer(t.vocab), t.pairs * t.trials, errors};
}

/// Cheating: claims a compact state but keeps a cache that grows with N, so it answers every
/// query; `leak` (0..1) of the queries are answered from the cache, the rest like storing_model.
inline RecallObservation caching_model(const Task& t, double leak, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::bernoulli_distribution cached(leak);
  const auto kept = static_cast<std::uint64_t>(std::floor(t.state_bits / std::log2(static_cast<double>(t.vocab))));
  std::uniform_int_distribution<std::uint64_t> guess(0, t.vocab - 1);
  std::uint64_t errors = 0;
  for (std::uint64_t trial = 0; trial < t.trials; ++trial)
    for (std::uint64_t q = kept; q < t.pairs; ++q)
      if (!cached(rng)) errors += guess(rng) != 0;
  return {Integer(t.pairs), Integer(t.vocab), t.pairs * t.trials, errors};
}

}  // namespace recallbound::verify::testing
