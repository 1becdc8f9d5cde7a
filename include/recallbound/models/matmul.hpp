#pragma once
// fp32 matrix products with one fixed rounding per element: c(i, j) starts at 0 (or at c(i, j) when
// accumulating) and adds a(i, k) * b(k, j) for k = 0, 1, ... in order, each product and each sum
// rounded on its own (no fused multiply-add). So the result does not depend on the blocking, on the
// vector width, or on the machine: the baseline x86-64, AVX2 and AVX-512 kernels (the widest the
// machine runs is chosen at run time) give the same bits, where Eigen's product is compiled for one
// instruction set and changes its order with it. Decoding (scores against the value codes) uses it.
// The chunked forms ask for Summation::fused instead: the same order, each step one fused
// multiply-add where the machine has AVX2 and FMA (1.2-1.4x faster here), so their bits depend on
// the machine (the AVX2 and AVX-512 kernels fuse alike); they promise agreement with the recurrent
// form to round-off, not bits.
// Single-threaded: callers split their work over sequences.
#include <Eigen/Core>

#include <cstddef>

namespace recallbound::models {

/// A strided fp32 matrix: element (i, j) at data[i * row_step + j * col_step].
template <class Float>
struct StridedMatrix {
  Float* data;
  std::size_t rows, cols;
  std::ptrdiff_t row_step, col_step;
};
using MatrixView = StridedMatrix<const float>;
using MutableMatrixView = StridedMatrix<float>;

namespace detail {
template <class Float, class Expression>
StridedMatrix<Float> strided_view(Expression& e) {
  const auto inner = static_cast<std::ptrdiff_t>(e.innerStride()), outer = static_cast<std::ptrdiff_t>(e.outerStride());
  return {e.data(), static_cast<std::size_t>(e.rows()), static_cast<std::size_t>(e.cols()),
          Expression::IsRowMajor ? outer : inner, Expression::IsRowMajor ? inner : outer};
}
}  // namespace detail

/// The view of an Eigen expression with direct access (a matrix, a block, a map, a transpose).
template <class Derived>
MatrixView view_of(const Eigen::DenseBase<Derived>& m) {
  return detail::strided_view<const float>(m.derived());
}
template <class Derived>
MutableMatrixView mutable_view_of(Eigen::DenseBase<Derived>& m) {
  return detail::strided_view<float>(m.derived());
}

/// How each step c += a(i, k) b(k, j) is rounded: `separate`, the product and then the sum (the
/// same bits on every machine); `fused`, once, by a fused multiply-add where the machine has AVX2
/// and FMA, else as `separate`.
enum class Summation { separate, fused };

/// Whether Summation::fused runs fused multiply-adds on this machine.
bool fused_on_this_machine();

/// c = a b, or c += a b when `accumulate`, in the fixed order above. Shapes must agree (a is
/// [m, k], b [k, n], c [m, n]; throws Error::internal otherwise); c must not overlap a or b.
void multiply(const MatrixView& a, const MatrixView& b, const MutableMatrixView& c, bool accumulate = false,
              Summation summation = Summation::separate);

namespace detail {
/// The product's kernels: `baseline` (x86-64's SSE2; the only one elsewhere), `avx2` (AVX2 and FMA,
/// 16 x 6 register tiles) and `avx512` (AVX-512 F and VL, 32 x 12). For a given summation all give
/// the same bits; `baseline` has no fused multiply-add, so it runs Summation::fused as separate.
enum class ProductKernel { baseline, avx2, avx512 };
/// Whether this machine runs `kernel`.
bool runs_on_this_machine(ProductKernel kernel);
/// The kernel multiply() uses: the widest this machine runs.
ProductKernel widest_product_kernel();
/// "baseline", "avx2" or "avx512".
const char* kernel_name(ProductKernel kernel);
/// multiply() on `kernel`, which must run here (throws Error::internal otherwise); for tests and
/// benchmarks that compare the kernels.
void multiply_on(ProductKernel kernel, const MatrixView& a, const MatrixView& b, const MutableMatrixView& c,
                 bool accumulate, Summation summation);
}  // namespace detail

/// Eigen front end: multiply(view_of(a), view_of(b), mutable_view_of(c), accumulate, summation); c
/// may be a temporary block or transpose.
template <class A, class B, class C>
void multiply(const Eigen::DenseBase<A>& a, const Eigen::DenseBase<B>& b, C&& c, bool accumulate = false,
              Summation summation = Summation::separate) {
  multiply(view_of(a), view_of(b), mutable_view_of(c), accumulate, summation);
}

/// a b as a new [m, n] matrix (see multiply).
template <class A, class B>
Eigen::MatrixXf product(const Eigen::DenseBase<A>& a, const Eigen::DenseBase<B>& b) {
  Eigen::MatrixXf c(a.rows(), b.cols());
  multiply(view_of(a), view_of(b), mutable_view_of(c));
  return c;
}

}  // namespace recallbound::models
