#include "prover/quotient.hpp"

#include "prover/sparse_lp.hpp"
#include "prover/zero_closure.hpp"
#include "recallbound/error.hpp"

#include <bit>
#include <map>
#include <numeric>

namespace recallbound::prover::detail {

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// Normal forms have small integer coefficients; int64 with overflow checks (an overflow abandons
// the reduction, never a wrong answer).
using IntVector = std::vector<std::pair<std::uint32_t, std::int64_t>>;  // sorted by coordinate

struct Overflow {};

std::int64_t checked_multiply_add(std::int64_t sum, std::int64_t a, std::int64_t b) {
  std::int64_t product = 0, result = 0;
  if (__builtin_mul_overflow(a, b, &product) || __builtin_add_overflow(sum, product, &result)) throw Overflow{};
  return result;
}

// a + factor * b, both sorted.
IntVector combine(const IntVector& a, const IntVector& b, std::int64_t factor) {
  IntVector result;
  result.reserve(a.size() + b.size());
  std::size_t x = 0, y = 0;
  while (x < a.size() || y < b.size()) {
    if (y == b.size() || (x < a.size() && a[x].first < b[y].first)) {
      result.push_back(a[x++]);
    } else if (x == a.size() || b[y].first < a[x].first) {
      result.emplace_back(b[y].first, checked_multiply_add(0, factor, b[y].second));
      ++y;
    } else {
      const std::int64_t value = checked_multiply_add(a[x].second, factor, b[y].second);
      if (value != 0) result.emplace_back(a[x].first, value);
      ++x;
      ++y;
    }
  }
  return result;
}

class Quotient {
 public:
  Quotient(std::size_t m, const LinearForm& target, const std::vector<ReducedComponent>& components,
           Clock::time_point deadline)
      : m_(m), full_((VariableSet{1} << m) - 1), target_(target), components_(components), deadline_(deadline),
        closure_(m, components) {}

  DirectionOutcome solve(bool reduce) {
    const auto start = Clock::now();
    bool reduced = reduce && closure_.count() > 0;
    if (reduced) {
      try {
        build_normal_forms(true);
        build_lp();
      } catch (const Overflow&) {
        reduced = false;
      }
    }
    if (!reduced) {
      build_normal_forms(false);
      build_lp();
    }
    const double setup_seconds = seconds_since(start);
    const auto accept = [&](const std::vector<Rational>& v) { return is_counterexample(m_, target_, components_, lift(v)); };
    const LpSolution solution = solve_sparse_lp(lp_, deadline_, accept);
    DirectionOutcome outcome;
    outcome.rows = lp_.rows;
    outcome.columns = lp_.columns.size() + 2 * lp_.rows;
    outcome.lp_seconds = setup_seconds + solution.lp_seconds;
    outcome.reduction = reduced ? "independence: " + std::to_string(closure_.count()) + " elementals forced to 0, " +
                                      std::to_string(lp_.rows) + " of " + std::to_string(full_) + " coordinates"
                                : "none";
    const auto exact_start = Clock::now();
    if (solution.provable) {
      outcome.provable = true;
      lift_proof(solution, outcome);
    } else {
      outcome.point = lift(solution.point);
    }
    outcome.exact_seconds = solution.exact_seconds + seconds_since(exact_start);
    return outcome;
  }

