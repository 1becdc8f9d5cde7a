#include "recallbound/bounds/state_bits.hpp"

#include "recallbound/error.hpp"

#include <charconv>

namespace recallbound {
namespace {

Integer two_to(unsigned exponent) {
  Integer result = 1;
  result <<= exponent;
  return result;
}

// IEEE-style binary format with `exponent_bits` and `mantissa_bits`: the all-ones exponent holds
// infinities and NaNs (2 * 2^m patterns); +0 and -0 are one value.
NumberFormat ieee(std::string name, unsigned exponent_bits, unsigned mantissa_bits) {
  unsigned bits = 1 + exponent_bits + mantissa_bits;
  return {std::move(name), bits, two_to(bits) - two_to(mantissa_bits + 1) - 1};
}

std::optional<unsigned> width_suffix(std::string_view name, std::string_view prefix) {
  if (name.substr(0, prefix.size()) != prefix) return std::nullopt;
  std::string_view digits = name.substr(prefix.size());
  unsigned width = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), width);
  if (ec != std::errc() || end != digits.data() + digits.size() || digits.empty()) return std::nullopt;
  return width;
}

}  // namespace

std::vector<std::string> number_format_names() {
  return {"fp64", "fp32", "fp16", "bf16", "fp8-e4m3", "fp8-e5m2", "intN (N in 1..64)", "uintN (N in 1..64)",
          "bitsN (N in 1..1024)"};
}

NumberFormat number_format(std::string_view name) {
  if (name == "fp64") return ieee("fp64", 11, 52);
  if (name == "fp32") return ieee("fp32", 8, 23);
  if (name == "fp16") return ieee("fp16", 5, 10);
  if (name == "bf16") return ieee("bf16", 8, 7);
  if (name == "fp8-e5m2") return ieee("fp8-e5m2", 5, 2);
  // OCP E4M3 (E4M3FN): no infinities; only S.1111.111 is NaN, so 254 finite patterns, 253 values.
  if (name == "fp8-e4m3") return {"fp8-e4m3", 8, Integer(253)};
  for (std::string_view prefix : {"int", "uint"}) {
    if (auto width = width_suffix(name, prefix)) {
      if (*width < 1 || *width > 64)
        throw Error::bad_input("precision: '" + std::string(name) + "' has width out of range; N must be in 1..64");
      return {std::string(name), *width, two_to(*width)};
    }
  }
  if (auto width = width_suffix(name, "bits")) {
    if (*width < 1 || *width > 1024)
      throw Error::bad_input("precision: '" + std::string(name) + "' has width out of range; N must be in 1..1024");
    return {std::string(name), *width, two_to(*width)};
  }
  std::string known;
  for (const auto& n : number_format_names()) known += (known.empty() ? "" : ", ") + n;
  throw Error::bad_input("precision: unknown format '" + std::string(name) + "'; known formats: " + known);
}

LogForm format_state_bits(const Integer& numbers, const NumberFormat& format, CountingMode mode) {
  if (numbers < 0) throw Error::bad_input("state numbers: " + numbers.str() + " must be an integer >= 0");
  if (mode == CountingMode::all_encodings) return LogForm::constant(Rational(numbers * format.bits));
  return LogForm::log2_of(Rational(format.finite_values), Rational(numbers));
}

LogForm covering_state_bits(const Integer& numbers, const Rational& radius, const Rational& lipschitz,
                            const Rational& delta) {
  if (numbers < 0) throw Error::bad_input("state numbers: " + numbers.str() + " must be an integer >= 0");
  if (radius < 0) throw Error::bad_input("radius: " + to_exact_string(radius) + " must be >= 0");
  if (lipschitz < 0) throw Error::bad_input("lipschitz: " + to_exact_string(lipschitz) + " must be >= 0");
  if (delta <= 0) throw Error::bad_input("delta: " + to_exact_string(delta) + " must be > 0");
  return LogForm::log2_of(Rational(1) + Rational(2) * radius * lipschitz / delta, Rational(numbers));
}

LogForm gaussian_state_bits(const Integer& numbers, const Rational& snr) {
  if (numbers < 0) throw Error::bad_input("state numbers: " + numbers.str() + " must be an integer >= 0");
  if (snr < 0) throw Error::bad_input("snr: " + to_exact_string(snr) + " must be >= 0");
  return LogForm::log2_of(Rational(1) + snr, Rational(numbers, Integer(2)));
}

}  // namespace recallbound
