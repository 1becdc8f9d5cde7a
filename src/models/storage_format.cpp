#include "recallbound/models/storage_format.hpp"

#include "recallbound/error.hpp"
#include "vector_rounding.hpp"

#include <bit>
#include <charconv>
#include <cstring>

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

namespace {

// Eight at a time with the memory kernels' rounder (vector_rounding.hpp: the bit-pattern rounding
// for the common case, flagged lanes and the tail through round_to_format).
template <detail::vec::RoundMode Mode>
[[gnu::always_inline]] inline void round_span(std::span<float> values, const StorageFormat& format) {
  using namespace detail::vec;
  const Rounder<Mode> round(format);
  std::size_t i = 0;
  for (; i + lanes <= values.size(); i += lanes) {
    VecI flagged{};
    store(values.data() + i, round(load(values.data() + i), flagged));
    round.fix(values.data() + i, lanes, flagged);
  }
  for (; i < values.size(); ++i) values[i] = round(values[i]);
}

}  // namespace

// Built for AVX2 too (RECALLBOUND_KERNEL): in the baseline build GCC turned the rounder's per-lane
// select into scalar moves through the stack, whose reloads stalled on store forwarding, and the
// rounding of a sequence's distinct inputs took 13% of a bf16 linear-attention run at d = 128.
RECALLBOUND_KERNEL void round_in_place(std::span<float> values, const StorageFormat& format) {
  switch (format.kind) {
    case FormatKind::fp32: return;
    case FormatKind::integer: return round_span<detail::vec::RoundMode::integer>(values, format);
    case FormatKind::bf16: return round_span<detail::vec::RoundMode::bf16>(values, format);
    default: return round_span<detail::vec::RoundMode::float_bits>(values, format);
  }
}

}  // namespace recallbound::models
