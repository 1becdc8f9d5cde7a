#pragma once
// An architecture as an online sequence processor, described as data: its parameters with
// defaults, the persistent inference state of each kind of layer ("block") as exact formulas in
// the parameters and the context length T, and the per-token multiply-adds of each block.
// Descriptions come from the catalog files shipped with recallbound (data/catalog/*.json,
// embedded in the binary) or from a user's file in the same format (docs/catalog.md).
#include "recallbound/catalog/formula.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace recallbound::catalog {

struct Parameter {
  std::string name;
  Rational default_value;
  Rational minimum;          // values below are rejected (default 0)
  bool integer = true;       // values must be integers (default true)
  std::string description;
  std::string source;        // where the default comes from
};

struct DerivedValue {      // a named intermediate, e.g. d_inner = expand * d_model
  std::string name;
  Formula formula;
};

struct StateBuffer {       // one buffer that must survive between steps, per layer
  std::string name;
  Formula numbers;         // how many numbers it holds
  std::string what;        // its shape and meaning, conventions included
};

struct Block {             // one kind of layer: all layers of this kind hold the same state
  std::string name;
  Formula count;           // how many layers of this kind
  std::vector<StateBuffer> state;
  Formula madds;           // multiply-adds per token of one such layer at context T
  std::string source;
};

struct Preset {            // a released checkpoint
  std::string id;
  std::string name;
  std::vector<std::pair<std::string, Rational>> values;  // parameter overrides, in file order
  std::string source;      // where the values come from (config.json URL, paper table)
  std::string notes;       // traps in the published config and how they are resolved
};

struct PathSpec {          // the knob along which a hybrid moves inside the triangle
  std::string parameter;
  std::vector<Rational> values;
  std::string description;
};

struct Architecture {
  std::string id;
  std::string name;
  std::int64_t year = 0;
  std::string family;
  std::string citation;
  std::string summary;
  std::string notes;       // conventions (e.g. conv buffers hold k-1 columns)
  std::vector<Parameter> parameters;
  std::vector<DerivedValue> derived;  // in dependency order (checked at load time)
  std::vector<Block> blocks;
  std::vector<Preset> presets;
  std::optional<PathSpec> path;
  std::string origin;      // the file it was loaded from
};

/// The families an entry may declare (validated at load time).
const std::vector<std::string>& family_names();

class Catalog {
 public:
  /// The catalog compiled into the binary from data/catalog/*.json.
  static const Catalog& builtin();
  /// Parses and validates one catalog document. Errors throw Error::bad_input naming
  /// `file`, the entry and the field, e.g. "my.json: architecture 'x': blocks[0].count: ...".
  static Catalog from_json_text(const std::string& text, const std::string& file);
  /// Reads `path` (bad input when unreadable) and parses it as above.
  static Catalog from_file(const std::string& path);

  /// Adds every entry of `other`; a repeated architecture or preset id is bad input.
  void merge(const Catalog& other);

  [[nodiscard]] const std::vector<Architecture>& architectures() const { return architectures_; }
  /// The entry named `id`; bad input listing the closest names when there is none.
  [[nodiscard]] const Architecture& find(const std::string& id) const;
  [[nodiscard]] const Architecture* find_if_present(const std::string& id) const;
  /// The preset `id` of any entry, with its entry; bad input with suggestions when absent.
  [[nodiscard]] std::pair<const Architecture*, const Preset*> find_preset(const std::string& id) const;

 private:
  std::vector<Architecture> architectures_;
};

/// Up to `limit` names from `candidates` closest to `wanted` (edit distance), closest first.
std::vector<std::string> closest_names(const std::string& wanted, const std::vector<std::string>& candidates,
                                       std::size_t limit = 3);

}  // namespace recallbound::catalog
