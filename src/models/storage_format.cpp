#include "recallbound/models/storage_format.hpp"

#include "recallbound/error.hpp"

#include <bit>
#include <charconv>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <cmath>
#include <algorithm>
#include <limits>

namespace recallbound::models {
namespace {

// A binary floating format narrower than fp32: exponent range and mantissa width.
struct FloatLayout {
  int mantissa_bits;     // explicit fraction bits
  int min_normal_exp;    // exponent of the smallest normal number
  double max_finite;
  bool has_infinity;
};

FloatLayout layout_of(FormatKind kind) {
  switch (kind) {
    case FormatKind::fp16: return {10, -14, 65504.0, true};
    case FormatKind::bf16: return {7, -126, 0x1.fep127, true};
    case FormatKind::fp8_e5m2: return {2, -14, 57344.0, true};
    // OCP E4M3: exponent field 1111 holds normal numbers except S.1111.111 (NaN): max 1.75 * 2^8.
    case FormatKind::fp8_e4m3: return {3, -6, 448.0, false};
    default: break;
  }
  throw Error::internal("storage format: no float layout for this kind");
}

// Round-to-nearest-even of a non-negative double to an integer, without the FP environment.
double round_half_even(double y) {
  double floor_y = std::floor(y);
  double fraction = y - floor_y;  // exact: y < 2^53
  if (fraction > 0.5) return floor_y + 1;
  if (fraction < 0.5) return floor_y;
  return std::fmod(floor_y, 2.0) == 0.0 ? floor_y : floor_y + 1;
}

float round_float_format(float x, const FloatLayout& layout, Overflow overflow) {
  if (std::isnan(x)) return x;
  const float magnitude = std::fabs(x);
  float rounded;
  if (std::isinf(magnitude)) {
    rounded = magnitude;
  } else if (magnitude < std::ldexp(1.0f, layout.min_normal_exp)) {
    // Subnormal range of the target: a fixed quantum 2^(emin - mantissa bits); the division is an
    // exact power-of-two scaling in double.
    const double quantum = std::ldexp(1.0, layout.min_normal_exp - layout.mantissa_bits);
    rounded = static_cast<float>(round_half_even(magnitude / quantum) * quantum);
  } else {
    // Normal range: round the fp32 fraction to `mantissa_bits` bits, ties to even, on the bit
    // pattern; a carry out of the fraction correctly bumps the exponent.
    const int dropped = 23 - layout.mantissa_bits;
    std::uint32_t bits = std::bit_cast<std::uint32_t>(magnitude);
    const std::uint32_t lowest_kept = (bits >> dropped) & 1u;
    bits += (std::uint32_t{1} << (dropped - 1)) - 1u + lowest_kept;
    bits &= ~((std::uint32_t{1} << dropped) - 1u);
    rounded = std::bit_cast<float>(bits);
  }
  if (static_cast<double>(rounded) > layout.max_finite) {
    if (overflow == Overflow::saturate) rounded = static_cast<float>(layout.max_finite);
    else if (layout.has_infinity) rounded = std::numeric_limits<float>::infinity();
    else return std::numeric_limits<float>::quiet_NaN();
  }
  return std::copysign(rounded, x);
}

float round_integer_format(float x, const StorageFormat& format) {
  if (std::isnan(x)) return 0.0f;
  const double largest_code = std::ldexp(1.0, static_cast<int>(format.integer_bits) - 1) - 1;
  const double smallest_code = -largest_code - 1;
  double code = static_cast<double>(x) * std::ldexp(1.0, -format.scale_exponent);
  if (std::isinf(code)) code = code > 0 ? largest_code : smallest_code;
  double rounded = code < 0 ? -round_half_even(-code) : round_half_even(code);
  if (rounded > largest_code) rounded = largest_code;
  if (rounded < smallest_code) rounded = smallest_code;
  if (rounded == 0) rounded = 0;  // code 0 is +0, as round_in_place stores it (an integer has no -0)
  return static_cast<float>(std::ldexp(rounded, format.scale_exponent));
}

}  // namespace

unsigned StorageFormat::bits() const {
  switch (kind) {
    case FormatKind::fp32: return 32;
    case FormatKind::fp16:
    case FormatKind::bf16: return 16;
    case FormatKind::fp8_e4m3:
    case FormatKind::fp8_e5m2: return 8;
    case FormatKind::integer: return integer_bits;
  }
  return 0;
}

std::string StorageFormat::name() const {
  switch (kind) {
    case FormatKind::fp32: return "fp32";
    case FormatKind::fp16: return "fp16";
    case FormatKind::bf16: return "bf16";
    case FormatKind::fp8_e4m3: return "fp8-e4m3";
    case FormatKind::fp8_e5m2: return "fp8-e5m2";
    case FormatKind::integer: return "int" + std::to_string(integer_bits);
  }
  return "?";
}

double StorageFormat::max_finite() const {
  if (kind == FormatKind::fp32) return static_cast<double>(std::numeric_limits<float>::max());
  if (kind == FormatKind::integer)
    return std::ldexp(std::ldexp(1.0, static_cast<int>(integer_bits) - 1) - 1, scale_exponent);
  return layout_of(kind).max_finite;
}

StorageFormat parse_storage_format(std::string_view name, std::string_view field) {
  StorageFormat format;
  if (name == "fp32") format.kind = FormatKind::fp32;
  else if (name == "fp16") format.kind = FormatKind::fp16;
  else if (name == "bf16") format.kind = FormatKind::bf16;
  else if (name == "fp8-e4m3") format.kind = FormatKind::fp8_e4m3;
  else if (name == "fp8-e5m2") format.kind = FormatKind::fp8_e5m2;
  else {
    unsigned width = 0;
    const char* digits = name.data() + 3;
    const char* end = name.data() + name.size();
    const bool is_int = name.size() > 3 && name.substr(0, 3) == "int" &&
                        std::from_chars(digits, end, width).ptr == end;
    if (!is_int || width < 2 || width > 24)
      throw Error::bad_input(std::string(field) + ": '" + std::string(name) +
                             "' is not a storage format; allowed: fp32, fp16, bf16, fp8-e4m3, fp8-e5m2, "
                             "intN with N in 2..24");
    format.kind = FormatKind::integer;
    format.integer_bits = width;
    format.scale_exponent = -static_cast<int>(width / 2);
  }
  return format;
}

float round_to_format(float x, const StorageFormat& format) {
  switch (format.kind) {
    case FormatKind::fp32: return x;
    case FormatKind::integer: return round_integer_format(x, format);
    default: return round_float_format(x, layout_of(format.kind), format.overflow);
  }
}

void round_in_place(std::span<float> values, const StorageFormat& format) {
  if (format.kind == FormatKind::fp32) return;
  if (format.kind == FormatKind::integer) {
    // Scale to codes (exact: a power of two), clamp, round half to even with the 1.5 * 2^23 trick
    // (exact for |y| < 2^22 under the default rounding mode), scale back.
    const float to_code = std::ldexp(1.0f, -format.scale_exponent);
    const float to_value = std::ldexp(1.0f, format.scale_exponent);
    const float largest = std::ldexp(1.0f, static_cast<int>(format.integer_bits) - 1) - 1.0f;
    const float smallest = -largest - 1.0f;
    const float magic = 12582912.0f;  // 1.5 * 2^23
    for (float& value : values) {
      float code = value * to_code;
      code = code == code ? code : 0.0f;  // NaN stores as 0
      code = std::min(std::max(code, smallest), largest);
      code = (code + magic) - magic;
      value = code * to_value;
    }
    return;
  }
  // Floats: the common case (zero, or a normal number whose rounding stays finite) on the bit
  // pattern; everything else (subnormal, overflow, inf, NaN) through the general routine.
  const FloatLayout layout = layout_of(format.kind);
  const int dropped = 23 - layout.mantissa_bits;
  const std::uint32_t half_minus_one = (std::uint32_t{1} << (dropped - 1)) - 1u;
  const std::uint32_t keep_mask = ~((std::uint32_t{1} << dropped) - 1u);
  const std::uint32_t min_normal = std::bit_cast<std::uint32_t>(std::ldexp(1.0f, layout.min_normal_exp));
  const std::uint32_t max_finite = std::bit_cast<std::uint32_t>(static_cast<float>(layout.max_finite));
  const auto round_one = [&](float& value) {
    const std::uint32_t bits = std::bit_cast<std::uint32_t>(value);
    const std::uint32_t magnitude = bits & 0x7FFFFFFFu;
    const std::uint32_t rounded = (magnitude + half_minus_one + ((magnitude >> dropped) & 1u)) & keep_mask;
    if ((magnitude >= min_normal || magnitude == 0) && rounded <= max_finite) [[likely]]
      value = std::bit_cast<float>(rounded | (bits & 0x80000000u));
    else
      value = round_float_format(value, layout, format.overflow);
  };
  std::size_t i = 0;
#if defined(__SSE2__)
  // Four at a time with SSE2 (every x86-64 has it; GCC would not vectorise the scalar form): the
  // same bit-pattern rounding, written back when all four took the common case. Signed 32-bit
  // compares suffice: magnitudes are < 2^31, and inf/NaN (magnitude >= 0x7F800000) count as
  // exceptions before a rounding carry into the sign bit could matter.
  const __m128i magnitude_mask = _mm_set1_epi32(0x7FFFFFFF);
  const __m128i sign_mask = _mm_set1_epi32(static_cast<int>(0x80000000u));
  const __m128i half = _mm_set1_epi32(static_cast<int>(half_minus_one));
  const __m128i keep = _mm_set1_epi32(static_cast<int>(keep_mask));
  const __m128i one = _mm_set1_epi32(1);
  const __m128i smallest_normal = _mm_set1_epi32(static_cast<int>(min_normal));
  const __m128i largest_finite = _mm_set1_epi32(static_cast<int>(max_finite));
  const __m128i largest_non_special = _mm_set1_epi32(0x7F7FFFFF);
  const __m128i zero = _mm_setzero_si128();
  const __m128i shift = _mm_cvtsi32_si128(dropped);
  for (; i + 4 <= values.size(); i += 4) {
    float* at = values.data() + i;
    const __m128i bits = _mm_loadu_si128(reinterpret_cast<const __m128i*>(at));
    const __m128i magnitude = _mm_and_si128(bits, magnitude_mask);
    const __m128i lowest_kept = _mm_and_si128(_mm_srl_epi32(magnitude, shift), one);
    const __m128i rounded = _mm_and_si128(_mm_add_epi32(_mm_add_epi32(magnitude, half), lowest_kept), keep);
    const __m128i subnormal = _mm_and_si128(_mm_cmpgt_epi32(magnitude, zero), _mm_cmplt_epi32(magnitude, smallest_normal));
    const __m128i special = _mm_cmpgt_epi32(magnitude, largest_non_special);
    const __m128i overflow = _mm_cmpgt_epi32(rounded, largest_finite);
    if (_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(subnormal, special), overflow)) == 0) [[likely]]
      _mm_storeu_si128(reinterpret_cast<__m128i*>(at), _mm_or_si128(rounded, _mm_and_si128(bits, sign_mask)));
    else
      for (std::size_t k = 0; k < 4; ++k) round_one(at[k]);
  }
#endif
  for (; i < values.size(); ++i) round_one(values[i]);
}

}  // namespace recallbound::models
