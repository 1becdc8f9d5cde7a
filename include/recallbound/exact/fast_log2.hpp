#pragma once
// log2 of a double with a proven a-priori error bound, for the batch hot path: no interval
// arithmetic and no rounding-mode switches inside, so callers can sum several such values in plain
// round-to-nearest arithmetic and widen once by a bound derived for the whole expression
// (docs/exactness.md, "The batch fast path", proves both bounds).
//
// Method: x = m 2^e with m in [1, 2) exactly; c = 1 + (2i + 1)/512 is the centre of the 1/256-wide
// cell of m (i = the top 8 fraction bits), so r = m - c is exact (Sterbenz) and |r / c| <= 2^-9;
// log2 x = e + log2 c + log2(1 + r/c), with log2 c from a 256-entry table (MPFI at 128 bits, rounded
// to nearest) and log2(1 + z) by the degree-5 Taylor polynomial in Horner form.
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>

namespace recallbound {

/// Unit roundoff of IEEE double (round to nearest): |fl(a op b) - a op b| <= u |fl(a op b)|.
inline constexpr double unit_roundoff = 0x1p-53;

/// For every positive normal double x: |fast_log2_approx(x) - log2 x| <= u |result| + fast_log2_absolute_error.
inline constexpr double fast_log2_absolute_error = 2 * unit_roundoff;

struct FastLog2Table {
  static constexpr std::size_t cells = 256;
  std::array<double, cells> inverse_centre{};  // 1 / c_i rounded to nearest (only needs to be close)
  std::array<double, cells> log2_centre{};     // log2 c_i rounded to nearest, error <= 2^-54 + 2^-120
};

/// Built once (thread-safe static initialisation) from MPFI enclosures; immutable afterwards.
const FastLog2Table& fast_log2_table();

/// Requires x positive, finite and normal (x >= 2^-1022); callers guarantee it.
inline double fast_log2_approx(const FastLog2Table& table, double x) {
  // log2(1 + z) = sum_k (-1)^(k+1) z^k / (k ln 2); the coefficients rounded to nearest.
  constexpr double a1 = 1.4426950408889634, a2 = -0.7213475204444817, a3 = 0.4808983469629878,
                   a4 = -0.36067376022224085, a5 = 0.28853900817779266;
  const auto bits = std::bit_cast<std::uint64_t>(x);
  const auto exponent = static_cast<std::int64_t>(bits >> 52) - 1023;
  const auto cell = static_cast<std::size_t>((bits >> 44) & 0xff);
  const double m = std::bit_cast<double>((bits & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL);
  const double centre = 1 + static_cast<double>(2 * cell + 1) * 0x1p-9;  // exact
  const double z = (m - centre) * table.inverse_centre[cell];              // m - centre exact
  const double poly = z * (a1 + z * (a2 + z * (a3 + z * (a4 + z * a5))));
  return static_cast<double>(exponent) + (table.log2_centre[cell] + poly);
}

}  // namespace recallbound
