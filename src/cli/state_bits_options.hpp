#pragma once
// The ways a user can state a model's state size, shared by capacity, min-error and friends:
//   --state-bits B
//   --state-numbers m --precision FORMAT [--count all|distinct]
//   --state-numbers m --radius R --lipschitz L --delta d      (covering bound)
//   --state-numbers m --snr S                                  (Gaussian channel)
#include "recallbound/bounds/state_bits.hpp"

#include <CLI/CLI.hpp>

#include <string>

namespace recallbound::cli {

struct StateBitsOptions {
  std::string state_bits, state_numbers, precision, count = "all", radius, lipschitz, delta, snr;

  void add_to(CLI::App& app);
  /// True when any state option was given.
  [[nodiscard]] bool given() const;
  /// The state's bits as an exact form, with a one-line description of the accounting used.
  /// Throws Error::bad_input for a missing, contradictory or malformed combination.
  [[nodiscard]] LogForm resolve(std::string* description) const;
};

}  // namespace recallbound::cli
