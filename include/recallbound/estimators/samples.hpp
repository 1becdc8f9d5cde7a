#pragma once
// Sample files for the estimators: one sample per line; '#' starts a comment, blank lines are
// skipped. Errors name the file and the line.
#include "recallbound/estimators/continuous.hpp"

#include <cstdint>
#include <istream>
#include <string>
#include <vector>

namespace recallbound::estimators {

/// Discrete samples: each line (trimmed) is one symbol, compared as text ("3", "a b", "x,y").
struct SymbolSamples {
  std::vector<std::uint64_t> ids;  // symbol ids in order of first appearance
  std::vector<std::string> symbols;
};
SymbolSamples read_symbols(std::istream& in, const std::string& name);

/// Continuous samples: numbers separated by whitespace or commas, the same count on every line.
SampleMatrix read_matrix(std::istream& in, const std::string& name);

}  // namespace recallbound::estimators
