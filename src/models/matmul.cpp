// The fixed-order fp32 product of include/recallbound/models/matmul.hpp, blocked as BLIS does:
// b is packed a block of columns and depth at a time (a panel of tile_cols columns stays in L1 while
// the tiles under it run), a a block of rows at a time, and a tile_rows x tile_cols register tile
// adds its products over the block's depth in order. Blocking splits the depth, never reorders it:
// a tile that resumes a column of c loads the partial sum and goes on adding. This file is compiled
// with -ffp-contract=off (src/models/CMakeLists.txt), so a product and a sum stay two roundings.
#include "recallbound/models/matmul.hpp"

#include "recallbound/error.hpp"
#include "memory_kernels.hpp"
#include "vector_rounding.hpp"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <utility>

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define RECALLBOUND_HAS_FUSED 1
#include <immintrin.h>
#else
#define RECALLBOUND_HAS_FUSED 0
#endif

namespace recallbound::models {
namespace {

using detail::vec::load;
using detail::vec::store;
using detail::vec::Vec;

constexpr std::size_t tile_rows = 16;    // two vectors of 8 rows
// 12 accumulators, two per column: a fused multiply-add takes 4 cycles on each of 2 pipes here, so 8
// must be in flight, and 12 leave slack (16 x 4, 8 accumulators, took 1.04-1.12x as long in the
// chunked forms); 12 + 2 + 1 of the 16 vector registers.
constexpr std::size_t tile_cols = 6;
constexpr std::size_t depth_block = 320; // a packed column panel: 5 KB; Taylor features (273) in one block
constexpr std::size_t row_block = 128;   // a packed row block: 160 KB, in L2
constexpr std::size_t col_block = 768;   // a packed column block: 768 KB
constexpr std::size_t small_buffer = 8192;  // floats of a packing buffer kept on the stack (32 KB)
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

// b(k0 .. k0 + depth, j0 .. j0 + width) as panels of tile_cols columns, each `depth` rows of
// tile_cols numbers (b(k, j0 + p * tile_cols + 0 .. tile_cols - 1) for panel p), zero past the last column.
void pack_columns(const MatrixView& b, std::size_t k0, std::size_t depth, std::size_t j0, std::size_t width,
                  float* out) {
  for (std::size_t p = 0; p < width; p += tile_cols, out += depth * tile_cols) {
    const std::size_t cols = std::min(tile_cols, width - p);
    if (cols < tile_cols) std::fill(out, out + depth * tile_cols, 0.0f);
    if (b.col_step == 1) {  // b row-major: each k's numbers are contiguous
      for (std::size_t k = 0; k < depth; ++k) {
        const float* from = b.data + static_cast<std::ptrdiff_t>(k0 + k) * b.row_step + static_cast<std::ptrdiff_t>(j0 + p);
        for (std::size_t j = 0; j < cols; ++j) out[k * tile_cols + j] = from[j];
      }
      continue;
    }
    for (std::size_t j = 0; j < cols; ++j) {  // down a column of b: contiguous reads when b is column-major
      const float* from = b.data + static_cast<std::ptrdiff_t>(k0) * b.row_step +
                          static_cast<std::ptrdiff_t>(j0 + p + j) * b.col_step;
      for (std::size_t k = 0; k < depth; ++k) out[k * tile_cols + j] = from[static_cast<std::ptrdiff_t>(k) * b.row_step];
    }
  }
}

// a(i0 .. i0 + height, k0 .. k0 + depth) as panels of tile_rows rows, each `depth` columns of
// tile_rows numbers, zero past the last row.
void pack_rows(const MatrixView& a, std::size_t i0, std::size_t height, std::size_t k0, std::size_t depth,
               float* out) {
  for (std::size_t q = 0; q < height; q += tile_rows, out += depth * tile_rows) {
    const std::size_t rows = std::min(tile_rows, height - q);
    const float* corner = a.data + static_cast<std::ptrdiff_t>(i0 + q) * a.row_step +
                          static_cast<std::ptrdiff_t>(k0) * a.col_step;
    if (rows < tile_rows) std::fill(out, out + depth * tile_rows, 0.0f);
    if (a.row_step == 1 && rows == tile_rows) {
      for (std::size_t k = 0; k < depth; ++k) {
        const float* from = corner + static_cast<std::ptrdiff_t>(k) * a.col_step;
        store(out + k * tile_rows, load(from));
        store(out + k * tile_rows + 8, load(from + 8));
      }
      continue;
    }
    if (a.row_step == 1) {
      for (std::size_t k = 0; k < depth; ++k)
        std::memcpy(out + k * tile_rows, corner + static_cast<std::ptrdiff_t>(k) * a.col_step, rows * sizeof(float));
      continue;
    }
    for (std::size_t i = 0; i < rows; ++i) {  // along a row of a: contiguous reads when a is row-major
      const float* from = corner + static_cast<std::ptrdiff_t>(i) * a.row_step;
      for (std::size_t k = 0; k < depth; ++k) out[k * tile_rows + i] = from[static_cast<std::ptrdiff_t>(k) * a.col_step];
    }
  }
}

#if RECALLBOUND_HAS_FUSED
// sum + a * b with one rounding. Not always_inline: the tiles that call it are built for the
// baseline too; multiply_block_fused, built for AVX2 + FMA, flattens them and it into itself.
[[gnu::target("avx2,fma")]] inline Vec fused_multiply_add(Vec a, float b, Vec sum) {
  return _mm256_fmadd_ps(a, _mm256_set1_ps(b), sum);
}
#endif

// c(16 x Cols tile, column-major, leading dimension ldc) += or = the panels' product over `depth`,
// each element's products added in k order, each step rounded twice (product, then sum) or, when
// Fused, once (a fused multiply-add). a's column k is at a + k * a_step (16 numbers), b's row k at
// b + k * b_step (Cols numbers, no more are read). Cols < tile_cols is the last panel of a width
// that tile_cols does not divide (64 = 10 x 6 + 4): its own tile reads b in place and writes c
// directly, where a 6-column tile on a zero-padded copy wasted a third of its work and copied c
// in and out one number at a time.
template <bool Fused, std::size_t Cols = tile_cols>
[[gnu::always_inline]] inline void tile(std::size_t depth, const float* a, std::ptrdiff_t a_step, const float* b,
                                        std::ptrdiff_t b_step, float* c, std::ptrdiff_t ldc, bool resume) {
  std::array<Vec, 2 * Cols> sums{};
  if (resume)
    for (std::size_t j = 0; j < Cols; ++j) {
      sums[2 * j] = load(c + static_cast<std::ptrdiff_t>(j) * ldc);
      sums[2 * j + 1] = load(c + static_cast<std::ptrdiff_t>(j) * ldc + 8);
    }
  for (std::size_t k = 0; k < depth; ++k, a += a_step, b += b_step) {
    const Vec low = load(a), high = load(a + 8);
    for (std::size_t j = 0; j < Cols; ++j) {
#if RECALLBOUND_HAS_FUSED
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
    store(c + static_cast<std::ptrdiff_t>(j) * ldc + 8, sums[2 * j + 1]);
  }
}

// tile<Fused, cols> for a panel of `cols` (1 .. tile_cols) columns.
template <bool Fused>
[[gnu::always_inline]] inline void tile_of_width(std::size_t cols, std::size_t depth, const float* a,
                                                 std::ptrdiff_t a_step, const float* b, std::ptrdiff_t b_step, float* c,
                                                 std::ptrdiff_t ldc, bool resume) {
  static_assert(tile_cols == 6, "one case per panel width");
  switch (cols) {
    case 6: return tile<Fused, 6>(depth, a, a_step, b, b_step, c, ldc, resume);
    case 5: return tile<Fused, 5>(depth, a, a_step, b, b_step, c, ldc, resume);
    case 4: return tile<Fused, 4>(depth, a, a_step, b, b_step, c, ldc, resume);
    case 3: return tile<Fused, 3>(depth, a, a_step, b, b_step, c, ldc, resume);
    case 2: return tile<Fused, 2>(depth, a, a_step, b, b_step, c, ldc, resume);
    default: return tile<Fused, 1>(depth, a, a_step, b, b_step, c, ldc, resume);
  }
}

// Where the tiles of one block read an operand: in place (`direct`: a row-major b or a column-major
// a with a short or odd stride) or packed. In place, b's panels are all read there, a's full ones
// only (a tile reads 16 rows, so a's last partial panel is packed, padded with zeros).
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

// Every tile of a block pair, into c's block at (i0, j0). A tile short of 16 rows, or in a c that
// is not column-major, goes through a local column-major tile.
template <bool Fused>
[[gnu::always_inline]] inline void tiles_of_block(const Panels& rows_of_a, const Panels& columns_of_b,
                                                  std::size_t height, std::size_t width, const MutableMatrixView& c,
                                                  std::size_t i0, std::size_t j0, bool resume) {
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
        tile_of_width<Fused>(cols, depth, a, a_step, b, b_step, corner, c.col_step, resume);
        continue;
      }
      const auto element = [&](std::size_t i, std::size_t j) -> float& {
        return corner[static_cast<std::ptrdiff_t>(i) * c.row_step + static_cast<std::ptrdiff_t>(j) * c.col_step];
      };
      if (resume)
        for (std::size_t j = 0; j < cols; ++j)
          for (std::size_t i = 0; i < rows; ++i) local[j * tile_rows + i] = element(i, j);
      tile_of_width<Fused>(cols, depth, a, a_step, b, b_step, local.data(), tile_rows, resume);
      for (std::size_t j = 0; j < cols; ++j)
        for (std::size_t i = 0; i < rows; ++i) element(i, j) = local[j * tile_rows + i];
    }
  }
}

