#pragma once
// Uncertainty: percentile bootstrap intervals for any estimator, and the exact Clopper-Pearson
// interval for an error rate, whose endpoints are exact rationals checked against the binomial
// tail with outward-rounded arithmetic (so they are never tighter than the exact interval).
#include "recallbound/exact/number.hpp"

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

namespace recallbound::estimators {

struct BootstrapInterval {
  double estimate = 0;  // the estimator on the original sample
  double lower = 0;     // percentile bootstrap interval at `confidence`
  double upper = 0;
  double standard_error = 0;
  std::size_t replicates = 0;
};

/// Resamples n indices with replacement `replicates` times (std::mt19937_64 seeded with `seed`,
/// one draw sequence whatever the thread count) and applies `statistic` to each resample;
/// `statistic` receives the index list (the identity for the original estimate).
BootstrapInterval bootstrap(std::size_t n, std::size_t replicates, double confidence, std::uint64_t seed,
                            const std::function<double(std::span<const std::size_t>)>& statistic);

/// For k-nearest-neighbour estimators, where resampling with replacement creates duplicate
/// points (distance 0) that bias them: random half-samples without replacement (delete-n/2
/// jackknife), whose spread estimates the full-sample variance; interval estimate +- z * se.
BootstrapInterval half_sample_interval(std::size_t n, std::size_t replicates, double confidence, std::uint64_t seed,
                                       const std::function<double(std::span<const std::size_t>)>& statistic);

/// Checks confidence in (0, 1) and replicates in [0, 1e6]; throws Error::bad_input naming the option.
double checked_confidence(double confidence, const char* field);

struct ErrorRateBounds {
  Rational lower;  // P(true rate < lower) <= 1 - confidence  (one-sided)
  Rational upper;  // P(true rate > upper) <= 1 - confidence  (one-sided)
};

/// One-sided Clopper-Pearson bounds for `errors` out of `trials` Bernoulli trials, each at
/// `confidence` (an exact rational in (0, 1)). The beta quantiles come from Boost.Math in double;
/// each endpoint is rounded outward to 12 significant digits, then verified: for the upper end u,
/// P(Bin(trials, u) <= errors) <= 1 - confidence is checked with MPFI enclosures (and the
/// endpoint pushed further out until it holds), which proves u >= the exact Clopper-Pearson bound.
ErrorRateBounds clopper_pearson(std::uint64_t errors, std::uint64_t trials, const Rational& confidence);

/// Enclosure-checked binomial tails at an exact p: true when P(Bin(n, p) <= k) <= alpha
/// (lower_tail) or P(Bin(n, p) >= k) <= alpha (otherwise) is proven.
bool binomial_tail_at_most(std::uint64_t n, std::uint64_t k, const Rational& p, const Rational& alpha,
                           bool lower_tail);

}  // namespace recallbound::estimators
