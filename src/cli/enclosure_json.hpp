#pragma once
// JSON and text renderings of exact values shared by commands.
#include "recallbound/bounds/capacity.hpp"

#include <nlohmann/json.hpp>

namespace recallbound::cli {

/// {"lower": "...", "upper": "..."}: decimal strings rounded outward, so they still enclose.
inline nlohmann::json enclosure_json(const Interval& value, int digits) {
  if (!value.is_bounded()) return {{"lower", "-inf"}, {"upper", "inf"}};
  return {{"lower", rational_to_decimal(value.lower(), digits, false)},
          {"upper", rational_to_decimal(value.upper(), digits, true)}};
}

inline nlohmann::json derivation_json(const std::vector<DerivationStep>& steps) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& step : steps) out.push_back({{"rule", step.rule}, {"statement", step.statement}, {"value", step.value}});
  return out;
}

}  // namespace recallbound::cli
