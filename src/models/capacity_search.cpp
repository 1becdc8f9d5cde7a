#include "recallbound/models/capacity_search.hpp"

#include "recallbound/error.hpp"

#include <algorithm>
#include <map>

namespace recallbound::models {

bool row_passes(const RowResult& row, const Rational& max_error) { return row.error_rate() <= max_error; }

CapacitySearchResult search_capacity(const RunSpec& spec, const Rational& max_error, std::int64_t max_pairs,
                                     const std::shared_ptr<const Weights>& weights, const SearchProgress& progress) {
  if (max_pairs < 1) throw Error::bad_input("--max-pairs: " + std::to_string(max_pairs) + " is out of range; it must be >= 1");
  std::map<std::int64_t, RowResult> rows;
  auto passes = [&](std::int64_t pairs) {
    auto found = rows.find(pairs);
    if (found == rows.end()) {
      if (progress) progress(rows.size(), pairs);
      found = rows.emplace(pairs, run_row(spec, pairs, weights)).first;
    }
    return row_passes(found->second, max_error);
  };

  CapacitySearchResult result;
  std::int64_t last_pass = 0, first_fail = 0;
  // Bracket: 1, 2, 4, ... (clamped to max_pairs) until a row fails.
  for (std::int64_t pairs = 1;; pairs = std::min(pairs * 2, max_pairs)) {
    if (!passes(pairs)) {
      first_fail = pairs;
      break;
    }
    last_pass = pairs;
    if (pairs == max_pairs) {
      result.limit_reached = true;
      break;
    }
  }
  // Bisect between the last pass and the first failure.
  while (!result.limit_reached && first_fail - last_pass > 1) {
    const std::int64_t middle = last_pass + (first_fail - last_pass) / 2;
    (passes(middle) ? last_pass : first_fail) = middle;
  }
  result.capacity = last_pass;
  for (auto& [pairs, row] : rows) result.evaluated.push_back(std::move(row));
  return result;
}

}  // namespace recallbound::models
