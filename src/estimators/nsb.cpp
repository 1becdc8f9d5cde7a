// NSB (Nemenman, Shafee & Bialek 2002). The posterior over the Dirichlet concentration beta is
// integrated numerically on log(beta): a coarse grid locates the posterior mode, a fine grid
// around it does the integral. Counts are grouped by value (the "count profile"), so the cost
// is independent of the alphabet size K: unobserved symbols enter through closed forms in K.
#include "estimators/nsb.hpp"

#include <boost/math/special_functions/digamma.hpp>
#include <boost/math/special_functions/trigamma.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace recallbound::estimators::detail {
namespace {

struct Profile {
  std::vector<std::pair<double, double>> groups;  // (count value n, number of symbols with that count)
  double total = 0;                               // N
  double occupied = 0;                            // symbols with n > 0
  double alphabet = 0;                            // K
};

// log of the posterior weight per unit log(beta): Dirichlet-multinomial evidence, times the
// NSB prior density d xi / d beta, times beta (the Jacobian of beta = e^t).
double log_weight(const Profile& p, double beta) {
  using boost::math::trigamma;
  const double kappa = p.alphabet * beta;
  double evidence = std::lgamma(kappa) - std::lgamma(p.total + kappa);
  for (const auto& [n, mult] : p.groups) evidence += mult * (std::lgamma(n + beta) - std::lgamma(beta));
  const double prior = p.alphabet * trigamma(kappa + 1) - trigamma(beta + 1);
  if (!(prior > 0)) return -std::numeric_limits<double>::infinity();
  return evidence + std::log(prior) + std::log(beta);
}

// E[H | counts, beta] for the symmetric Dirichlet(beta) posterior, in nats.
double posterior_mean_entropy(const Profile& p, double beta) {
  using boost::math::digamma;
  const double kappa = p.alphabet * beta;
  const double norm = p.total + kappa;
  double sum = (p.alphabet - p.occupied) * beta * digamma(beta + 1);
  for (const auto& [n, mult] : p.groups) sum += mult * (n + beta) * digamma(n + beta + 1);
  return digamma(norm + 1) - sum / norm;
}

// E[H^2 | counts, beta] for the symmetric Dirichlet(beta) posterior, in nats^2: the second moment
// of the entropy of a Dirichlet(a_1..a_K) law, A = sum a_i (Wolpert & Wolf 1995; Archer, Park &
// Pillow 2013, appendix), with u_i = psi(a_i + 1) - psi(A + 2):
//   A (A + 1) E[H^2] = sum_{i != k} a_i a_k (u_i u_k - psi'(A + 2))
//                    + sum_i a_i (a_i + 1) ((psi(a_i + 2) - psi(A + 2))^2 + psi'(a_i + 2) - psi'(A + 2)).
// The double sum is (sum a u)^2 - sum a^2 u^2 - psi'(A + 2) (A^2 - sum a^2), over count groups.
double posterior_second_moment(const Profile& p, double beta) {
  using boost::math::digamma;
  using boost::math::trigamma;
  const double big_a = p.total + p.alphabet * beta;
  const double psi_a2 = digamma(big_a + 2), tri_a2 = trigamma(big_a + 2);
  double s1 = 0, s2 = 0, q = 0, diag = 0;
  auto add_group = [&](double a, double mult) {
    if (mult == 0) return;
    const double u = digamma(a + 1) - psi_a2;
    const double v = digamma(a + 2) - psi_a2;
    s1 += mult * a * u;
    s2 += mult * a * a * u * u;
    q += mult * a * a;
    diag += mult * a * (a + 1) * (v * v + trigamma(a + 2) - tri_a2);
  };
  add_group(beta, p.alphabet - p.occupied);
  for (const auto& [n, mult] : p.groups) add_group(n + beta, mult);
  const double cross = (s1 * s1 - s2) - tri_a2 * (big_a * big_a - q);
  return (cross + diag) / (big_a * (big_a + 1));
}

struct Grid {
  std::vector<double> t, logw;
};

Grid evaluate(const Profile& p, double t_lo, double t_hi, std::size_t points) {
  Grid g;
  for (std::size_t i = 0; i < points; ++i) {
    const double t = t_lo + (t_hi - t_lo) * static_cast<double>(i) / static_cast<double>(points - 1);
    g.t.push_back(t);
    g.logw.push_back(log_weight(p, std::exp(t)));
  }
  return g;
}

}  // namespace

double nsb_entropy_nats(const std::vector<std::uint64_t>& counts, std::uint64_t alphabet_size) {
  return nsb_posterior_nats(counts, alphabet_size).mean;
}

NsbMoments nsb_posterior_nats(const std::vector<std::uint64_t>& counts, std::uint64_t alphabet_size) {
  Profile p;
  std::map<std::uint64_t, double> by_value;
  for (auto c : counts) {
    by_value[c] += 1;
    p.total += static_cast<double>(c);
    p.occupied += 1;
  }
  for (const auto& [n, mult] : by_value) p.groups.emplace_back(static_cast<double>(n), mult);
  p.alphabet = static_cast<double>(alphabet_size);
  if (alphabet_size <= 1) return {};

  // beta from 1e-10 / K (prior mass near entropy 0) to 1e6 (near log K).
  const double t_lo = std::log(1e-10 / p.alphabet), t_hi = std::log(1e6);
  const Grid coarse = evaluate(p, t_lo, t_hi, 800);
  const auto peak = static_cast<std::size_t>(std::max_element(coarse.logw.begin(), coarse.logw.end()) - coarse.logw.begin());
  const double top = coarse.logw[peak];
  // Widen around the mode until the weight is e^-40 below it (or the range ends).
  std::size_t lo = peak, hi = peak;
  while (lo > 0 && coarse.logw[lo] > top - 40) --lo;
  while (hi + 1 < coarse.t.size() && coarse.logw[hi] > top - 40) ++hi;
  const Grid fine = evaluate(p, coarse.t[lo], coarse.t[hi], 2001);
  const double fine_top = *std::max_element(fine.logw.begin(), fine.logw.end());
  double mass = 0, moment = 0, second = 0;
  for (std::size_t i = 0; i < fine.t.size(); ++i) {
    const double w = std::exp(fine.logw[i] - fine_top) * ((i == 0 || i + 1 == fine.t.size()) ? 0.5 : 1.0);
    if (w == 0) continue;
    const double beta = std::exp(fine.t[i]);
    mass += w;
    moment += w * posterior_mean_entropy(p, beta);
    second += w * posterior_second_moment(p, beta);
  }
  NsbMoments m;
  m.mean = moment / mass;
  // Var = E[H^2] - E[H]^2 over the mixture; rounding can leave a tiny negative difference.
  m.standard_deviation = std::sqrt(std::max(0.0, second / mass - m.mean * m.mean));
  return m;
}

}  // namespace recallbound::estimators::detail
