// Bootstrap intervals and certified-conservative Clopper-Pearson bounds.
#include "recallbound/estimators/uncertainty.hpp"

#include "recallbound/error.hpp"
#include "recallbound/exact/interval.hpp"

#include <boost/math/distributions/normal.hpp>
#include <boost/math/special_functions/beta.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <string>

namespace recallbound::estimators {
namespace {

constexpr Precision tail_precision = 256;
// The certified tail check costs one multiply-add per term; beyond this many terms we refuse
// rather than run for minutes.
constexpr std::uint64_t max_tail_terms = 20'000'000;

// Encloses P(Bin(n, p) <= k) for 0 < p < 1, k < n, summing the shorter side of the distribution.
Interval lower_tail_enclosure(std::uint64_t n, std::uint64_t k, const Rational& p) {
  Interval prob(p, tail_precision);
  Interval q(Rational(1) - p, tail_precision);
  Interval ratio_up = prob / q;    // p / (1 - p)
  Interval ratio_down = q / prob;  // (1 - p) / p
  Interval term(tail_precision), sum(tail_precision);
  const bool from_zero = k < n - k;  // terms 0..k, or 1 - (terms k+1..n)
  const std::uint64_t terms = from_zero ? k + 1 : n - k;
  if (terms > max_tail_terms)
    throw Error::limit("trials: the certified binomial tail needs " + std::to_string(terms) +
                       " terms, above the limit of " + std::to_string(max_tail_terms));
  // First term: (1 - p)^n or p^n as exp(n log(.)), enclosed.
  Interval first = from_zero ? q : prob;
  mpfi_log(first.raw(), first.raw());
  mpfi_mul_ui(first.raw(), first.raw(), static_cast<unsigned long>(n));
  mpfi_exp(first.raw(), first.raw());
  term = first;
  sum = term;
  if (from_zero) {
    for (std::uint64_t j = 0; j < k; ++j) {  // t_{j+1} = t_j (n - j) / (j + 1) * p / (1 - p)
      mpfi_mul_ui(term.raw(), term.raw(), static_cast<unsigned long>(n - j));
      mpfi_div_ui(term.raw(), term.raw(), static_cast<unsigned long>(j + 1));
      term = term * ratio_up;
      sum = sum + term;
    }
    return sum;
  }
  for (std::uint64_t j = n; j > k + 1; --j) {  // t_{j-1} = t_j j / (n - j + 1) * (1 - p) / p
    mpfi_mul_ui(term.raw(), term.raw(), static_cast<unsigned long>(j));
    mpfi_div_ui(term.raw(), term.raw(), static_cast<unsigned long>(n - j + 1));
    term = term * ratio_down;
    sum = sum + term;
  }
  return Interval(Rational(1), tail_precision) - sum;
}

Rational rounded(const Rational& value, bool up) {
  if (value <= 0) return Rational(0);
  return parse_rational(rational_to_decimal(value, 12, up), "internal rounding");
}

}  // namespace

double checked_confidence(double confidence, const char* field) {
  if (!(confidence > 0 && confidence < 1))
    throw Error::bad_input(std::string(field) + ": " + std::to_string(confidence) +
                           " is out of range; the confidence level must be strictly between 0 and 1");
  return confidence;
}

BootstrapInterval bootstrap(std::size_t n, std::size_t replicates, double confidence, std::uint64_t seed,
                            const std::function<double(std::span<const std::size_t>)>& statistic) {
  checked_confidence(confidence, "--confidence");
  if (n == 0) throw Error::bad_input("samples: the bootstrap needs at least one sample");
  std::vector<std::size_t> indices(n);
  std::iota(indices.begin(), indices.end(), std::size_t{0});
  BootstrapInterval out;
  out.estimate = out.lower = out.upper = statistic(indices);
  out.replicates = replicates;
  if (replicates == 0) return out;
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<std::size_t> pick(0, n - 1);
  std::vector<double> values;
  values.reserve(replicates);
  for (std::size_t r = 0; r < replicates; ++r) {
    for (auto& i : indices) i = pick(rng);
    std::sort(indices.begin(), indices.end());  // estimators then see rows in a canonical order
    values.push_back(statistic(indices));
  }
  std::sort(values.begin(), values.end());
  const double mean = std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(replicates);
  double ss = 0;
  for (double v : values) ss += (v - mean) * (v - mean);
  out.standard_error = replicates > 1 ? std::sqrt(ss / static_cast<double>(replicates - 1)) : 0;
  const double tail = (1 - confidence) / 2;
  auto quantile = [&](double q) {
    const double pos = q * static_cast<double>(replicates - 1);
    const auto lo = static_cast<std::size_t>(std::floor(pos));
    const std::size_t hi = std::min(lo + 1, replicates - 1);
    return values[lo] + (pos - static_cast<double>(lo)) * (values[hi] - values[lo]);
  };
  out.lower = quantile(tail);
  out.upper = quantile(1 - tail);
  return out;
}

BootstrapInterval half_sample_interval(std::size_t n, std::size_t replicates, double confidence, std::uint64_t seed,
                                       const std::function<double(std::span<const std::size_t>)>& statistic) {
  checked_confidence(confidence, "--confidence");
  if (n < 4) throw Error::bad_input("samples: half-sampling needs at least 4 samples");
  std::vector<std::size_t> all(n);
  std::iota(all.begin(), all.end(), std::size_t{0});
  BootstrapInterval out;
  out.estimate = out.lower = out.upper = statistic(all);
  out.replicates = replicates;
  if (replicates < 2) return out;
  std::mt19937_64 rng(seed);
  double sum = 0, sum_sq = 0;
  std::vector<std::size_t> order = all;
  for (std::size_t r = 0; r < replicates; ++r) {
    // Partial Fisher-Yates with our own index draws (std::shuffle's algorithm is unspecified).
    for (std::size_t i = 0; i < n / 2; ++i) {
      std::uniform_int_distribution<std::size_t> pick(i, n - 1);
      std::swap(order[i], order[pick(rng)]);
    }
    std::vector<std::size_t> half(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(n / 2));
    std::sort(half.begin(), half.end());
    const double v = statistic(half);
    sum += v;
    sum_sq += v * v;
  }
  const auto b = static_cast<double>(replicates);
  const double variance = std::max(0.0, (sum_sq - sum * sum / b) / (b - 1));
  // Delete-d jackknife with d = n/2: the variance of the full-sample estimate is
  // (n - d) / d times the spread of the half-sample estimates, i.e. the spread itself.
  out.standard_error = std::sqrt(variance);
  const double z = boost::math::quantile(boost::math::normal(), 1 - (1 - confidence) / 2);
  out.lower = out.estimate - z * out.standard_error;
  out.upper = out.estimate + z * out.standard_error;
  return out;
}

bool binomial_tail_at_most(std::uint64_t n, std::uint64_t k, const Rational& p, const Rational& alpha,
                           bool lower_tail) {
  if (p < 0 || p > 1) throw Error::internal("binomial tail: p outside [0, 1]");
  if (!lower_tail) {  // P(X >= k; p) = P(n - X <= n - k; 1 - p)
    if (k == 0) return Rational(1) <= alpha;
    return binomial_tail_at_most(n, n - k, Rational(1) - p, alpha, true);
  }
  if (k >= n || p == 0) return Rational(1) <= alpha;
  if (p == 1) return Rational(0) <= alpha;
  const Interval tail = lower_tail_enclosure(n, k, p);
  return tail.is_bounded() && tail.upper() <= alpha;
}

ErrorRateBounds clopper_pearson(std::uint64_t errors, std::uint64_t trials, const Rational& confidence) {
  if (trials == 0) throw Error::bad_input("queries: 0 is out of range; the error rate needs at least one query");
  if (errors > trials)
    throw Error::bad_input("errors: " + std::to_string(errors) + " is out of range; errors must be <= queries (" +
                           std::to_string(trials) + ")");
  if (!(confidence > 0 && confidence < 1))
    throw Error::bad_input("--confidence: " + to_exact_string(confidence) +
                           " is out of range; the confidence level must be strictly between 0 and 1");
  const Rational alpha = Rational(1) - confidence;
  const double c = to_display_double(confidence);
  const auto k = static_cast<double>(errors), n = static_cast<double>(trials);
  ErrorRateBounds out{Rational(0), Rational(1)};

  if (errors < trials) {
    // Boost's quantile is a double; round it up, then push outward until the tail check proves
    // P(X <= k; u) <= alpha, i.e. u is at or above the exact Clopper-Pearson bound.
    Rational u = rounded(Rational(boost::math::ibeta_inv(k + 1, n - k, c)), true);
    bool proven = false;
    for (int attempt = 0; attempt < 200 && u < 1 && !proven; ++attempt) {
      proven = binomial_tail_at_most(trials, errors, u, alpha, true);
      if (!proven) u = rounded(u + (u + Rational(1, 1000000000)) * Rational(1, 1000000) * (attempt + 1), true);
    }
    out.upper = proven && u < 1 ? u : Rational(1);  // 1 is always a valid upper bound
  }
  if (errors > 0) {
    Rational l = rounded(Rational(boost::math::ibeta_inv(k, n - k + 1, 1 - c)), false);
    bool proven = false;
    for (int attempt = 0; attempt < 200 && l > 0 && !proven; ++attempt) {
      proven = binomial_tail_at_most(trials, errors, l, alpha, false);
      if (!proven) l = rounded(l - l * Rational(1, 1000000) * (attempt + 1), false);
    }
    out.lower = proven && l > 0 ? l : Rational(0);  // 0 is always a valid lower bound
  }
  return out;
}

}  // namespace recallbound::estimators