RECALLBOUND_KERNEL void multiply_block(const Panels& rows_of_a, const Panels& columns_of_b, std::size_t height,
                                       std::size_t width, const MutableMatrixView& c, std::size_t i0, std::size_t j0,
                                       bool resume) {
  tiles_of_block<false>(rows_of_a, columns_of_b, height, width, c, i0, j0, resume);
}

#if RECALLBOUND_HAS_FUSED
[[gnu::target("avx2,fma"), gnu::flatten]] void multiply_block_fused(const Panels& rows_of_a, const Panels& columns_of_b,
                                                      std::size_t height, std::size_t width,
                                                      const MutableMatrixView& c, std::size_t i0, std::size_t j0,
                                                      bool resume) {
  tiles_of_block<true>(rows_of_a, columns_of_b, height, width, c, i0, j0, resume);
}
#endif

// Whether `summation` runs fused here: asked for, and the machine has AVX2 and FMA.
bool runs_fused(Summation summation) {
#if RECALLBOUND_HAS_FUSED
  return summation == Summation::fused && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
  return false;
#endif
}

}  // namespace

bool fused_on_this_machine() { return runs_fused(Summation::fused); }

void multiply(const MatrixView& a, const MatrixView& b, const MutableMatrixView& c, bool accumulate,
              Summation summation) {
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
  [[maybe_unused]] const bool fused = runs_fused(summation);
  for (std::size_t j0 = 0; j0 < n; j0 += col_block) {
    const std::size_t width = std::min(col_block, n - j0);
    // Read in place, b's last panel too: its tile reads only the columns there are.
    const std::size_t direct_panels = b_direct ? round_up(width, tile_cols) / tile_cols : 0;
    const std::size_t packed_from = std::min(width, direct_panels * tile_cols);
    for (std::size_t k0 = 0; k0 < depth; k0 += depth_block) {
      const std::size_t block_depth = std::min(depth_block, depth - k0);
      pack_columns(b, k0, block_depth, j0 + packed_from, width - packed_from, columns);
      const Panels columns_of_b{
          b_direct ? b.data + static_cast<std::ptrdiff_t>(k0) * b.row_step + static_cast<std::ptrdiff_t>(j0) : nullptr,
          b.row_step, columns, direct_panels, block_depth};
      for (std::size_t i0 = 0; i0 < m; i0 += row_block) {
        const std::size_t height = std::min(row_block, m - i0);
        const std::size_t full_rows = a_direct ? height / tile_rows : 0;
        pack_rows(a, i0 + full_rows * tile_rows, height - full_rows * tile_rows, k0, block_depth, rows);
        const Panels rows_of_a{
            a_direct ? a.data + static_cast<std::ptrdiff_t>(i0) + static_cast<std::ptrdiff_t>(k0) * a.col_step : nullptr,
            a.col_step, rows, full_rows, block_depth};
#if RECALLBOUND_HAS_FUSED
        if (fused) {
          multiply_block_fused(rows_of_a, columns_of_b, height, width, c, i0, j0, accumulate || k0 > 0);
          continue;
        }
#endif
        multiply_block(rows_of_a, columns_of_b, height, width, c, i0, j0, accumulate || k0 > 0);
      }
    }
  }
}

}  // namespace recallbound::models
