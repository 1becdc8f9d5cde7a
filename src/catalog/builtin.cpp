// The catalog compiled into the binary: every embedded data/catalog/*.json file, validated
// and merged once, on first use.
#include "recallbound/catalog/architecture.hpp"

#include <string>
#include <utility>
#include <vector>

namespace recallbound::catalog {
namespace detail {
const std::vector<std::pair<std::string, std::string>>& embedded_catalog_files();  // generated
}

const Catalog& Catalog::builtin() {
  // Immutable after construction (thread-safe static initialisation): not mutable global state.
  static const Catalog catalog = [] {
    Catalog all;
    for (const auto& [file, text] : detail::embedded_catalog_files()) all.merge(from_json_text(text, file));
    return all;
  }();
  return catalog;
}

}  // namespace recallbound::catalog
