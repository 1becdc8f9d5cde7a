#pragma once
// Projected estimates of a joint mutual information: a lower bound by data processing.
//
// For any fixed maps P, Q, I(P X; Q Y) <= I(X; Y). We split the samples at random into halves A
// and B, fit P (and Q) on A only, and estimate I(P X; Q Y) on B with a few-dimensional KSG or
// mixed estimate; then swap the roles (cross-fitting) and average. Because each map is fitted on
// the other half, it is fixed with respect to the half it is applied to, so each fold estimates a
// quantity <= I(X; Y), and so does their mean. The maps:
//  - cca: the leading K canonical directions of (X, Y) (for jointly Gaussian data the first
//    min(dx, dy) of them carry all of I(X; Y), so the bound is tight there);
//  - lda: the leading K Fisher discriminant directions of X for the labels (at most classes - 1).
// The target is a lower bound; the number returned is still an estimate of that target (k-NN
// estimators have their own small bias and sampling spread), not a certified bound.
#include "recallbound/estimators/continuous.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace recallbound::estimators {

enum class ProjectionKind { none, cca, lda };

struct Projection {
  ProjectionKind kind = ProjectionKind::none;
  std::size_t components = 0;  // K >= 1 when kind != none
};

/// "none", "cca:K" or "lda:K" with 1 <= K <= 64; throws Error::bad_input naming `field` otherwise.
Projection parse_projection(std::string_view text, std::string_view field);
std::string projection_name(const Projection& projection);

struct ProjectedEstimate {
  double bits = 0;                       // mean of the two folds
  std::array<double, 2> fold_bits{};     // fit on A, estimate on B; fit on B, estimate on A
  std::size_t x_components = 0;          // dimensions of P X actually used
  std::size_t y_components = 0;          // dimensions of Q Y (dy when Y is not projected)
};

/// KSG of I(P X; Q Y) with P, Q the leading `components` CCA directions, cross-fitted on two
/// halves split by `seed`. Y is projected only when it has more than `components` coordinates.
/// The two folds run on two threads when `threads` >= 2 (same result either way).
/// Requires at least 2 (k + 1) rows and finite values.
ProjectedEstimate projected_ksg_bits(const SampleMatrix& x, const SampleMatrix& y, std::size_t components,
                                     std::size_t k, std::uint64_t seed, std::size_t threads = 1);

/// Ross's mixed estimate of I(C; P X) with P the leading `components` (at most classes - 1)
/// Fisher discriminant directions, cross-fitted on two halves split by `seed`.
ProjectedEstimate projected_mixed_bits(const std::vector<std::int64_t>& labels, const SampleMatrix& x,
                                       std::size_t components, std::size_t k, std::uint64_t seed,
                                       std::size_t threads = 1);

namespace detail {
/// The maps themselves (rows are directions, applied as X P^T), exposed for tests.
/// CCA directions of x against y (K x dx); the directions on y are written to `y_directions`.
Eigen::MatrixXd cca_directions(const SampleMatrix& x, const SampleMatrix& y, std::size_t components,
                               Eigen::MatrixXd* y_directions = nullptr);
/// Fisher discriminant directions of x for the labels (K x dx, K <= classes - 1).
Eigen::MatrixXd lda_directions(const std::vector<std::int64_t>& labels, const SampleMatrix& x, std::size_t components);
}  // namespace detail

}  // namespace recallbound::estimators
