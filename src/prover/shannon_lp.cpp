#include "prover/shannon_lp.hpp"

#include "prover/exact_solve.hpp"
#include "prover/rational_approximation.hpp"
#include "recallbound/error.hpp"

#include <glpk.h>

#include <array>
#include <climits>
#include <map>
#include <cmath>
#include <memory>

namespace recallbound::prover::detail {

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// An elemental inequality as at most four (set, +-1) entries.
struct SparseForm {
  std::array<std::pair<VariableSet, int>, 4> entries{};
  std::size_t size = 0;
  void add(VariableSet set, int sign) {
    if (set != 0) entries[size++] = {set, sign};
  }
};

SparseForm elemental_form(const Elemental& e, VariableSet full) {
  SparseForm form;
  if (!e.pair) {
    form.add(full, 1);
    form.add(full & ~(VariableSet{1} << e.i), -1);
  } else {
    const VariableSet a = VariableSet{1} << e.i, b = VariableSet{1} << e.j;
    form.add(a | e.given, 1);
    form.add(b | e.given, 1);
    form.add(a | b | e.given, -1);
    form.add(e.given, -1);
  }
  return form;
}

struct ProblemDeleter {
  void operator()(glp_prob* problem) const { glp_delete_prob(problem); }
};

int to_glpk_index(std::size_t index) {
  if (index > static_cast<std::size_t>(INT_MAX)) throw Error::limit("the LP is too large for GLPK");
  return static_cast<int>(index);
}

class DirectionLp {
 public:
  DirectionLp(std::size_t variables, const LinearForm& target, const std::vector<ReducedComponent>& components,
              Clock::time_point deadline)
      : full_((VariableSet{1} << variables) - 1),
        target_(target),
        components_(components),
        elementals_(elemental_inequalities(variables)),
        deadline_(deadline),
        lp_(glp_create_prob()) {
    build();
  }

  DirectionOutcome run() {
    DirectionOutcome outcome;
    outcome.rows = static_cast<std::size_t>(full_);
    outcome.columns = static_cast<std::size_t>(glp_get_num_cols(lp_.get()));
    const auto lp_start = Clock::now();
    simplex();
    outcome.lp_seconds = seconds_since(lp_start);
    const auto exact_start = Clock::now();
    const double objective = glp_get_obj_val(lp_.get());
    bool done = objective < 1e-7 ? recover_proof(outcome) : recover_counterexample(outcome);
    if (!done) {  // The float basis was not exactly optimal: finish in exact arithmetic, retry.
      const auto exact_lp_start = Clock::now();
      exact_simplex();
      outcome.lp_seconds += seconds_since(exact_lp_start);
      done = recover_proof(outcome) || recover_counterexample(outcome);
    }
    if (!done) throw Error::internal("prover: could not recover an exact certificate from the LP basis");
    outcome.exact_seconds = seconds_since(exact_start);
    return outcome;
  }

 private:
  std::size_t elemental_column(std::size_t k) const { return k + 1; }
  std::size_t component_column(std::size_t k) const { return elementals_.size() + k + 1; }
  std::size_t plus_column(VariableSet s) const { return elementals_.size() + components_.size() + 2 * s - 1; }
  std::size_t minus_column(VariableSet s) const { return plus_column(s) + 1; }

  void build() {
    glp_prob* lp = lp_.get();
    glp_set_obj_dir(lp, GLP_MIN);
    glp_add_rows(lp, to_glpk_index(full_));
    for (VariableSet s = 1; s <= full_; ++s) {
      const auto it = target_.coefficients().find(s);
      const double value = it == target_.coefficients().end() ? 0.0 : to_display_double(it->second);
      glp_set_row_bnds(lp, to_glpk_index(s), GLP_FX, value, value);
    }
    const std::size_t columns = elementals_.size() + components_.size() + 2 * full_;
    glp_add_cols(lp, to_glpk_index(columns));
    std::vector<int> rows{0}, cols{0};
    std::vector<double> values{0.0};
    auto put = [&](VariableSet row, std::size_t column, double value) {
      rows.push_back(to_glpk_index(row));
      cols.push_back(to_glpk_index(column));
      values.push_back(value);
    };
    for (std::size_t k = 0; k < elementals_.size(); ++k) {
      glp_set_col_bnds(lp, to_glpk_index(elemental_column(k)), GLP_LO, 0.0, 0.0);
      const SparseForm form = elemental_form(elementals_[k], full_);
      for (std::size_t e = 0; e < form.size; ++e) put(form.entries[e].first, elemental_column(k), form.entries[e].second);
    }
    for (std::size_t k = 0; k < components_.size(); ++k) {
      const int column = to_glpk_index(component_column(k));
      if (components_[k].equality) {
        glp_set_col_bnds(lp, column, GLP_FR, 0.0, 0.0);
      } else {
        glp_set_col_bnds(lp, column, GLP_LO, 0.0, 0.0);
      }
      for (const auto& [set, coefficient] : components_[k].form.coefficients())
        put(set, component_column(k), to_display_double(coefficient));
    }
    for (VariableSet s = 1; s <= full_; ++s) {
      for (std::size_t column : {plus_column(s), minus_column(s)}) {
        glp_set_col_bnds(lp, to_glpk_index(column), GLP_LO, 0.0, 0.0);
        glp_set_obj_coef(lp, to_glpk_index(column), 1.0);
      }
      put(s, plus_column(s), 1.0);
      put(s, minus_column(s), -1.0);
    }
    glp_load_matrix(lp, to_glpk_index(values.size() - 1), rows.data(), cols.data(), values.data());
    // A feasible starting basis: the artificial p_S or q_S that absorbs f[S] is basic.
    for (VariableSet s = 1; s <= full_; ++s) {
      glp_set_row_stat(lp, to_glpk_index(s), GLP_NS);
      const bool negative = glp_get_row_lb(lp, to_glpk_index(s)) < 0;
      glp_set_col_stat(lp, to_glpk_index(negative ? minus_column(s) : plus_column(s)), GLP_BS);
      glp_set_col_stat(lp, to_glpk_index(negative ? plus_column(s) : minus_column(s)), GLP_NL);
    }
    for (std::size_t k = 0; k < elementals_.size(); ++k) glp_set_col_stat(lp, to_glpk_index(elemental_column(k)), GLP_NL);
    for (std::size_t k = 0; k < components_.size(); ++k)
      glp_set_col_stat(lp, to_glpk_index(component_column(k)), components_[k].equality ? GLP_NF : GLP_NL);
  }