 private:
  // The pivot of set T: the first zero elemental whose largest set is T (its coefficient there
  // is -1 for I(a;b|K), +1 for H(t|N-t)). Every other set is a free coordinate of the quotient.
  void build_normal_forms(bool use_zeros) {
    const auto& elementals = closure_.elementals();
    pivot_.assign(full_ + 1, none);
    if (use_zeros)
      for (std::size_t k = 0; k < elementals.size(); ++k) {
        if (!closure_.is_zero(k)) continue;
        const VariableSet top = elementals[k].pair ? (elementals[k].given | (VariableSet{1} << elementals[k].i) |
                                                      (VariableSet{1} << elementals[k].j))
                                                   : full_;
        if (pivot_[top] == none) pivot_[top] = k;
      }
    free_index_.assign(full_ + 1, none);
    free_sets_.clear();
    for (VariableSet s = 1; s <= full_; ++s)
      if (pivot_[s] == none) {
        free_index_[s] = free_sets_.size();
        free_sets_.push_back(s);
      }
    // Pivot forms only involve smaller sets, so normal forms can be built by increasing size.
    std::vector<VariableSet> by_size;
    for (VariableSet s = 1; s <= full_; ++s) by_size.push_back(s);
    std::stable_sort(by_size.begin(), by_size.end(), [](VariableSet a, VariableSet b) { return std::popcount(a) < std::popcount(b); });
    normal_.assign(full_ + 1, {});
    std::size_t counter = 0;
    for (VariableSet s : by_size) {
      if ((++counter & 255U) == 0 && Clock::now() > deadline_)
        throw Error::limit("--time-limit: the LP was not solved in time; raise --time-limit");
      if (pivot_[s] == none) {
        normal_[s] = {{static_cast<std::uint32_t>(free_index_[s]), 1}};
        continue;
      }
      const ElementalForm form = elemental_form(elementals[pivot_[s]], full_);
      std::int64_t lead = 0;
      for (std::size_t x = 0; x < form.size; ++x)
        if (form.entries[x].first == s) lead = form.entries[x].second;
      IntVector value;
      for (std::size_t x = 0; x < form.size; ++x)
        if (form.entries[x].first != s) value = combine(value, normal_[form.entries[x].first], -lead * form.entries[x].second);
      normal_[s] = std::move(value);
    }
  }

  IntVector normal_of(const Elemental& e) const {
    const ElementalForm form = elemental_form(e, full_);
    IntVector value;
    for (std::size_t x = 0; x < form.size; ++x) value = combine(value, normal_[form.entries[x].first], form.entries[x].second);
    return value;
  }

  SparseVector normal_of(const LinearForm& form) const {
    std::map<std::size_t, Rational> sum;
    for (const auto& [set, coefficient] : form.coefficients())
      for (const auto& [index, value] : normal_[set]) sum[index] += coefficient * value;
    SparseVector result;
    for (auto& [index, value] : sum)
      if (value != 0) result.emplace_back(index, std::move(value));
    return result;
  }

  void build_lp() {
    lp_ = SparseLp{};
    column_source_.clear();
    lp_.rows = free_sets_.size();
    lp_.target = normal_of(target_);
    // Elementals with the same normal form up to a positive factor are one column.
    std::map<IntVector, std::size_t> seen;
    const auto& elementals = closure_.elementals();
    for (std::size_t k = 0; k < elementals.size(); ++k) {
      IntVector value = normal_of(elementals[k]);
      if (value.empty()) continue;
      std::int64_t divisor = 0;
      for (const auto& entry : value) divisor = std::gcd(divisor, entry.second);
      IntVector key = value;
      for (auto& entry : key) entry.second /= divisor;
      if (!seen.emplace(std::move(key), k).second) continue;
      LpColumn column;
      for (const auto& [index, coefficient] : value) column.entries.emplace_back(index, Rational(coefficient));
      lp_.columns.push_back(std::move(column));
      column_source_.push_back(k);
    }
    for (std::size_t c = 0; c < components_.size(); ++c) {
      SparseVector entries = normal_of(components_[c].form);
      if (entries.empty()) continue;
      lp_.columns.push_back({std::move(entries), components_[c].equality});
      column_source_.push_back(elementals.size() + c);
    }
  }

  std::vector<Rational> lift(const std::vector<Rational>& v) const {
    std::vector<Rational> h(full_ + 1);
    for (VariableSet s = 1; s <= full_; ++s)
      for (const auto& [index, value] : normal_[s]) h[s] += value * v[index];
    return h;
  }

