#pragma once
// Instance proof scripts of the recall theorem (proofs/recall_capacity.proof with numbers for some
// symbols, then substitution and exact integer rounding), written by `--emit-proof`.
#include "recallbound/exact/number.hpp"

#include <optional>
#include <string>
#include <vector>

namespace recallbound::cli {

/// Exactly one of pairs and bits is unknown: the script proves `N <= bound` (bits given) or
/// `B >= bound` (pairs given). Throws Error::bad_input when the bound is vacuous (eps >= 1 - 1/V).
struct RecallInstance {
  std::optional<Integer> pairs;
  Integer vocab;
  Rational error;
  std::optional<Rational> bits;
  Integer bound;
  std::string origin;  // the command line that produced it, for the script's title
  std::string subject;              // optional: what B is the state of, appended to the title in parentheses
  std::vector<std::string> notes;   // optional: comment lines recording how the instance was configured
};

std::string recall_instance_script(const RecallInstance& instance);

}  // namespace recallbound::cli
