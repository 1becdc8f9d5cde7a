// Times the catalog: loading and validating the embedded JSON, evaluating total state and
// per-token cost for every entry and preset at many contexts, and the exact triangle
// classification. The alternative (bench/catalog/fraction_eval.py) evaluates the same formulas
// with Python's Fraction; bench/catalog/run.sh runs both and reports medians and ratios.
// Usage: catalog_bench DATA_DIR CONTEXTS REPEATS   (one line of key=value per repeat)
#include "recallbound/catalog/accounting.hpp"
#include "recallbound/catalog/triangle.hpp"

#include <chrono>
#include <filesystem>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

using namespace recallbound;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: catalog_bench DATA_DIR [CONTEXTS] [REPEATS]\n";
    return 2;
  }
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(argv[1]))
    if (entry.path().extension() == ".json") files.push_back(entry.path().string());
  std::size_t contexts = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 200;
  std::size_t repeats = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 3;
  for (std::size_t r = 0; r < repeats; ++r) {
    auto start = Clock::now();
    catalog::Catalog all;  // parse and validate every catalog file
    for (const auto& file : files) all.merge(catalog::Catalog::from_file(file));
    double load_seconds = seconds_since(start);

    std::vector<catalog::Configuration> configs;
    for (const auto& arch : all.architectures()) {
      configs.push_back(catalog::configure(arch, nullptr, {}));
      for (const auto& preset : arch.presets) configs.push_back(catalog::configure(arch, &preset, {}));
    }
    // Contexts 1, 1 + 997, 1 + 2*997, ...: deterministic and spread over [1, ~2e5].
    start = Clock::now();
    Integer checksum = 0;
    std::size_t evaluations = 0;
    for (const auto& config : configs)
      for (std::size_t i = 0; i < contexts; ++i) {
        catalog::StateAccount account = catalog::account(config, Integer(1 + 997 * i));
        checksum += account.state_numbers + account.madds_per_token;
        ++evaluations;
      }
    double eval_seconds = seconds_since(start);

    start = Clock::now();
    std::size_t classified = 0;
    for (const auto& config : configs) {
      catalog::TrianglePlace place = catalog::classify(config);
      classified += place.recall ? 1 : 0;
    }
    double classify_seconds = seconds_since(start);
    std::cout << "configs=" << configs.size() << " evaluations=" << evaluations
              << " ns_per_evaluation=" << eval_seconds * 1e9 / static_cast<double>(evaluations)
              << " us_per_classification=" << classify_seconds * 1e6 / static_cast<double>(configs.size())
              << " load_validate_ms=" << load_seconds * 1e3 << " recall_entries=" << classified
              << " checksum=" << checksum.str() << '\n';
  }
  return 0;
}
