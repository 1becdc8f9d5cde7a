// The fixed-order fp32 product of include/recallbound/models/matmul.hpp, blocked as BLIS does:
// b is packed a block of columns and depth at a time (a panel of tile columns stays in L1 while
// the tiles under it run), a a block of rows at a time, and a register tile of rows x columns adds
// its products over the block's depth in order. Blocking splits the depth, never reorders it: a tile
// that resumes a column of c loads the partial sum and goes on adding. Vectors run down a tile's
// rows, so their width changes which rows share an instruction, never an element's order: the
// three kernels (baseline x86-64, AVX2, AVX-512) give the same bits. This file is compiled with
// -ffp-contract=off (src/models/CMakeLists.txt), so a product and a sum stay two roundings.
#include "recallbound/models/matmul.hpp"

#include "recallbound/error.hpp"
#include "vector_rounding.hpp"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <utility>

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define RECALLBOUND_X86_KERNELS 1
#include <immintrin.h>
#else
#define RECALLBOUND_X86_KERNELS 0
#endif

namespace recallbound::models {
namespace {

// A kernel's register tile: two vectors of rows by `cols` columns, 2 cols accumulators.
// Narrow (8 floats a vector: one AVX register or two SSE ones): 16 x 6, 12 accumulators; a fused
// multiply-add takes 4 cycles on each of 2 pipes on Zen 3, so 8 must be in flight, and 12 leave
// slack (16 x 4, 8 accumulators, took 1.04-1.12x as long in the chunked forms); 12 + 2 + 1 of the
// 16 vector registers.
struct NarrowTiles {
  using Vec = detail::vec::Vec;
  static constexpr std::size_t lanes = 8, rows = 16, cols = 6;
};
#if RECALLBOUND_X86_KERNELS
// Wide (16 floats, AVX-512): 32 x 12, 24 accumulators + 2 + 1 of the 32 vector registers.
struct WideTiles {
  using Vec = detail::vec::Vec16;
  static constexpr std::size_t lanes = 16, rows = 32, cols = 12;
};
#endif

constexpr std::size_t depth_block = 320; // a packed column panel: 5-15 KB; Taylor features (273) in one block
constexpr std::size_t row_block = 128;   // a packed row block: 160 KB, in L2
constexpr std::size_t col_block = 768;   // a packed column block: 768 KB
constexpr std::size_t small_buffer = 12288;  // floats of a packing buffer kept on the stack (48 KB)
// Whether the tiles read an operand in place, given its stride from k to k + 1 (in floats): a stride
// up to `short_stride`, or an odd one (which spreads the panel's cache lines over every set of the
// L1 cache; a stride of 1024, 4 KB, puts them all in one set: a 1024^3 product read in place ran at
// 39 GFLOP/s, 65-68 packed). A row-major b's panel is 6 numbers per k, short_stride 256. A
// column-major a's is 16, one or two cache lines per k, and strides of 128 or 256 crowded it into
// few sets (the chunked linear attention at d = 128 took 1.05-1.17x as long; at d = 64, where every
// stride is 64 or 65, 0.87-0.92x): short_stride 64.
constexpr std::ptrdiff_t short_b_stride = 256, short_a_stride = 64;
bool read_in_place(std::ptrdiff_t stride, std::ptrdiff_t short_stride) {
  const std::ptrdiff_t size = std::abs(stride);
  return size <= short_stride || (size <= 4096 && size % 2 == 1);
}

std::size_t round_up(std::size_t n, std::size_t step) { return (n + step - 1) / step * step; }

using detail::vec::load_as;
using detail::vec::store;

// b(k0 .. k0 + depth, j0 .. j0 + width) as panels of Cols columns, each `depth` rows of Cols
// numbers (b(k, j0 + p * Cols + 0 .. Cols - 1) for panel p), zero past the last column.
template <std::size_t Cols>
void pack_columns(const MatrixView& b, std::size_t k0, std::size_t depth, std::size_t j0, std::size_t width,
                  float* out) {
  for (std::size_t p = 0; p < width; p += Cols, out += depth * Cols) {
    const std::size_t cols = std::min(Cols, width - p);
    if (cols < Cols) std::fill(out, out + depth * Cols, 0.0f);
    if (b.col_step == 1) {  // b row-major: each k's numbers are contiguous
      for (std::size_t k = 0; k < depth; ++k) {
        const float* from = b.data + static_cast<std::ptrdiff_t>(k0 + k) * b.row_step + static_cast<std::ptrdiff_t>(j0 + p);
        for (std::size_t j = 0; j < cols; ++j) out[k * Cols + j] = from[j];
      }
      continue;
    }
    for (std::size_t j = 0; j < cols; ++j) {  // down a column of b: contiguous reads when b is column-major
      const float* from = b.data + static_cast<std::ptrdiff_t>(k0) * b.row_step +
                          static_cast<std::ptrdiff_t>(j0 + p + j) * b.col_step;
      for (std::size_t k = 0; k < depth; ++k) out[k * Cols + j] = from[static_cast<std::ptrdiff_t>(k) * b.row_step];
    }
  }
}

// a(i0 .. i0 + height, k0 .. k0 + depth) as panels of Rows rows, each `depth` columns of Rows
// numbers, zero past the last row.
template <std::size_t Rows>
void pack_rows(const MatrixView& a, std::size_t i0, std::size_t height, std::size_t k0, std::size_t depth,
               float* out) {
  using detail::vec::Vec;
  constexpr std::size_t lanes = detail::vec::lanes;
  for (std::size_t q = 0; q < height; q += Rows, out += depth * Rows) {
    const std::size_t rows = std::min(Rows, height - q);
    const float* corner = a.data + static_cast<std::ptrdiff_t>(i0 + q) * a.row_step +
                          static_cast<std::ptrdiff_t>(k0) * a.col_step;
    if (rows < Rows) std::fill(out, out + depth * Rows, 0.0f);
    if (a.row_step == 1 && rows == Rows) {
      for (std::size_t k = 0; k < depth; ++k) {
        const float* from = corner + static_cast<std::ptrdiff_t>(k) * a.col_step;
        for (std::size_t i = 0; i < Rows; i += lanes) store(out + k * Rows + i, load_as<Vec>(from + i));
      }
      continue;
    }
    if (a.row_step == 1) {
      for (std::size_t k = 0; k < depth; ++k)
        std::memcpy(out + k * Rows, corner + static_cast<std::ptrdiff_t>(k) * a.col_step, rows * sizeof(float));
      continue;
    }
    for (std::size_t i = 0; i < rows; ++i) {  // along a row of a: contiguous reads when a is row-major
      const float* from = corner + static_cast<std::ptrdiff_t>(i) * a.row_step;
      for (std::size_t k = 0; k < depth; ++k) out[k * Rows + i] = from[static_cast<std::ptrdiff_t>(k) * a.col_step];
    }
  }
}

#if RECALLBOUND_X86_KERNELS
// sum + a * b with one rounding. Not always_inline: the tiles that call it are built for the
// baseline too; the fused block kernels, built for FMA, flatten them and it into themselves.
[[gnu::target("avx2,fma")]] inline NarrowTiles::Vec fused_multiply_add(NarrowTiles::Vec a, float b,
                                                                      NarrowTiles::Vec sum) {
  return _mm256_fmadd_ps(a, _mm256_set1_ps(b), sum);
}
[[gnu::target("avx512f")]] inline WideTiles::Vec fused_multiply_add(WideTiles::Vec a, float b, WideTiles::Vec sum) {
  return _mm512_fmadd_ps(a, _mm512_set1_ps(b), sum);
}
#endif

// c(Tiles::rows x Cols tile, column-major, leading dimension ldc) += or = the panels' product over
// `depth`, each element's products added in k order, each step rounded twice (product, then sum)
// or, when Fused, once (a fused multiply-add). a's column k is at a + k * a_step (Tiles::rows
// numbers), b's row k at b + k * b_step (Cols numbers, no more are read). Cols < Tiles::cols is the
// last panel of a width that Tiles::cols does not divide (64 = 10 x 6 + 4): its own tile reads b in
// place and writes c directly, where a full tile on a zero-padded copy wasted a third of its work
// and copied c in and out one number at a time.
template <class Tiles, bool Fused, std::size_t Cols>
[[gnu::always_inline]] inline void tile(std::size_t depth, const float* a, std::ptrdiff_t a_step, const float* b,
                                        std::ptrdiff_t b_step, float* c, std::ptrdiff_t ldc, bool resume) {
  using Vec = typename Tiles::Vec;
  constexpr std::size_t lanes = Tiles::lanes;
  std::array<Vec, 2 * Cols> sums{};
  if (resume)
    for (std::size_t j = 0; j < Cols; ++j) {
      sums[2 * j] = load_as<Vec>(c + static_cast<std::ptrdiff_t>(j) * ldc);
      sums[2 * j + 1] = load_as<Vec>(c + static_cast<std::ptrdiff_t>(j) * ldc + lanes);
    }
  for (std::size_t k = 0; k < depth; ++k, a += a_step, b += b_step) {
    const Vec low = load_as<Vec>(a), high = load_as<Vec>(a + lanes);
    for (std::size_t j = 0; j < Cols; ++j) {
#if RECALLBOUND_X86_KERNELS
      if constexpr (Fused) {
        sums[2 * j] = fused_multiply_add(low, b[j], sums[2 * j]);
        sums[2 * j + 1] = fused_multiply_add(high, b[j], sums[2 * j + 1]);
        continue;
      }
#endif
      sums[2 * j] = sums[2 * j] + low * b[j];
      sums[2 * j + 1] = sums[2 * j + 1] + high * b[j];
    }
  }
  for (std::size_t j = 0; j < Cols; ++j) {
    store(c + static_cast<std::ptrdiff_t>(j) * ldc, sums[2 * j]);
    store(c + static_cast<std::ptrdiff_t>(j) * ldc + lanes, sums[2 * j + 1]);
  }
}

// tile<Tiles, Fused, cols> for a panel of `cols` (1 .. Tiles::cols) columns.
template <class Tiles, bool Fused, std::size_t... Widths>
[[gnu::always_inline]] inline void tile_of_width(std::index_sequence<Widths...>, std::size_t cols, std::size_t depth,
                                                 const float* a, std::ptrdiff_t a_step, const float* b,
                                                 std::ptrdiff_t b_step, float* c, std::ptrdiff_t ldc, bool resume) {
  (void)((cols == Widths + 1 && (tile<Tiles, Fused, Widths + 1>(depth, a, a_step, b, b_step, c, ldc, resume), true)) ||
         ...);
}

// Where the tiles of one block read an operand: in place (`direct`: a row-major b or a column-major
// a with a short or odd stride) or packed. In place, b's panels are all read there, a's full ones
// only (a tile reads a whole panel of rows, so a's last partial panel is packed, padded with zeros).
struct Panels {
  const float* direct;    // panel 0 in the operand, or nullptr when every panel is packed
  std::ptrdiff_t step;    // from k to k + 1 in the operand
  const float* packed;    // the packed panels (all of them, or those past `full`)
  std::size_t full;       // panels [0, full) are read in place when `direct`
  std::size_t depth;

