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
#include <string>
#include <vector>

using namespace recallbound;
using namespace recallbound::models;

namespace {

Eigen::MatrixXf random_matrix(std::mt19937_64& rng, Eigen::Index rows, Eigen::Index cols) {
  std::normal_distribution<float> normal;
  Eigen::MatrixXf m(rows, cols);
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = normal(rng);
  return m;
}

// c(i, j) = start, then + a(i, k) * b(k, j) for k in order: the contract, one element at a time;
// each step rounded twice, or once (std::fma, exact in software where the machine has no FMA).
Eigen::MatrixXf scalar_oracle(const Eigen::MatrixXf& a, const Eigen::MatrixXf& b, const Eigen::MatrixXf* start,
                              bool fused = false) {
  Eigen::MatrixXf c(a.rows(), b.cols());
  for (Eigen::Index i = 0; i < a.rows(); ++i)
    for (Eigen::Index j = 0; j < b.cols(); ++j) {
      float sum = start ? (*start)(i, j) : 0.0f;
      for (Eigen::Index k = 0; k < a.cols(); ++k) {
        if (fused) {
          sum = std::fma(a(i, k), b(k, j), sum);
          continue;
        }
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

struct Shape {
  Eigen::Index m, depth, n;
};

// [m, depth] x [depth, n] with each size drawn from `sizes`, m cut to 17 where the product is large:
// at most one large dimension, so that the scalar oracle stays quick.
template <std::size_t Count>
Shape random_shape(std::mt19937_64& rng, const std::size_t (&sizes)[Count]) {
  std::uniform_int_distribution<std::size_t> pick(0, Count - 1);
  Shape shape{};
  shape.m = static_cast<Eigen::Index>(sizes[pick(rng)]);
  shape.depth = static_cast<Eigen::Index>(sizes[pick(rng)]);
  shape.n = static_cast<Eigen::Index>(sizes[pick(rng)]);
  if (shape.m * shape.depth * shape.n > 20'000'000) shape.m = 17;
  return shape;
}

// The kernels this machine runs (multiply() uses the last, the widest).
std::vector<detail::ProductKernel> kernels_here() {
  std::vector<detail::ProductKernel> kernels;
  for (const auto kernel : {detail::ProductKernel::baseline, detail::ProductKernel::avx2, detail::ProductKernel::avx512})
    if (detail::runs_on_this_machine(kernel)) kernels.push_back(kernel);
  return kernels;
}

// multiply() on one kernel, through the Eigen front end's views.
template <class A, class B, class C>
void multiply_with(detail::ProductKernel kernel, const A& a, const B& b, C&& c, bool accumulate = false,
                   Summation summation = Summation::separate) {
  detail::multiply_on(kernel, view_of(a), view_of(b), mutable_view_of(c), accumulate, summation);
}

}  // namespace

TEST_CASE("every product kernel the machine runs is tested, and multiply() uses the widest") {
  const auto kernels = kernels_here();
  std::string names;
  for (const auto kernel : kernels) names += std::string(" ") + detail::kernel_name(kernel);
  MESSAGE("product kernels on this machine:" << names);
  REQUIRE(!kernels.empty());
  CHECK(kernels.front() == detail::ProductKernel::baseline);
  CHECK(detail::widest_product_kernel() == kernels.back());
  CHECK(fused_on_this_machine() == (kernels.back() != detail::ProductKernel::baseline));
  for (const auto kernel : {detail::ProductKernel::avx2, detail::ProductKernel::avx512}) {
    if (detail::runs_on_this_machine(kernel)) continue;
    Eigen::MatrixXf a = Eigen::MatrixXf::Ones(2, 2), c(2, 2);
    CHECK_THROWS_WITH_AS(multiply_with(kernel, a, a, c),
                         (std::string("multiply: the ") + detail::kernel_name(kernel) +
                          " kernel does not run on this machine").c_str(),
                         Error);
  }
}

// Each kernel the machine runs, on its own: multiply() reaches only the widest.
TEST_CASE("multiply adds in k order: the same bits as the scalar oracle at random shapes and layouts") {
  std::mt19937_64 rng(20261129);
  // Sizes around the tiles (16 x 6, 32 x 12) and the blocks (128 rows, depth 320, 768 columns).
  const std::size_t sizes[] = {1,   2,   5,   6,   7,   11,  12,  13,  15,  16,  17,  31,  32,
                               33,  127, 128, 129, 255, 256, 257, 319, 320, 321, 769, 800};
  for (const auto kernel : kernels_here()) {
    const std::string kernel_name = detail::kernel_name(kernel);
    CAPTURE(kernel_name);
    for (int round = 0; round < 40; ++round) {
      const auto [m, depth, n] = random_shape(rng, sizes);
      INFO("shape [" << m << ", " << depth << "] x [" << depth << ", " << n << "]");
      const Eigen::MatrixXf a = random_matrix(rng, m, depth), b = random_matrix(rng, depth, n), start = random_matrix(rng, m, n);
      const Eigen::MatrixXf expected = scalar_oracle(a, b, nullptr), accumulated = scalar_oracle(a, b, &start);

      Eigen::MatrixXf c(m, n);
      multiply_with(kernel, a, b, c);  // column-major everything
      CHECK(same_bits(c, expected));

      // a row-major, b a transposed view of a column-major matrix, c a block of a larger matrix.
      const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> a_rows = a;
      const Eigen::MatrixXf b_transposed = b.transpose();
      Eigen::MatrixXf big = Eigen::MatrixXf::Constant(m + 3, n + 2, 7.0f);
      big.block(1, 2, m, n) = start;
      multiply_with(kernel, a_rows, b_transposed.transpose(), big.block(1, 2, m, n), true);
      CHECK(same_bits(Eigen::MatrixXf(big.block(1, 2, m, n)), accumulated));
      // The border of the larger matrix is untouched.
      CHECK((big.topRows(1).array() == 7.0f).all());
      CHECK((big.leftCols(2).array() == 7.0f).all());
      CHECK((big.bottomRows(2).array() == 7.0f).all());

      // c row-major (the tiles go through the local buffer).
      Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> c_rows(m, n);
      multiply_with(kernel, a, b, c_rows);
      CHECK(same_bits(Eigen::MatrixXf(c_rows), expected));
    }
  }
  // multiply() itself, on one product.
  std::mt19937_64 one(3);
  const Eigen::MatrixXf a = random_matrix(one, 33, 65), b = random_matrix(one, 65, 13);
  Eigen::MatrixXf c(33, 13);
  multiply(a, b, c);
  CHECK(same_bits(c, scalar_oracle(a, b, nullptr)));
}

TEST_CASE("Summation::fused: one rounding per step where the machine has FMA, else the separate bits") {
  const bool fused = fused_on_this_machine();
  MESSAGE("fused multiply-adds on this machine: " << std::string(fused ? "yes" : "no"));
  std::mt19937_64 rng(29);
  const std::size_t sizes[] = {1, 3, 12, 13, 16, 17, 32, 33, 64, 65, 129, 257, 321, 769};
  bool any_step_differs = false;
  for (const auto kernel : kernels_here()) {
    const std::string kernel_name = detail::kernel_name(kernel);
    CAPTURE(kernel_name);
    const bool kernel_fuses = kernel != detail::ProductKernel::baseline;  // it has FMA
    for (int round = 0; round < 20; ++round) {
      const auto [m, depth, n] = random_shape(rng, sizes);
      INFO("shape [" << m << ", " << depth << "] x [" << depth << ", " << n << "]");
      const Eigen::MatrixXf a = random_matrix(rng, m, depth), b = random_matrix(rng, depth, n), start = random_matrix(rng, m, n);
      const Eigen::MatrixXf expected = scalar_oracle(a, b, nullptr, kernel_fuses),
                            accumulated = scalar_oracle(a, b, &start, kernel_fuses);
      any_step_differs = any_step_differs || !same_bits(expected, scalar_oracle(a, b, nullptr));

      Eigen::MatrixXf c(m, n);
      multiply_with(kernel, a, b, c, false, Summation::fused);
      CHECK(same_bits(c, expected));
      // A row-major b read in place, and a row-major c (through the local tile), accumulating.
      const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> b_rows = b;
      Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> c_rows = start;
      multiply_with(kernel, a, b_rows, c_rows, true, Summation::fused);
      CHECK(same_bits(Eigen::MatrixXf(c_rows), accumulated));
    }
  }
  // Where the machine fuses, these inputs tell the two summations apart, so the checks above saw
  // the fused path (where it does not, both oracles are the separate one).
  if (fused) CHECK(any_step_differs);
}

TEST_CASE("multiply agrees with a double-precision product within the float rounding bound") {
  std::mt19937_64 rng(7);
  for (const Summation summation : {Summation::separate, Summation::fused})
    for (const Eigen::Index depth : {Eigen::Index{64}, Eigen::Index{256}, Eigen::Index{1000}}) {
      const Eigen::MatrixXf a = random_matrix(rng, 100, depth), b = random_matrix(rng, depth, 50);
      Eigen::MatrixXf c(100, 50);
      multiply(a, b, c, false, summation);
      const Eigen::MatrixXd exact = a.cast<double>() * b.cast<double>();
      const Eigen::MatrixXd magnitude = a.cast<double>().cwiseAbs() * b.cast<double>().cwiseAbs();
      // Sequential summation: |error| <= gamma_k sum |a_ik b_kj|, gamma_k = k u / (1 - k u), u = 2^-24.
      const double u = std::ldexp(1.0, -24), gamma = static_cast<double>(depth) * u / (1 - static_cast<double>(depth) * u);
      CAPTURE(depth);
      CAPTURE(summation == Summation::fused);
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
