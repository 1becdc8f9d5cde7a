// Catalog lookup with suggestions, merging of catalogs, and reading a user's catalog file.
#include "recallbound/catalog/architecture.hpp"

#include "recallbound/error.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

namespace recallbound::catalog {
namespace {

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      std::size_t substitute = diagonal + (std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                                                   std::tolower(static_cast<unsigned char>(b[j - 1]))
                                               ? 0
                                               : 1);
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, substitute});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string suggestion_text(const std::vector<std::string>& names) {
  if (names.empty()) return "";
  std::string text = "; closest: ";
  for (std::size_t i = 0; i < names.size(); ++i) text += (i ? ", " : "") + names[i];
  return text;
}

}  // namespace

std::vector<std::string> closest_names(const std::string& wanted, const std::vector<std::string>& candidates,
                                       std::size_t limit) {
  std::vector<std::pair<std::size_t, std::string>> scored;
  for (const auto& name : candidates) {
    std::size_t distance = edit_distance(wanted, name);
    // A candidate containing the query (e.g. "mamba" in "mamba2-ssm") counts as close.
    if (!wanted.empty() && name.find(wanted) != std::string::npos) distance = std::min<std::size_t>(distance, 1);
    scored.emplace_back(distance, name);
  }
  std::sort(scored.begin(), scored.end());
  std::vector<std::string> out;
  std::size_t cutoff = std::max<std::size_t>(3, wanted.size() / 2);
  for (const auto& [distance, name] : scored) {
    if (out.size() == limit || distance > cutoff) break;
    out.push_back(name);
  }
  return out;
}

Catalog Catalog::from_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error::bad_input("--spec: cannot read '" + path + "'");
  std::ostringstream text;
  text << in.rdbuf();
  return from_json_text(text.str(), path);
}

void Catalog::merge(const Catalog& other) {
  for (const auto& arch : other.architectures_) {
    if (const Architecture* existing = find_if_present(arch.id))
      throw Error::bad_input(arch.origin + ": architecture '" + arch.id + "': id: already defined in " +
                             existing->origin);
    for (const auto& preset : arch.presets) {
      for (const auto& mine : architectures_)
        for (const auto& theirs : mine.presets)
          if (theirs.id == preset.id)
            throw Error::bad_input(arch.origin + ": architecture '" + arch.id + "': presets: '" + preset.id +
                                   "' is already a preset of '" + mine.id + "'");
    }
    architectures_.push_back(arch);
  }
}

const Architecture* Catalog::find_if_present(const std::string& id) const {
  for (const auto& arch : architectures_)
    if (arch.id == id) return &arch;
  return nullptr;
}

const Architecture& Catalog::find(const std::string& id) const {
  if (const Architecture* arch = find_if_present(id)) return *arch;
  std::vector<std::string> names;
  for (const auto& arch : architectures_) names.push_back(arch.id);
  throw Error::bad_input("architecture: unknown name '" + id + "'" + suggestion_text(closest_names(id, names)) +
                         " (run 'recallbound arch list' for all " + std::to_string(names.size()) + ")");
}

std::pair<const Architecture*, const Preset*> Catalog::find_preset(const std::string& id) const {
  std::vector<std::string> names;
  for (const auto& arch : architectures_)
    for (const auto& preset : arch.presets) {
      if (preset.id == id) return {&arch, &preset};
      names.push_back(preset.id);
    }
  throw Error::bad_input("--preset: unknown preset '" + id + "'" + suggestion_text(closest_names(id, names)) +
                         " (run 'recallbound arch list --presets' for all " + std::to_string(names.size()) + ")");
}

}  // namespace recallbound::catalog