  // Panel `index` (of `width` numbers across): its first number and its step from k to k + 1.
  [[nodiscard]] std::pair<const float*, std::ptrdiff_t> at(std::size_t index, std::size_t width) const {
    if (direct && index < full) return {direct + static_cast<std::ptrdiff_t>(index * width), step};
    const std::size_t packed_index = direct ? index - full : index;
    return {packed + packed_index * width * depth, static_cast<std::ptrdiff_t>(width)};
  }
};

// Every tile of a block pair, into c's block at (i0, j0). A tile short of a panel's rows, or in a c
// that is not column-major, goes through a local column-major tile.
template <class Tiles, bool Fused>
[[gnu::always_inline]] inline void tiles_of_block(const Panels& rows_of_a, const Panels& columns_of_b,
                                                  std::size_t height, std::size_t width, const MutableMatrixView& c,
                                                  std::size_t i0, std::size_t j0, bool resume) {
  constexpr std::size_t tile_rows = Tiles::rows, tile_cols = Tiles::cols;
  constexpr auto widths = std::make_index_sequence<tile_cols>{};
  alignas(64) std::array<float, tile_rows * tile_cols> local;
  const std::size_t depth = rows_of_a.depth;
  for (std::size_t p = 0; p < width; p += tile_cols) {
    const auto [b, b_step] = columns_of_b.at(p / tile_cols, tile_cols);
    const std::size_t cols = std::min(tile_cols, width - p);
    for (std::size_t q = 0; q < height; q += tile_rows) {
      const auto [a, a_step] = rows_of_a.at(q / tile_rows, tile_rows);
      const std::size_t rows = std::min(tile_rows, height - q);
      float* corner = c.data + static_cast<std::ptrdiff_t>(i0 + q) * c.row_step +
                      static_cast<std::ptrdiff_t>(j0 + p) * c.col_step;
      if (rows == tile_rows && c.row_step == 1) {
        tile_of_width<Tiles, Fused>(widths, cols, depth, a, a_step, b, b_step, corner, c.col_step, resume);
        continue;
      }
      const auto element = [&](std::size_t i, std::size_t j) -> float& {
        return corner[static_cast<std::ptrdiff_t>(i) * c.row_step + static_cast<std::ptrdiff_t>(j) * c.col_step];
      };
      if (resume)
        for (std::size_t j = 0; j < cols; ++j)
          for (std::size_t i = 0; i < rows; ++i) local[j * tile_rows + i] = element(i, j);
      tile_of_width<Tiles, Fused>(widths, cols, depth, a, a_step, b, b_step, local.data(), tile_rows, resume);
      for (std::size_t j = 0; j < cols; ++j)
        for (std::size_t i = 0; i < rows; ++i) element(i, j) = local[j * tile_rows + i];
    }
  }
}

// The block kernels, one per kernel and summation (the baseline has no fused one: it has no FMA).
using BlockKernel = void (*)(const Panels&, const Panels&, std::size_t, std::size_t, const MutableMatrixView&,
                             std::size_t, std::size_t, bool);

void block_baseline(const Panels& rows_of_a, const Panels& columns_of_b, std::size_t height, std::size_t width,
                    const MutableMatrixView& c, std::size_t i0, std::size_t j0, bool resume) {
  tiles_of_block<NarrowTiles, false>(rows_of_a, columns_of_b, height, width, c, i0, j0, resume);
}

#if RECALLBOUND_X86_KERNELS
#define RECALLBOUND_BLOCK_KERNEL(name, isa, tiles, fused)                                                        \
  [[gnu::target(isa), gnu::flatten]] void name(   const Panels& rows_of_a, const Panels& columns_of_b,          \
                                                  std::size_t height, std::size_t width,                        \
                                                  const MutableMatrixView& c, std::size_t i0, std::size_t j0,   \
                                                  bool resume) {                                                \
    tiles_of_block<tiles, fused>(rows_of_a, columns_of_b, height, width, c, i0, j0, resume);                  \
  }
RECALLBOUND_BLOCK_KERNEL(block_avx2, "avx2,fma", NarrowTiles, false)
RECALLBOUND_BLOCK_KERNEL(block_avx2_fused, "avx2,fma", NarrowTiles, true)
RECALLBOUND_BLOCK_KERNEL(block_avx512, "avx512f,avx512vl,avx2,fma", WideTiles, false)
RECALLBOUND_BLOCK_KERNEL(block_avx512_fused, "avx512f,avx512vl,avx2,fma", WideTiles, true)
#undef RECALLBOUND_BLOCK_KERNEL
#endif

// The product with `Tiles`' blocking, each block pair through `block`.
template <class Tiles>
void multiply_blocked(const MatrixView& a, const MatrixView& b, const MutableMatrixView& c, bool accumulate,
                      BlockKernel block) {
  constexpr std::size_t tile_rows = Tiles::rows, tile_cols = Tiles::cols;
  const std::size_t m = a.rows, n = b.cols, depth = a.cols;
  // b is read in place where it is row-major with a short or odd stride: packing it would cost as
  // much as the chunked forms' small products gain (their linear attention at d = 64 took 1.35x as
  // long with b packed). A column-major a is read in place where its stride is short or odd
  // (short_a_stride); with the separate summation that was no faster, with the fused one the
  // tiles have loads to spare.
  const bool b_direct = b.col_step == 1 && read_in_place(b.row_step, short_b_stride);
  const bool a_direct = a.row_step == 1 && read_in_place(a.col_step, short_a_stride);
  // Buffers for what is packed only: nothing of a b read in place, one partial panel of an a read
  // in place. Small ones (the chunked forms' blocks) are on the stack, and a large one is left
  // uninitialised: a heap buffer zeroed per call, sized as if b were packed, cost the chunked forms'
  // one-product read-out ([Q | M] [S; V], depth 128, 64 columns) 3% of their time.
  const std::size_t depth_step = std::min(depth, depth_block);
  const std::size_t columns_size = b_direct ? 0 : depth_step * round_up(std::min(n, col_block), tile_cols);
  const std::size_t rows_size = depth_step * (a_direct ? tile_rows : round_up(std::min(m, row_block), tile_rows));
  alignas(64) std::array<float, small_buffer> small_columns, small_rows;
  const auto scratch = [](std::size_t size) {
    return std::unique_ptr<float[]>(size > small_buffer ? new float[size] : nullptr);  // new float[] leaves them as they are
  };
  const std::unique_ptr<float[]> large_columns = scratch(columns_size), large_rows = scratch(rows_size);
  float* const columns = large_columns ? large_columns.get() : small_columns.data();
  float* const rows = large_rows ? large_rows.get() : small_rows.data();
  for (std::size_t j0 = 0; j0 < n; j0 += col_block) {
    const std::size_t width = std::min(col_block, n - j0);
    // Read in place, b's last panel too: its tile reads only the columns there are.
    const std::size_t direct_panels = b_direct ? round_up(width, tile_cols) / tile_cols : 0;
    const std::size_t packed_from = std::min(width, direct_panels * tile_cols);
    for (std::size_t k0 = 0; k0 < depth; k0 += depth_block) {
      const std::size_t block_depth = std::min(depth_block, depth - k0);
      pack_columns<tile_cols>(b, k0, block_depth, j0 + packed_from, width - packed_from, columns);
      const Panels columns_of_b{
          b_direct ? b.data + static_cast<std::ptrdiff_t>(k0) * b.row_step + static_cast<std::ptrdiff_t>(j0) : nullptr,
          b.row_step, columns, direct_panels, block_depth};
      for (std::size_t i0 = 0; i0 < m; i0 += row_block) {
        const std::size_t height = std::min(row_block, m - i0);
        const std::size_t full_rows = a_direct ? height / tile_rows : 0;
        pack_rows<tile_rows>(a, i0 + full_rows * tile_rows, height - full_rows * tile_rows, k0, block_depth, rows);
        const Panels rows_of_a{
            a_direct ? a.data + static_cast<std::ptrdiff_t>(i0) + static_cast<std::ptrdiff_t>(k0) * a.col_step : nullptr,
            a.col_step, rows, full_rows, block_depth};
        block(rows_of_a, columns_of_b, height, width, c, i0, j0, accumulate || k0 > 0);
      }
    }
  }
}

// The product on `kernel`, which the caller has made sure runs here.
void product_on(detail::ProductKernel kernel, const MatrixView& a, const MatrixView& b, const MutableMatrixView& c,
                bool accumulate, Summation summation) {
  using detail::ProductKernel;
  if (a.cols != b.rows || c.rows != a.rows || c.cols != b.cols)
    throw Error::internal("multiply: shapes [" + std::to_string(a.rows) + ", " + std::to_string(a.cols) + "] x [" +
                          std::to_string(b.rows) + ", " + std::to_string(b.cols) + "] -> [" + std::to_string(c.rows) +
                          ", " + std::to_string(c.cols) + "] do not agree");
  const std::size_t m = a.rows, n = b.cols, depth = a.cols;
  if (m == 0 || n == 0) return;
  if (depth == 0) {
    if (!accumulate)
      for (std::size_t j = 0; j < n; ++j)
        for (std::size_t i = 0; i < m; ++i)
          c.data[static_cast<std::ptrdiff_t>(i) * c.row_step + static_cast<std::ptrdiff_t>(j) * c.col_step] = 0.0f;
    return;
  }
  const bool fused = summation == Summation::fused;
  switch (kernel) {
#if RECALLBOUND_X86_KERNELS
    case ProductKernel::avx512:
      return multiply_blocked<WideTiles>(a, b, c, accumulate, fused ? block_avx512_fused : block_avx512);
    case ProductKernel::avx2:
      return multiply_blocked<NarrowTiles>(a, b, c, accumulate, fused ? block_avx2_fused : block_avx2);
#endif
    default: return multiply_blocked<NarrowTiles>(a, b, c, accumulate, block_baseline);
  }
}

}  // namespace

namespace detail {

bool runs_on_this_machine(ProductKernel kernel) {
  switch (kernel) {
    case ProductKernel::baseline: return true;
#if RECALLBOUND_X86_KERNELS
    case ProductKernel::avx2: return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case ProductKernel::avx512:
      return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
             __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#endif
    default: return false;
  }
}

ProductKernel widest_product_kernel() {
  static const ProductKernel widest = [] {  // the machine does not change: asked once
    for (const ProductKernel kernel : {ProductKernel::avx512, ProductKernel::avx2})
      if (runs_on_this_machine(kernel)) return kernel;
    return ProductKernel::baseline;
  }();
  return widest;
}

const char* kernel_name(ProductKernel kernel) {
  switch (kernel) {
    case ProductKernel::avx2: return "avx2";
    case ProductKernel::avx512: return "avx512";
    default: return "baseline";
  }
}

void multiply_on(ProductKernel kernel, const MatrixView& a, const MatrixView& b, const MutableMatrixView& c,
                 bool accumulate, Summation summation) {
  if (!runs_on_this_machine(kernel))
    throw Error::internal(std::string("multiply: the ") + kernel_name(kernel) + " kernel does not run on this machine");
  product_on(kernel, a, b, c, accumulate, summation);
}

}  // namespace detail

bool fused_on_this_machine() { return detail::widest_product_kernel() != detail::ProductKernel::baseline; }

void multiply(const MatrixView& a, const MatrixView& b, const MutableMatrixView& c, bool accumulate,
              Summation summation) {
  product_on(detail::widest_product_kernel(), a, b, c, accumulate, summation);  // runs here by its choice
}

}  // namespace recallbound::models
