#pragma once
// Empirical recall capacity: the largest N whose observed error rate stays at most eps, found by
// doubling N until a row fails (bracketing) and bisecting between the last pass and the first
// failure. It assumes accuracy falls with N; every row evaluated is returned, so a non-monotone
// curve is visible in the output.
#include "recallbound/models/run.hpp"

namespace recallbound::models {

struct CapacitySearchResult {
  std::int64_t capacity = 0;        // largest passing N found (0: even N = 1 fails)
  bool limit_reached = false;       // N = max_pairs passed: the capacity may be larger
  std::vector<RowResult> evaluated; // every row, by increasing N
};

/// A row passes when errors / queries <= max_error (decided exactly).
bool row_passes(const RowResult& row, const Rational& max_error);

/// Progress: (rows evaluated so far, N of the row being run).
using SearchProgress = std::function<void(std::size_t rows_done, std::int64_t pairs)>;

CapacitySearchResult search_capacity(const RunSpec& spec, const Rational& max_error, std::int64_t max_pairs,
                                     const std::shared_ptr<const Weights>& weights, const SearchProgress& progress = {});

}  // namespace recallbound::models
