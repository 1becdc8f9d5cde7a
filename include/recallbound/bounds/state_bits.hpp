#pragma once
// Effective bit counts for continuous states. Each returns an exact LogForm and rests on one
// inequality, stated with the function and in docs/state-bits.md.
#include "recallbound/exact/log_form.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace recallbound {

/// A storage format for one state number.
struct NumberFormat {
  std::string name;        // canonical name, e.g. "bf16", "int8", "bits12"
  unsigned bits = 0;       // encoding width
  Integer finite_values;   // count of distinct finite real values the encodings represent
                           // (+0 and -0 count once; NaN and infinities excluded)
};

/// Known names: fp64, fp32, fp16, bf16, fp8-e4m3 (OCP, no infinities), fp8-e5m2, intN (N in 1..64),
/// uintN, bitsN (custom width, all 2^N patterns distinct). Throws Error::bad_input listing them.
NumberFormat number_format(std::string_view name);
std::vector<std::string> number_format_names();

enum class CountingMode {
  all_encodings,    // B = m * bits            (H(S) <= log2 #encodings)
  distinct_finite,  // B = m * log2(#finite)   (H(S) <= log2 |support|; tighter)
};

/// m numbers stored in `format`: H(S) <= log2 |{states}| <= m * log2(count).
LogForm format_state_bits(const Integer& numbers, const NumberFormat& format, CountingMode mode);

/// Covering bound: an m-dimensional state in a ball of radius R whose readout is L-Lipschitz and
/// robust to perturbations below delta carries at most m * log2(1 + 2 R L / delta) bits.
LogForm covering_state_bits(const Integer& numbers, const Rational& radius, const Rational& lipschitz,
                            const Rational& delta);

/// Additive Gaussian noise at signal-to-noise ratio SNR per coordinate: the capacity of m parallel
/// Gaussian channels, (m / 2) * log2(1 + SNR).
LogForm gaussian_state_bits(const Integer& numbers, const Rational& snr);

}  // namespace recallbound
