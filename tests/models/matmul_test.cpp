// The fixed-order product: the same bits as a scalar loop that adds in k order (the contract), for
// random shapes across every blocking edge, every operand layout and accumulation; and close to a
// double-precision product (an independent oracle for the arithmetic).
// This file is compiled with -ffp-contract=off (tests/CMakeLists.txt): the scalar oracle must round
// each product and each sum on its own, as the contract says.
#include "recallbound/models/matmul.hpp"
#include "recallbound/error.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>

using namespace recallbound;
using namespace recallbound::models;

namespace {

Eigen::MatrixXf random_matrix(std::mt19937_64& rng, Eigen::Index rows, Eigen::Index cols) {
  std::normal_distribution<float> normal;
  Eigen::MatrixXf m(rows, cols);
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = normal(rng);
  return m;
}

// c(i, j) = start, then + a(i, k) * b(k, j) for k in order: the contract, one element at a time.
Eigen::MatrixXf scalar_oracle(const Eigen::MatrixXf& a, const Eigen::MatrixXf& b, const Eigen::MatrixXf* start) {
  Eigen::MatrixXf c(a.rows(), b.cols());
  for (Eigen::Index i = 0; i < a.rows(); ++i)
    for (Eigen::Index j = 0; j < b.cols(); ++j) {
      float sum = start ? (*start)(i, j) : 0.0f;
      for (Eigen::Index k = 0; k < a.cols(); ++k) {
        const float product = a(i, k) * b(k, j);
        sum = sum + product;
      }
      c(i, j) = sum;
    }
  return c;
}

bool same_bits(const Eigen::MatrixXf& x, const Eigen::MatrixXf& y) {
  return x.rows() == y.rows() && x.cols() == y.cols() &&
         std::memcmp(x.data(), y.data(), static_cast<std::size_t>(x.size()) * sizeof(float)) == 0;
}

}  // namespace

TEST_CASE("multiply adds in k order: the same bits as the scalar oracle at random shapes and layouts") {
  std::mt19937_64 rng(20261129);
  // Sizes around the tile (16 x 4) and the blocks (128 rows, depth 256, 768 columns).
  const std::size_t sizes[] = {1, 2, 5, 15, 16, 17, 33, 127, 128, 129, 255, 256, 257, 300, 769, 800};
  std::uniform_int_distribution<std::size_t> pick(0, std::size(sizes) - 1);
  for (int round = 0; round < 40; ++round) {
    // Keep the product small enough for the scalar oracle: at most one large dimension.
    auto m = static_cast<Eigen::Index>(sizes[pick(rng)]), depth = static_cast<Eigen::Index>(sizes[pick(rng)]),
         n = static_cast<Eigen::Index>(sizes[pick(rng)]);
    if (m * depth * n > 20'000'000) m = 17;
    CAPTURE(m);
    CAPTURE(depth);
    CAPTURE(n);
    const Eigen::MatrixXf a = random_matrix(rng, m, depth), b = random_matrix(rng, depth, n), start = random_matrix(rng, m, n);
    const Eigen::MatrixXf expected = scalar_oracle(a, b, nullptr), accumulated = scalar_oracle(a, b, &start);

    Eigen::MatrixXf c(m, n);
    multiply(a, b, c);  // column-major everything
    CHECK(same_bits(c, expected));

    // a row-major, b a transposed view of a column-major matrix, c a block of a larger matrix.
    const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> a_rows = a;
    const Eigen::MatrixXf b_transposed = b.transpose();
    Eigen::MatrixXf big = Eigen::MatrixXf::Constant(m + 3, n + 2, 7.0f);
    big.block(1, 2, m, n) = start;
    multiply(a_rows, b_transposed.transpose(), big.block(1, 2, m, n), true);
    CHECK(same_bits(Eigen::MatrixXf(big.block(1, 2, m, n)), accumulated));
    // The border of the larger matrix is untouched.
    CHECK((big.topRows(1).array() == 7.0f).all());
    CHECK((big.leftCols(2).array() == 7.0f).all());
    CHECK((big.bottomRows(2).array() == 7.0f).all());

    // c row-major (the tiles go through the local buffer).
    Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> c_rows(m, n);
    multiply(a, b, c_rows);
    CHECK(same_bits(Eigen::MatrixXf(c_rows), expected));
  }
}

TEST_CASE("multiply agrees with a double-precision product within the float rounding bound") {
  std::mt19937_64 rng(7);
  for (const Eigen::Index depth : {Eigen::Index{64}, Eigen::Index{256}, Eigen::Index{1000}}) {
    const Eigen::MatrixXf a = random_matrix(rng, 100, depth), b = random_matrix(rng, depth, 50);
    const Eigen::MatrixXf c = product(a, b);
    const Eigen::MatrixXd exact = a.cast<double>() * b.cast<double>();
    const Eigen::MatrixXd magnitude = a.cast<double>().cwiseAbs() * b.cast<double>().cwiseAbs();
    // Sequential summation: |error| <= gamma_k sum |a_ik b_kj|, gamma_k = k u / (1 - k u), u = 2^-24.
    const double u = std::ldexp(1.0, -24), gamma = static_cast<double>(depth) * u / (1 - static_cast<double>(depth) * u);
    CAPTURE(depth);
    CHECK(((c.cast<double>() - exact).cwiseAbs().array() <= gamma * magnitude.array()).all());
  }
}

TEST_CASE("multiply handles empty shapes and rejects shapes that do not agree") {
  const Eigen::MatrixXf a(3, 0), b(0, 4);
  Eigen::MatrixXf c = Eigen::MatrixXf::Constant(3, 4, 5.0f);
  multiply(a, b, c, true);
  CHECK((c.array() == 5.0f).all());  // c += nothing
  multiply(a, b, c);
  CHECK((c.array() == 0.0f).all());  // c = the empty sum
  Eigen::MatrixXf wrong(3, 5);
  CHECK_THROWS_WITH_AS(multiply(a, b, wrong), "multiply: shapes [3, 0] x [0, 4] -> [3, 5] do not agree", Error);
}