  void lift_proof(const LpSolution& solution, DirectionOutcome& outcome) {
    const auto& elementals = closure_.elementals();
    Expansion proof;
    // Residual R = target - sum of the LP's multiples; its normal form is 0, so peeling the largest
    // set with that set's pivot writes it as a combination of zero elementals.
    std::map<std::pair<int, VariableSet>, Rational> residual;  // keyed by (size, set): largest last
    auto add = [&](VariableSet set, const Rational& value) {
      auto& entry = residual[{std::popcount(set), set}];
      entry += value;
    };
    for (const auto& [set, coefficient] : target_.coefficients()) add(set, coefficient);
    for (const auto& [column, multiplier] : solution.multipliers) {
      const std::size_t source = column_source_[column];
      if (source < elementals.size()) {
        proof.terms[quantity_of(elementals[source])] += multiplier;
        const ElementalForm form = elemental_form(elementals[source], full_);
        for (std::size_t x = 0; x < form.size; ++x) add(form.entries[x].first, -multiplier * form.entries[x].second);
      } else {
        const std::size_t c = source - elementals.size();
        proof.uses[c] += multiplier;
        for (const auto& [set, coefficient] : components_[c].form.coefficients()) add(set, -multiplier * coefficient);
      }
    }
    std::size_t counter = 0;
    while (!residual.empty()) {
      if ((++counter & 255U) == 0 && Clock::now() > deadline_)
        throw Error::limit("--time-limit: the exact recovery did not finish in time; raise --time-limit");
      const auto top = std::prev(residual.end());
      const VariableSet set = top->first.second;
      const Rational value = top->second;
      residual.erase(top);
      if (value == 0) continue;
      if (pivot_[set] == none) throw Error::internal("prover: the quotient proof does not lift (a free coordinate remains)");
      const std::size_t z = pivot_[set];
      const ElementalForm form = elemental_form(elementals[z], full_);
      Rational alpha;
      for (std::size_t x = 0; x < form.size; ++x)
        if (form.entries[x].first == set) alpha = value / form.entries[x].second;
      for (std::size_t x = 0; x < form.size; ++x)
        if (form.entries[x].first != set) add(form.entries[x].first, -alpha * form.entries[x].second);
      if (alpha > 0) {
        proof.terms[quantity_of(elementals[z])] += alpha;
      } else {
        proof.add(closure_.negation(z), -alpha);
      }
    }
    for (const auto& [quantity, value] : proof.terms) {
      if (value < 0) throw Error::internal("prover: a lifted term has a negative multiplier");
      if (value > 0) outcome.terms.emplace_back(quantity, value);
    }
    for (const auto& [component, value] : proof.uses)
      if (value != 0) outcome.component_multipliers.emplace_back(component, value);
  }

  static constexpr std::size_t none = static_cast<std::size_t>(-1);
  std::size_t m_;
  VariableSet full_;
  const LinearForm& target_;
  const std::vector<ReducedComponent>& components_;
  Clock::time_point deadline_;
  ZeroClosure closure_;
  std::vector<std::size_t> pivot_;
  std::vector<std::size_t> free_index_;
  std::vector<VariableSet> free_sets_;
  std::vector<IntVector> normal_;
  SparseLp lp_;
  std::vector<std::size_t> column_source_;  // elemental index, or elementals + component index
};

}  // namespace

DirectionOutcome solve_by_quotient(std::size_t m, const LinearForm& target, const std::vector<ReducedComponent>& components,
                                   Clock::time_point deadline, bool reduce) {
  Quotient quotient(m, target, components, deadline);
  return quotient.solve(reduce);
}

std::size_t forced_zero_count(std::size_t m, const std::vector<ReducedComponent>& components) {
  return ZeroClosure(m, components).count();
}

}  // namespace recallbound::prover::detail
