// Prints the certified max pairs for a 4096-number bf16 state over a 32000-symbol vocabulary at 1%
// error, and the state bits needed for 10^5 pairs, through the installed library.
#include <recallbound/bounds/capacity.hpp>
#include <recallbound/bounds/state_bits.hpp>

#include <iostream>

int main() {
  using namespace recallbound;
  LogForm bits = format_state_bits(4096, number_format("bf16"), CountingMode::all_encodings);
  CapacityResult capacity = max_pairs(bits, 32000, parse_rational("0.01", "error"));
  MinBitsResult needed = min_state_bits(100000, 32000, parse_rational("0.01", "error"));
  std::cout << "max_pairs " << capacity.max_pairs.str() << "\nmin_state_bits " << needed.min_bits.str() << "\n";
  return 0;
}
