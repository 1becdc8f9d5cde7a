#pragma once
// Shared pieces of the `arch` and `triangle` commands (src/cli/commands/arch.cpp, triangle.cpp).
#include "command.hpp"

#include "recallbound/catalog/accounting.hpp"
#include "recallbound/catalog/triangle.hpp"
#include "recallbound/bounds/state_bits.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <vector>

namespace recallbound::cli::arch_support {

/// The convention every state count follows for short convolutions, printed with the counts.
inline constexpr const char* conv_convention =
    "conv buffers hold k-1 columns: a width-k causal convolution keeps its last k-1 inputs between steps "
    "(implementations that allocate k columns, e.g. mamba_ssm and transformers' caches, overwrite one before "
    "reading it)";

/// The built-in catalog, plus the entries of `spec_file` when it is non-empty.
catalog::Catalog load_catalog(const std::string& spec_file);

/// The entry and preset a configuration starts from: an architecture `name`, a `preset` id, or both
/// (then the preset must belong to that entry). At least one must be non-empty. Unknown names are bad
/// input with the catalog's "did you mean" suggestions.
std::pair<const catalog::Architecture*, const catalog::Preset*> find_configuration(const catalog::Catalog& all,
                                                                                   const std::string& name,
                                                                                   const std::string& preset);

/// `--set name=value` items as (name, value text) pairs; bad input naming `--set` when malformed.
std::vector<std::pair<std::string, std::string>> parse_sets(const std::vector<std::string>& sets);

/// True when some block's layer count or state formula reads the context length T (directly or
/// through a derived value), i.e. the state's size depends on T.
bool state_depends_on_context(const catalog::Architecture& architecture);

/// "1,234,567" for display.
std::string grouped(const Integer& value);

nlohmann::ordered_json growth_json(const catalog::Growth& growth);
nlohmann::ordered_json place_json(const catalog::TrianglePlace& place);
std::string place_words(const catalog::TrianglePlace& place);

/// One configured architecture's exact state, as `arch state` computes it. The pointers point into
/// the catalog it was resolved from.
struct ResolvedState {
  const catalog::Architecture* arch = nullptr;
  const catalog::Preset* preset = nullptr;  // null without a preset
  catalog::Configuration config;
  Integer context;
  NumberFormat format;
  catalog::StateAccount account;
  LogForm bits_form;  // all-encodings accounting: always an integer
  Rational bits;
};

/// NAME and/or preset P (they must agree), `name=value` overrides, context T >= 0 and a number
/// format, all validated; bad input names the option (`--preset`, `--context`, ...).
ResolvedState resolve_state(const catalog::Catalog& all, const std::string& name, const std::string& preset,
                            const std::vector<std::string>& sets, const std::string& context, const std::string& precision);

void add_triangle_command(CLI::App& root, CommandList& commands);

}  // namespace recallbound::cli::arch_support
