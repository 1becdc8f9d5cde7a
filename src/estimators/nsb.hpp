#pragma once
// Nemenman-Shafee-Bialek entropy estimate (internal; public entry: entropy_bits with nsb).
#include <cstdint>
#include <vector>

namespace recallbound::estimators::detail {

/// Posterior-mean entropy in nats under the NSB mixture of symmetric Dirichlet priors, the
/// mixture flat in the prior expected entropy xi(beta) = psi(K beta + 1) - psi(beta + 1).
/// `counts` are the non-zero counts; K >= counts.size().
double nsb_entropy_nats(const std::vector<std::uint64_t>& counts, std::uint64_t alphabet_size);

/// Posterior mean and standard deviation of the entropy (nats) under the same NSB posterior.
struct NsbMoments {
  double mean = 0;
  double standard_deviation = 0;
};
NsbMoments nsb_posterior_nats(const std::vector<std::uint64_t>& counts, std::uint64_t alphabet_size);

}  // namespace recallbound::estimators::detail
