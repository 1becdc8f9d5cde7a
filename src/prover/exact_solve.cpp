#include "prover/exact_solve.hpp"

#include "recallbound/error.hpp"

#include <deque>

namespace recallbound::prover::detail {

namespace {

void check_deadline(std::size_t& counter, std::chrono::steady_clock::time_point deadline) {
  if ((++counter & 63U) == 0 && std::chrono::steady_clock::now() > deadline)
    throw Error::limit("--time-limit: the exact recovery did not finish in time; raise --time-limit");
}

// Row echelon form by incremental elimination; the leading column of each pivot row is its
// smallest, so eliminating it strictly increases a row's leading column and terminates.
bool eliminate(const std::vector<SparseRow>& rows, const std::vector<Rational>& rhs, std::vector<Rational>& x,
               std::chrono::steady_clock::time_point deadline) {
  std::map<std::size_t, std::pair<SparseRow, Rational>> pivot_rows;
  std::size_t counter = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    check_deadline(counter, deadline);
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
      const Rational factor = row.begin()->second;
      for (const auto& [c, v] : pivot->second.first) {
        auto [it, inserted] = row.try_emplace(c, 0);
        it->second -= factor * v;
        if (it->second == 0) row.erase(it);
      }
      value -= factor * pivot->second.second;
    }
    if (!became_pivot && value != 0) return false;  // 0 = nonzero
  }
  for (auto it = pivot_rows.rbegin(); it != pivot_rows.rend(); ++it) {
    const auto& [row, value] = it->second;
    Rational total = value;
    for (const auto& [c, v] : row)
      if (c != it->first) total -= v * x[c];
    x[it->first] = total;
  }
  return true;
}

}  // namespace

std::optional<std::vector<Rational>> solve_exact(const std::vector<SparseRow>& rows, const std::vector<Rational>& rhs,
                                                 std::size_t unknowns, std::chrono::steady_clock::time_point deadline) {
  // Peeling: an equation with one unknown left fixes it. LP bases of the Shannon LP are mostly
  // triangular, so this solves nearly everything without fill-in; the rest is eliminated.
  std::vector<std::vector<std::size_t>> rows_of(unknowns);
  std::vector<std::size_t> open(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    open[i] = rows[i].size();
    for (const auto& entry : rows[i]) rows_of[entry.first].push_back(i);
  }
  std::vector<Rational> x(unknowns);
  std::vector<bool> solved(unknowns, false);
  std::deque<std::size_t> ready;
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (open[i] == 1) ready.push_back(i);
  std::size_t counter = 0;
  while (!ready.empty()) {
    check_deadline(counter, deadline);
    const std::size_t i = ready.front();
    ready.pop_front();
    if (open[i] != 1) continue;
    std::size_t column = 0;
    Rational value = rhs[i];
    Rational coefficient;
    for (const auto& [c, v] : rows[i]) {
      if (solved[c]) {
        value -= v * x[c];
      } else {
        column = c;
        coefficient = v;
      }
    }
    x[column] = value / coefficient;
    solved[column] = true;
    for (std::size_t r : rows_of[column])
      if (--open[r] == 1) ready.push_back(r);
  }
  std::vector<SparseRow> rest_rows;
  std::vector<Rational> rest_rhs;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (open[i] == 0) continue;
    SparseRow row;
    Rational value = rhs[i];
    for (const auto& [c, v] : rows[i]) {
      if (solved[c]) value -= v * x[c];
      else row.emplace(c, v);
    }
    rest_rows.push_back(std::move(row));
    rest_rhs.push_back(std::move(value));
  }
  if (!rest_rows.empty() && !eliminate(rest_rows, rest_rhs, x, deadline)) return std::nullopt;
  // Every equation, including the peeled and the fully determined ones, must hold exactly.
  for (std::size_t i = 0; i < rows.size(); ++i) {
    check_deadline(counter, deadline);
    Rational total = 0;
    for (const auto& [c, v] : rows[i]) total += v * x[c];
    if (total != rhs[i]) return std::nullopt;
  }
  return x;
}

}  // namespace recallbound::prover::detail
