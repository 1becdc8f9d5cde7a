#pragma once
// Nemenman-Shafee-Bialek entropy estimate (internal; public entry: entropy_bits with nsb).
#include <cstdint>
#include <vector>

namespace recallbound::estimators::detail {

/// Posterior-mean entropy in nats under the NSB mixture of symmetric Dirichlet priors, the
/// mixture flat in the prior expected entropy xi(beta) = psi(K beta + 1) - psi(beta + 1).
/// `counts` are the non-zero counts; K >= counts.size().
double nsb_entropy_nats(const std::vector<std::uint64_t>& counts, std::uint64_t alphabet_size);

}  // namespace recallbound::estimators::detail