  int remaining_milliseconds() const {
    const double left = std::chrono::duration<double, std::milli>(deadline_ - Clock::now()).count();
    if (left <= 0) throw Error::limit("--time-limit: the LP was not solved in time; raise --time-limit");
    return left > 1e9 ? 1000000000 : static_cast<int>(left);
  }

  void simplex() {
    glp_smcp parameters;
    glp_init_smcp(&parameters);
    parameters.msg_lev = GLP_MSG_OFF;
    parameters.presolve = GLP_OFF;  // the optimal basis is what we recover from
    parameters.tm_lim = remaining_milliseconds();
    const int code = glp_simplex(lp_.get(), &parameters);
    check_code(code);
  }

  void exact_simplex() {
    glp_smcp parameters;
    glp_init_smcp(&parameters);
    parameters.msg_lev = GLP_MSG_OFF;
    parameters.tm_lim = remaining_milliseconds();
    check_code(glp_exact(lp_.get(), &parameters));
  }

  void check_code(int code) const {
    if (code == GLP_ETMLIM) throw Error::limit("--time-limit: the LP was not solved in time; raise --time-limit");
    if (code != 0) throw Error::internal("prover: GLPK failed with code " + std::to_string(code));
    if (glp_get_status(lp_.get()) != GLP_OPT)
      throw Error::internal("prover: GLPK did not reach an optimum (status " + std::to_string(glp_get_status(lp_.get())) + ")");
  }

  // Column j of the constraint matrix as sparse (set, value) entries.
  std::vector<std::pair<VariableSet, Rational>> column_entries(std::size_t column) const {
    std::vector<std::pair<VariableSet, Rational>> entries;
    if (column <= elementals_.size()) {
      const SparseForm form = elemental_form(elementals_[column - 1], full_);
      for (std::size_t e = 0; e < form.size; ++e) entries.emplace_back(form.entries[e].first, Rational(form.entries[e].second));
    } else if (column <= elementals_.size() + components_.size()) {
      for (const auto& entry : components_[column - elementals_.size() - 1].form.coefficients()) entries.push_back(entry);
    } else {
      const std::size_t offset = column - elementals_.size() - components_.size() - 1;
      entries.emplace_back(static_cast<VariableSet>(offset / 2 + 1), Rational(offset % 2 == 0 ? 1 : -1));
    }
    return entries;
  }

