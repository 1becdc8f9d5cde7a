#pragma once
// Eight floats at a time for the memory kernels and round_in_place (storage_format.cpp): GCC vector
// types, which compile to one AVX register or two SSE registers, so the AVX2 and the baseline build
// of a kernel compute the same bits; and the rounding to a storage format with round_in_place's bits.
#include "recallbound/models/storage_format.hpp"

#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>

#pragma GCC diagnostic ignored "-Wpsabi"  // 32-byte vectors in the baseline build; inlined, never passed

namespace recallbound::models::detail::vec {

using Vec = float __attribute__((vector_size(32)));  // 8 floats: one AVX register, two SSE registers
constexpr std::size_t lanes = 8;
// 16 floats, one AVX-512 register: only in code built for x86-64-v4 (the wide fused recurrence).
using Vec16 = float __attribute__((vector_size(64)));

template <class V>
[[gnu::always_inline]] inline V load_as(const float* p) {
  V v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
[[gnu::always_inline]] inline Vec load(const float* p) { return load_as<Vec>(p); }
template <class V>
  requires(sizeof(V) == sizeof(Vec) || sizeof(V) == sizeof(Vec16))  // a vector, never a lone float
[[gnu::always_inline]] inline void store(float* p, V v) {
  std::memcpy(p, &v, sizeof v);
}
/// The floats (rows of a column) in one vector of V.
template <class V>
constexpr std::size_t rows_of = sizeof(V) / sizeof(float);

// A 16-row block's product as the fixed-order dot product adds it (dot_columns in
// memory_kernels.cpp): the sum of its two 8-row halves, lane by lane.
[[gnu::always_inline]] inline Vec block_sum(Vec16 product) {
  return __builtin_shufflevector(product, product, 0, 1, 2, 3, 4, 5, 6, 7) +
         __builtin_shufflevector(product, product, 8, 9, 10, 11, 12, 13, 14, 15);
}
// There is no splat: a scalar meets a vector only as an operand of * (GCC broadcasts it exactly, in
// one instruction); Vec{} + x would turn -0 into +0, and an initializer list compiles to eight inserts.

// The fixed order in which a dot product's eight lane sums are added.
[[gnu::always_inline]] inline float lane_sum(Vec v) {
  return ((v[0] + v[4]) + (v[2] + v[6])) + ((v[1] + v[5]) + (v[3] + v[7]));
}

// out[k] = lane_sum(v[k]) for eight vectors, with the same bits: each level of lane_sum's tree is
// one lane-wise add of two shuffles, so eight sums cost 7 adds instead of 56.
[[gnu::always_inline]] inline void lane_sums8(const float* vectors, float* out) {
  const auto v = [&](std::size_t k) { return load(vectors + k * lanes); };
  // [a0 + a4, a1 + a5, a2 + a6, a3 + a7, b0 + b4, ..., b3 + b7]
  const auto halves = [](Vec a, Vec b) {
    return __builtin_shufflevector(a, b, 0, 1, 2, 3, 8, 9, 10, 11) +
           __builtin_shufflevector(a, b, 4, 5, 6, 7, 12, 13, 14, 15);
  };
  // of halves(a, b) and halves(c, d): [a's (0 + 4) + (2 + 6), a's (1 + 5) + (3 + 7), c's two, b's two, d's two]
  const auto quarters = [](Vec ab, Vec cd) {
    return __builtin_shufflevector(ab, cd, 0, 1, 8, 9, 4, 5, 12, 13) +
           __builtin_shufflevector(ab, cd, 2, 3, 10, 11, 6, 7, 14, 15);
  };
  // Pairing vector k with k + 4 puts the eight sums in order.
  const Vec low = quarters(halves(v(0), v(4)), halves(v(1), v(5)));   // [0, 0', 1, 1', 4, 4', 5, 5']
  const Vec high = quarters(halves(v(2), v(6)), halves(v(3), v(7)));  // [2, 2', 3, 3', 6, 6', 7, 7']
  store(out, __builtin_shufflevector(low, high, 0, 2, 8, 10, 4, 6, 12, 14) +
                 __builtin_shufflevector(low, high, 1, 3, 9, 11, 5, 7, 13, 15));
}

using VecI = std::int32_t __attribute__((vector_size(32)));
using VecU = std::uint32_t __attribute__((vector_size(32)));
using VecI16 = std::int32_t __attribute__((vector_size(64)));
using VecU16 = std::uint32_t __attribute__((vector_size(64)));

// The integer vectors of a float vector's width (the rounding works on the bit patterns).
template <class V> struct BitsOf;
template <> struct BitsOf<Vec> { using Signed = VecI; using Unsigned = VecU; };
template <> struct BitsOf<Vec16> { using Signed = VecI16; using Unsigned = VecU16; };
template <class V> using SignedBits = typename BitsOf<V>::Signed;
template <class VI> struct FloatsOf;
template <> struct FloatsOf<VecI> { using Type = Vec; };
template <> struct FloatsOf<VecI16> { using Type = Vec16; };
/// Eight flags widened to sixteen lanes (each twice), for OR-ing into a wide kernel's flags.
[[gnu::always_inline]] inline VecI16 widen_flags(VecI flags) {
  return __builtin_shufflevector(flags, flags, 0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3, 4, 5, 6, 7);
}

// Rounds a vector of numbers (8 or 16) at a time to the storage format, with the same bits as round_in_place:
// the bit-pattern rounding for the common case (zero, or a normal number whose rounding stays
// finite); a lane outside it (a subnormal of a format narrower in range than fp32, a magnitude that
// rounds past the largest finite value, inf, NaN) is left unrounded and flagged, and the caller
// rounds what it flagged with round_to_format. bf16 has fp32's exponent range, so its subnormals
// round correctly on the bit pattern and only the top of the range is checked.
// bf16_bounded: bf16 where the caller has proved that no number can leave the finite range
// (stays_finite_bf16), so no lane is checked.
enum class RoundMode { none, bf16, bf16_bounded, float_bits, integer };

// Wide: for kernels built for x86-64-v4, which take their tests without vector compares (see
// clamp_code); the same lanes and bits as with them.
template <RoundMode Mode, bool Wide = false>
class Rounder {
 public:
  explicit Rounder(const StorageFormat& format) : format_(format) {
    if constexpr (Mode == RoundMode::none) return;
    if constexpr (Mode == RoundMode::integer) {
      to_code_ = std::ldexp(1.0f, -format.scale_exponent);
      to_value_ = std::ldexp(1.0f, format.scale_exponent);
      largest_ = std::ldexp(1.0f, static_cast<int>(format.integer_bits) - 1) - 1.0f;
      smallest_ = -largest_ - 1.0f;
      smallest_bits_ = std::bit_cast<std::int32_t>(smallest_);
      largest_bits_ = std::bit_cast<std::int32_t>(largest_);
      smallest_magnitude_ = smallest_bits_ & 0x7FFFFFFF;
      largest_magnitude_ = largest_bits_ & 0x7FFFFFFF;
      return;
    }
    dropped_ = 23 - static_cast<unsigned>(mantissa_bits(format.kind));
    half_minus_one_ = (1u << (dropped_ - 1)) - 1u;
    keep_mask_ = ~((1u << dropped_) - 1u);
    const float smallest_normal = std::ldexp(1.0f, min_normal_exponent(format.kind));
    smallest_normal_ = static_cast<std::int32_t>(std::bit_cast<std::uint32_t>(smallest_normal));
    // The largest magnitude whose rounding stays <= the largest finite value (rounding is monotone).
    const std::uint32_t max_finite = std::bit_cast<std::uint32_t>(static_cast<float>(format.max_finite()));
    std::uint32_t low = max_finite, high = 0x7F800000u;  // rounds(low) <= max_finite < rounds(high)
    while (high - low > 1) {
      const std::uint32_t middle = low + (high - low) / 2;
      const std::uint32_t rounded = (middle + half_minus_one_ + ((middle >> dropped_) & 1u)) & keep_mask_;
      (rounded <= max_finite ? low : high) = middle;
    }
    largest_kept_ = static_cast<std::int32_t>(low);
  }
  static constexpr bool flags = Mode == RoundMode::bf16 || Mode == RoundMode::float_bits;

  template <class V>
  [[gnu::always_inline]] V operator()(V v, SignedBits<V>& flagged) const {
    static_assert(Wide || sizeof(V) == sizeof(Vec), "16-float vectors are for the wide (x86-64-v4) rounder");
    using VI = SignedBits<V>;
    using VU = typename BitsOf<V>::Unsigned;
    if constexpr (Mode == RoundMode::none) {
      return v;
    } else if constexpr (Mode == RoundMode::integer) {  // round_in_place's integer path, lane by lane
      V code = v * to_code_;
      if constexpr (Wide) {
        code = std::bit_cast<V>(clamp_code(std::bit_cast<VI>(code)));
      } else {
        code = code == code ? code : V{};  // NaN stores as 0
        code = code < smallest_ ? V{} + smallest_ : code;
        code = largest_ < code ? V{} + largest_ : code;
      }
      code = (code + magic_) - magic_;
      return code * to_value_;
    } else {
      // Ties-to-even on the pattern with its sign: a carry into the sign bit needs a NaN, which is flagged.
      const VI bits = std::bit_cast<VI>(v);
      const VU pattern = std::bit_cast<VU>(v);  // unsigned: the add may wrap (NaN only)
      const VI rounded =
          std::bit_cast<VI>((pattern + static_cast<std::uint32_t>(half_minus_one_) + ((pattern >> dropped_) & 1u)) &
                            static_cast<std::uint32_t>(keep_mask_));
      if constexpr (Mode == RoundMode::bf16_bounded) return std::bit_cast<V>(rounded);
      const VI magnitude = bits & 0x7FFFFFFF;
      if constexpr (Wide) {  // the same lanes, without compares (see clamp_code)
        VI odd = (largest_kept_ - magnitude) >> 31;  // magnitude > largest kept
        if constexpr (Mode == RoundMode::float_bits)  // 0 < magnitude < smallest normal
          odd |= ((magnitude - smallest_normal_) & ~(magnitude - 1)) >> 31;
        flagged |= odd;
        return std::bit_cast<V>((bits & odd) | (rounded & ~odd));
      } else {
        VI odd = magnitude > largest_kept_;
        if constexpr (Mode == RoundMode::float_bits)  // 0 < magnitude < smallest normal, as one signed compare
          odd |= ((magnitude - 1) ^ std::numeric_limits<std::int32_t>::min()) <
                 ((smallest_normal_ - 1) ^ std::numeric_limits<std::int32_t>::min());
        flagged |= odd;
        return std::bit_cast<V>(odd ? bits : rounded);
      }
    }
  }
  [[gnu::always_inline]] float operator()(float x) const {
    if constexpr (Mode == RoundMode::none) return x;
    else return round_to_format(x, format_);
  }
  /// v, whose lanes operator() has rounded or flagged, with the flagged lanes rounded by
  /// round_to_format. operator() on a rounded number returns it, so asking it again finds them.
  template <class V>
  [[gnu::always_inline]] V round_flagged(V v) const {
    SignedBits<V> odd{};
    (void)(*this)(v, odd);
    if (!any(odd)) return v;
    for (std::size_t lane = 0; lane < rows_of<V>; ++lane)
      if (odd[lane] != 0) v[lane] = round_to_format(v[lane], format_);
    return v;
  }
  /// Rounds the flagged numbers among `count` at `values`, which operator() has rounded or flagged,
  /// when `flagged` has a lane set (and clears it); vectors of VI's width at a time.
  template <class VI>
  [[gnu::always_inline]] void fix(float* values, std::size_t count, VI& flagged) const {
    if constexpr (!flags) return;
    if (!any(flagged)) [[likely]] return;
    using V = typename FloatsOf<VI>::Type;
    std::size_t i = 0;
    for (; i + rows_of<V> <= count; i += rows_of<V>) store(values + i, round_flagged(load_as<V>(values + i)));
    for (; i < count; ++i) values[i] = round_to_format(values[i], format_);
    flagged = VI{};
  }
  [[gnu::always_inline]] static bool any(VecI16 v) {
    const VecI halves = __builtin_shufflevector(v, v, 0, 1, 2, 3, 4, 5, 6, 7) |
                        __builtin_shufflevector(v, v, 8, 9, 10, 11, 12, 13, 14, 15);
    return any(halves);
  }
  [[gnu::always_inline]] static bool any(VecI v) {
    using Half = std::int32_t __attribute__((vector_size(16)));
    const Half both = __builtin_shufflevector(v, v, 0, 1, 2, 3) | __builtin_shufflevector(v, v, 4, 5, 6, 7);
    std::uint64_t low, high;
    std::memcpy(&low, &both, 8);
    std::memcpy(&high, reinterpret_cast<const char*>(&both) + 8, 8);
    return (low | high) != 0;
  }

 private:
  // The integer path's NaN to +0 and clamp to [smallest, largest] on 16 lanes, on the bit patterns
  // with shifts and masks. Compares of 16 lanes are what GCC 12 cannot build here: a compare
  // written in a function built for baseline x86-64 gets a mask type with 32-bit lanes, and once
  // inlined into the x86-64-v4 kernel (which wants AVX-512 mask registers) it is split into 16
  // scalar compares and selects, which made the wide delta rule 6x slower in bf16. Each test below
  // is the sign of a difference of two numbers in [0, 2^31), which cannot overflow.
  template <class VI>
  [[gnu::always_inline]] VI clamp_code(VI bits) const {
    bits &= ~((0x7F800000 - (bits & 0x7FFFFFFF)) >> 31);  // NaN (magnitude above inf's) stores as +0
    const VI magnitude = bits & 0x7FFFFFFF, negative = bits >> 31;
    const VI below = negative & ((smallest_magnitude_ - magnitude) >> 31);  // code < smallest
    const VI above = ~negative & ((largest_magnitude_ - magnitude) >> 31);  // code > largest
    bits = (bits & ~below) | (smallest_bits_ & below);
    return (bits & ~above) | (largest_bits_ & above);
  }
  static int mantissa_bits(FormatKind kind) {
    switch (kind) {
      case FormatKind::fp16: return 10;
      case FormatKind::bf16: return 7;
      case FormatKind::fp8_e5m2: return 2;
      default: return 3;  // fp8-e4m3
    }
  }
  static int min_normal_exponent(FormatKind kind) {
    switch (kind) {
      case FormatKind::fp16: case FormatKind::fp8_e5m2: return -14;
      case FormatKind::bf16: return -126;
      default: return -6;  // fp8-e4m3
    }
  }
  StorageFormat format_;
  float to_code_ = 1, to_value_ = 1, largest_ = 0, smallest_ = 0;
  static constexpr float magic_ = 12582912.0f;  // 1.5 * 2^23
  std::int32_t dropped_ = 0, half_minus_one_ = 0, keep_mask_ = 0, smallest_normal_ = 0, largest_kept_ = 0;
  std::int32_t smallest_bits_ = 0, largest_bits_ = 0, smallest_magnitude_ = 0, largest_magnitude_ = 0;
};

}  // namespace recallbound::models::detail::vec

// Kernels are built twice, for AVX2 and for baseline x86-64, and picked at run time; both use the
// 8-float vector type above, so they give the same bits. RECALLBOUND_WIDE_KERNEL marks a kernel of
// 16-float vectors, built for x86-64-v4 (AVX-512) only and called only where that runs.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define RECALLBOUND_KERNEL __attribute__((target_clones("avx2", "default")))
#define RECALLBOUND_WIDE_KERNELS 1
#define RECALLBOUND_WIDE_KERNEL __attribute__((target("arch=x86-64-v4")))
#else
#define RECALLBOUND_KERNEL
#define RECALLBOUND_WIDE_KERNELS 0
#endif

// Each entry point picks the rounding once; everything below it is inlined into each build.
// RECALLBOUND_WITH_ROUNDER_OF(wide, ...): wide is Rounder's Wide, true in x86-64-v4 kernels.
#define RECALLBOUND_WITH_ROUNDER_OF(wide, format, call)                                                \
  switch ((format).kind) {                                                                            \
    case FormatKind::fp32: { const Rounder<RoundMode::none, wide> round(format); call; break; }          \
    case FormatKind::integer: { const Rounder<RoundMode::integer, wide> round(format); call; break; }    \
    case FormatKind::bf16: { const Rounder<RoundMode::bf16, wide> round(format); call; break; }          \
    default: { const Rounder<RoundMode::float_bits, wide> round(format); call; break; }                 \
  }
#define RECALLBOUND_WITH_ROUNDER(format, call) RECALLBOUND_WITH_ROUNDER_OF(false, format, call)
