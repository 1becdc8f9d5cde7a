#pragma once
// Mutual information between continuous (or mixed) variables from samples, in bits:
//  - ksg: Kraskov-Stoegbauer-Grassberger (2004) algorithm 1 for the *joint* I(X; Y) of a
//    multivariate X and Y, max-norm k-nearest neighbours (k-d trees from nanoflann);
//  - mixed: Ross (2014) for a discrete label C against a continuous X (Euclidean neighbours);
//  - gaussian: the log-determinant formula, exact when (X, Y) is jointly Gaussian.
// Rows are samples. Estimates are doubles (statistics, not certified numbers).
#include <Eigen/Core>

#include <cstdint>
#include <vector>

namespace recallbound::estimators {

using SampleMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// KSG estimate of I(X; Y). Requires equal row counts, n > k >= 1, finite values.
double ksg_bits(const SampleMatrix& x, const SampleMatrix& y, std::size_t k = 3);

/// Ross's estimate of I(C; X) for labels C (one per row of x). Labels seen once are ignored,
/// as in the paper; requires at least two rows sharing a label.
double mixed_bits(const std::vector<std::int64_t>& labels, const SampleMatrix& x, std::size_t k = 3);

/// 1/2 log2(det Sx det Sy / det Sxy) from the sample covariances. Throws Error::bad_input when a
/// covariance is singular (a constant or duplicated coordinate).
double gaussian_bits(const SampleMatrix& x, const SampleMatrix& y);

}  // namespace recallbound::estimators