  bool recover_proof(DirectionOutcome& outcome) {
    for (const bool use_tolerance : {true, false}) {
      std::vector<std::size_t> support;
      const std::size_t structural = elementals_.size() + components_.size();
      for (std::size_t column = 1; column <= structural; ++column) {
        if (glp_get_col_stat(lp_.get(), to_glpk_index(column)) != GLP_BS) continue;
        if (use_tolerance && std::fabs(glp_get_col_prim(lp_.get(), to_glpk_index(column))) < 1e-9) continue;
        support.push_back(column);
      }
      // Equations: for every coordinate S, sum over support of x_j * A[S][j] = f[S].
      std::map<VariableSet, SparseRow> by_set;
      for (const auto& entry : target_.coefficients()) by_set[entry.first];
      for (std::size_t k = 0; k < support.size(); ++k)
        for (const auto& [set, value] : column_entries(support[k])) by_set[set][k] = value;
      std::vector<SparseRow> rows;
      std::vector<Rational> rhs;
      for (auto& [set, row] : by_set) {
        const auto it = target_.coefficients().find(set);
        rows.push_back(std::move(row));
        rhs.push_back(it == target_.coefficients().end() ? Rational(0) : it->second);
      }
      const auto solution = solve_exact(rows, rhs, support.size(), deadline_);
      if (!solution) continue;
      bool signs_ok = true;
      outcome.elemental_multipliers.clear();
      outcome.component_multipliers.clear();
      for (std::size_t k = 0; k < support.size() && signs_ok; ++k) {
        const Rational& value = (*solution)[k];
        if (value == 0) continue;
        if (support[k] <= elementals_.size()) {
          signs_ok = value > 0;
          outcome.elemental_multipliers.emplace_back(support[k] - 1, value);
        } else {
          const std::size_t index = support[k] - elementals_.size() - 1;
          signs_ok = components_[index].equality || value > 0;
          outcome.component_multipliers.emplace_back(index, value);
        }
      }
      if (signs_ok) {
        outcome.provable = true;
        return true;
      }
    }
    return false;
  }

  bool point_is_counterexample(const std::vector<Rational>& h) const {
    for (const auto& e : elementals_) {
      const SparseForm form = elemental_form(e, full_);
      Rational value = 0;
      for (std::size_t k = 0; k < form.size; ++k) value += form.entries[k].second * h[form.entries[k].first];
      if (value < 0) return false;
    }
    auto at = [&](VariableSet s) -> const Rational& { return h[s]; };
    for (const auto& component : components_) {
      const Rational value = component.form.evaluate(at);
      if (component.equality ? value != 0 : value < 0) return false;
    }
    return target_.evaluate(at) < 0;
  }

  bool recover_counterexample(DirectionOutcome& outcome) {
    std::vector<Rational> h(full_ + 1);
    // First guess: the simplest rationals near the float duals, checked exactly.
    for (VariableSet s = 1; s <= full_; ++s) h[s] = -simplest_near(glp_get_row_dual(lp_.get(), to_glpk_index(s)), 1e-9);
    if (point_is_counterexample(h)) {
      outcome.point = std::move(h);
      return true;
    }
    // Exact duals of the basis: y^T B = c_B, and y_S = 0 where row S's own variable is basic.
    std::vector<SparseRow> rows;
    std::vector<Rational> rhs;
    const std::size_t columns = static_cast<std::size_t>(glp_get_num_cols(lp_.get()));
    for (std::size_t column = 1; column <= columns; ++column) {
      if (glp_get_col_stat(lp_.get(), to_glpk_index(column)) != GLP_BS) continue;
      SparseRow row;
      for (const auto& [set, value] : column_entries(column)) row[set - 1] = value;
      rows.push_back(std::move(row));
      rhs.emplace_back(column > elementals_.size() + components_.size() ? 1 : 0);
    }
    for (VariableSet s = 1; s <= full_; ++s)
      if (glp_get_row_stat(lp_.get(), to_glpk_index(s)) == GLP_BS) {
        rows.push_back(SparseRow{{s - 1, Rational(1)}});
        rhs.emplace_back(0);
      }
    const auto y = solve_exact(rows, rhs, full_, deadline_);
    if (!y) return false;
    for (VariableSet s = 1; s <= full_; ++s) h[s] = -(*y)[s - 1];
    if (!point_is_counterexample(h)) return false;
    outcome.point = std::move(h);
    return true;
  }

  VariableSet full_;
  const LinearForm& target_;
  const std::vector<ReducedComponent>& components_;
  std::vector<Elemental> elementals_;
  Clock::time_point deadline_;
  std::unique_ptr<glp_prob, ProblemDeleter> lp_;
};

}  // namespace

std::size_t elemental_count(std::size_t variables) {
  if (variables < 2) return variables;
  return variables + variables * (variables - 1) / 2 * (std::size_t{1} << (variables - 2));
}

std::vector<Elemental> elemental_inequalities(std::size_t variables) {
  std::vector<Elemental> result;
  result.reserve(elemental_count(variables));
  const VariableSet full = (VariableSet{1} << variables) - 1;
  for (std::size_t i = 0; i < variables; ++i) result.push_back({false, i, 0, full & ~(VariableSet{1} << i)});
  for (std::size_t i = 0; i < variables; ++i)
    for (std::size_t j = i + 1; j < variables; ++j) {
      const VariableSet others = full & ~((VariableSet{1} << i) | (VariableSet{1} << j));
      for (VariableSet k = 0;; k = ((k | ~others) + 1) & others) {  // subsets of `others`, increasing
        result.push_back({true, i, j, k});
        if (k == others) break;
      }
    }
  return result;
}

DirectionOutcome solve_direction(std::size_t variables, const LinearForm& target,
                                 const std::vector<ReducedComponent>& components, Clock::time_point deadline) {
  DirectionLp lp(variables, target, components, deadline);
  return lp.run();
}

}  // namespace recallbound::prover::detail
