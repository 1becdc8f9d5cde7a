#include "prover/exact_solve.hpp"

#include "recallbound/error.hpp"

namespace recallbound::prover::detail {

std::optional<std::vector<Rational>> solve_exact(const std::vector<SparseRow>& rows, const std::vector<Rational>& rhs,
                                                 std::size_t unknowns, std::chrono::steady_clock::time_point deadline) {
  // pivot_rows[c]: a row whose smallest column is c, scaled so that its entry at c is 1.
  std::map<std::size_t, std::pair<SparseRow, Rational>> pivot_rows;
  std::size_t processed = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if ((++processed & 63U) == 0 && std::chrono::steady_clock::now() > deadline)
      throw Error::limit("--time-limit: the exact recovery did not finish in time; raise --time-limit");
    SparseRow row = rows[i];
    Rational value = rhs[i];
    bool became_pivot = false;
    while (!row.empty()) {
      const std::size_t column = row.begin()->first;
      const auto pivot = pivot_rows.find(column);
      if (pivot == pivot_rows.end()) {
        const Rational lead = row.begin()->second;
        for (auto& entry : row) entry.second /= lead;
        value /= lead;
        pivot_rows.emplace(column, std::make_pair(std::move(row), std::move(value)));
        became_pivot = true;
        break;
      }
      // Eliminate `column`; the pivot row's other columns are all larger, so the leading
      // column of `row` strictly increases and the loop ends.
      const Rational factor = row.begin()->second;
      for (const auto& [c, v] : pivot->second.first) {
        auto [it, inserted] = row.try_emplace(c, 0);
        it->second -= factor * v;
        if (it->second == 0) row.erase(it);
      }
      value -= factor * pivot->second.second;
    }
    if (!became_pivot && value != 0) return std::nullopt;  // 0 = nonzero
  }
  std::vector<Rational> x(unknowns);
  for (auto it = pivot_rows.rbegin(); it != pivot_rows.rend(); ++it) {
    const auto& [row, value] = it->second;
    Rational total = value;
    for (const auto& [c, v] : row)
      if (c != it->first) total -= v * x[c];
    x[it->first] = total;
  }
  return x;
}

}  // namespace recallbound::prover::detail
