#pragma once
// Shared pieces of the `arch` and `triangle` commands (src/cli/commands/arch.cpp, triangle.cpp).
#include "command.hpp"

#include "recallbound/catalog/accounting.hpp"
#include "recallbound/catalog/triangle.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace recallbound::cli::arch_support {

/// The convention every state count follows for short convolutions, printed with the counts.
inline constexpr const char* conv_convention =
    "conv buffers hold k-1 columns: a width-k causal convolution keeps its last k-1 inputs between steps "
    "(implementations that allocate k columns, e.g. mamba_ssm and transformers' caches, overwrite one before "
    "reading it)";

/// The built-in catalog, plus the entries of `spec_file` when it is non-empty.
catalog::Catalog load_catalog(const std::string& spec_file);

/// "1,234,567" for display.
std::string grouped(const Integer& value);

nlohmann::ordered_json growth_json(const catalog::Growth& growth);
nlohmann::ordered_json place_json(const catalog::TrianglePlace& place);
std::string place_words(const catalog::TrianglePlace& place);

void add_triangle_command(CLI::App& root, CommandList& commands);

}  // namespace recallbound::cli::arch_support
