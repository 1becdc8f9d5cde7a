#pragma once
// Bit-exact emulation of the number formats a model state can be stored in. After every update a
// model rounds its state buffers with `round_in_place`, so a state of m numbers holds exactly
// m * bits_per_number bits: the quantity the certified bound is evaluated at.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace recallbound::models {

/// What happens to values beyond the largest finite number of a format.
enum class Overflow {
  ieee,      // round-to-nearest-even with unbounded exponent, then: infinity where the format has
             // one (fp32, fp16, bf16, fp8-e5m2), NaN where it has none (fp8-e4m3, OCP "non-saturating")
  saturate,  // clamp to +-largest finite (OCP "saturating" conversion; what FP8 recipes use)
};

enum class FormatKind { fp32, fp16, bf16, fp8_e4m3, fp8_e5m2, integer };

/// A storage format. Floating formats round to nearest, ties to even. `integer` is intN: signed
/// two's-complement codes k in [-2^(N-1), 2^(N-1) - 1] standing for k * 2^scale_exponent, rounded to
/// nearest-even and always saturating (an integer code has no infinity); NaN stores as 0.
struct StorageFormat {
  FormatKind kind = FormatKind::fp32;
  unsigned integer_bits = 0;     // N for intN (2..24, so every code is exact in a float)
  int scale_exponent = 0;        // intN only: value = code * 2^scale_exponent
  Overflow overflow = Overflow::saturate;

  /// Bits of one stored number: 32, 16, 16, 8, 8 or N.
  [[nodiscard]] unsigned bits() const;
  /// Canonical name, as `recallbound::number_format` spells it: fp32, fp16, bf16, fp8-e4m3,
  /// fp8-e5m2, intN.
  [[nodiscard]] std::string name() const;
  /// Largest finite value.
  [[nodiscard]] double max_finite() const;
};

/// Parses fp32 | fp16 | bf16 | fp8-e4m3 | fp8-e5m2 | intN (N in 2..24); intN gets the scale
/// 2^-(N/2) (int8 covers [-8, 7.9375] in steps of 1/16). Throws Error::bad_input naming `field`.
StorageFormat parse_storage_format(std::string_view name, std::string_view field = "--precision");

/// The value `x` takes once stored in `format`.
float round_to_format(float x, const StorageFormat& format);
/// Rounds every element in place.
void round_in_place(std::span<float> values, const StorageFormat& format);

}  // namespace recallbound::models
