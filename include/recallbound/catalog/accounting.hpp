#pragma once
// State and compute accounting: an architecture's formulas evaluated exactly for one
// configuration (defaults, then a preset, then the user's key=value overrides) at context T.
#include "recallbound/catalog/architecture.hpp"

#include <string>
#include <utility>
#include <vector>

namespace recallbound::catalog {

/// Where a parameter's value came from, for the output.
enum class ValueOrigin { default_value, preset, user };

struct ConfiguredValue {
  std::string name;
  Rational value;
  ValueOrigin origin = ValueOrigin::default_value;
};

struct Configuration {
  const Architecture* architecture = nullptr;
  const Preset* preset = nullptr;         // null when none was chosen
  std::vector<ConfiguredValue> parameters;  // in declaration order
  std::vector<ConfiguredValue> derived;     // derived values, in file order
  /// Parameters and derived values by name (T not included).
  [[nodiscard]] Bindings bindings() const;
};

/// Applies `preset` (may be null) and then `overrides` ("name", "value text") to the defaults.
/// An unknown name, a non-number, a value below the parameter's minimum or a fraction for an
/// integer parameter is bad input naming the parameter (`--set NAME`) and the allowed range.
Configuration configure(const Architecture& architecture, const Preset* preset,
                        const std::vector<std::pair<std::string, std::string>>& overrides);

struct BufferCount {
  std::string name;
  std::string formula;
  Integer numbers;  // per layer
  std::string what;
};

struct BlockAccount {
  std::string name;
  Integer layers;
  std::vector<BufferCount> buffers;
  Integer numbers_per_layer;
  Integer numbers_total;        // layers * numbers_per_layer
  Integer madds_per_layer;      // per token at context T
  Integer madds_total;
};

struct StateAccount {
  Integer context;              // T
  std::vector<BlockAccount> blocks;
  Integer state_numbers;        // total persistent numbers at context T
  Integer madds_per_token;      // multiply-adds of the token at position T, all blocks
  Integer kv_elements_per_token;  // state growth per token of an empty cache: S(1) - S(0)
};

/// Evaluates every formula at context `T` (an integer >= 0). Counts must come out as
/// non-negative integers; anything else is bad input naming the block, buffer and formula.
StateAccount account(const Configuration& configuration, const Integer& T);

/// Total state numbers only (the hook the models layer compares its live buffers with).
Integer state_numbers(const Configuration& configuration, const Integer& T);
/// Multiply-adds per token at position T only.
Integer madds_per_token(const Configuration& configuration, const Integer& T);

/// Convenience for other layers: the built-in catalog's entry `arch_id` configured with
/// `overrides` (name, value text) evaluated at T.
Integer catalog_state_numbers(const std::string& arch_id,
                              const std::vector<std::pair<std::string, std::string>>& overrides,
                              const Integer& T);

}  // namespace recallbound::catalog
