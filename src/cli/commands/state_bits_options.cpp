#include "state_bits_options.hpp"

#include "recallbound/error.hpp"

namespace recallbound::cli {

void StateBitsOptions::add_to(CLI::App& app) {
  auto* group = app.add_option_group("state", "State size: --state-bits, or --state-numbers with one accounting");
  group->add_option("--state-bits", state_bits, "State size B in bits (exact: integer, decimal, p/q, 1e6)");
  group->add_option("--state-numbers", state_numbers, "Number m of real numbers in the state");
  group->add_option("--precision", precision, "Storage format of each number: fp64 fp32 fp16 bf16 fp8-e4m3 fp8-e5m2 intN uintN bitsN");
  group->add_option("--count", count, "With --precision: 'all' encodings (m*bits) or 'distinct' finite values (m*log2 count)")
      ->check(CLI::IsMember({"all", "distinct"}));
  group->add_option("--radius", radius, "Covering bound: state lies in a ball of radius R");
  group->add_option("--lipschitz", lipschitz, "Covering bound: Lipschitz constant L of the readout");
  group->add_option("--delta", delta, "Covering bound: decoding is robust to perturbations below delta");
  group->add_option("--snr", snr, "Gaussian bound: signal-to-noise ratio per coordinate");
}

bool StateBitsOptions::given() const {
  return !state_bits.empty() || !state_numbers.empty();
}

LogForm StateBitsOptions::resolve(std::string* description) const {
  bool covering = !radius.empty() || !lipschitz.empty() || !delta.empty();
  int accountings = (!precision.empty()) + (covering ? 1 : 0) + (!snr.empty());
  if (!state_bits.empty()) {
    if (!state_numbers.empty() || accountings > 0)
      throw Error::bad_input("state: --state-bits cannot be combined with --state-numbers, --precision, --radius, "
                             "--lipschitz, --delta or --snr");
    Rational bits = parse_rational(state_bits, "--state-bits");
    if (bits < 0) throw Error::bad_input("--state-bits: " + state_bits + " is out of range; it must be >= 0");
    if (description) *description = "declared: B = " + to_exact_string(bits) + " bits";
    return LogForm::constant(bits);
  }
  if (state_numbers.empty())
    throw Error::bad_input("state: give --state-bits B, or --state-numbers m with --precision, --snr, or "
                           "--radius/--lipschitz/--delta");
  Integer m = parse_integer(state_numbers, "--state-numbers");
  if (m < 0) throw Error::bad_input("--state-numbers: " + state_numbers + " is out of range; it must be an integer >= 0");
  if (accountings != 1)
    throw Error::bad_input("state: --state-numbers needs exactly one of --precision, --snr, or --radius/--lipschitz/--delta");
  if (!precision.empty()) {
    NumberFormat format = number_format(precision);
    bool distinct = count == "distinct";
    if (description)
      *description = distinct ? "m * log2(#finite values of " + format.name + ") = " + m.str() + " * log2(" +
                                    format.finite_values.str() + ")"
                              : "m * bits = " + m.str() + " * " + std::to_string(format.bits) + " (" + format.name + ")";
    return format_state_bits(m, format, distinct ? CountingMode::distinct_finite : CountingMode::all_encodings);
  }
  if (!snr.empty()) {
    Rational s = parse_rational(snr, "--snr");
    if (description) *description = "Gaussian channel: (m/2) * log2(1 + SNR), SNR = " + to_exact_string(s);
    return gaussian_state_bits(m, s);
  }
  if (radius.empty() || lipschitz.empty() || delta.empty())
    throw Error::bad_input("state: the covering bound needs all of --radius, --lipschitz and --delta");
  Rational r = parse_rational(radius, "--radius"), l = parse_rational(lipschitz, "--lipschitz"),
           d = parse_rational(delta, "--delta");
  if (description)
    *description = "covering: m * log2(1 + 2 R L / delta), R = " + to_exact_string(r) + ", L = " + to_exact_string(l) +
                   ", delta = " + to_exact_string(d);
  return covering_state_bits(m, r, l, d);
}

}  // namespace recallbound::cli
