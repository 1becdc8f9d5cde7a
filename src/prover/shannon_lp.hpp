#pragma once
// One direction of the Shannon LP over m (merged) variables: is the target form a nonnegative
// combination of elemental inequalities plus given components? The LP is first reduced when the
// problem allows it (symmetry.hpp: variable permutations fixing the problem; quotient.hpp: given
// conditional independences that force elementals to 0), solved by sparse_lp.hpp, and the answer
// is lifted back to multipliers on quantities and components of the unreduced problem, or to a
// point over every coordinate, which is checked exactly before it is returned.
#include "recallbound/kernel/linear_form.hpp"

#include <array>
#include <chrono>
#include <compare>
#include <cstdint>
#include <string>
#include <vector>

namespace recallbound::prover::detail {

using kernel::LinearForm;
using kernel::VariableSet;

/// H(N) - H(N - i) >= 0 (pair false) or I(i;j|K) >= 0 (pair true), over reduced variables.
struct Elemental {
  bool pair = false;
  std::size_t i = 0;
  std::size_t j = 0;
  VariableSet given = 0;  // K for pairs, N - i for singles
};
std::vector<Elemental> elemental_inequalities(std::size_t variables);
std::size_t elemental_count(std::size_t variables);
/// Position of the pair elemental I(i;j|K), i < j, in elemental_inequalities' order.
std::size_t pair_elemental_index(std::size_t variables, std::size_t i, std::size_t j, VariableSet given);

/// An elemental inequality in joint-entropy coordinates: at most four (set, +-1) entries.
struct ElementalForm {
  std::array<std::pair<VariableSet, int>, 4> entries{};
  std::size_t size = 0;
  void add(VariableSet set, int sign) {
    if (set != 0) entries[size++] = {set, sign};
  }
};
ElementalForm elemental_form(const Elemental& e, VariableSet full);

/// H(first|condition) (entropy) or I(first;second|condition), over reduced variables.
struct Quantity {
  bool entropy = false;
  VariableSet first = 0;
  VariableSet second = 0;
  VariableSet condition = 0;
  auto operator<=>(const Quantity&) const = default;
};
Quantity quantity_of(const Elemental& e);

struct ReducedComponent {
  std::size_t given = 0;      // 1-based
  std::size_t component = 0;  // 1-based
  LinearForm form;            // over reduced variables
  bool equality = true;
};

struct DirectionOutcome {
  bool provable = false;
  std::vector<std::pair<Quantity, Rational>> terms;                     // positive multipliers
  std::vector<std::pair<std::size_t, Rational>> component_multipliers;  // index into components
  std::vector<Rational> point;  // counterexample, indexed by reduced set mask (entry 0 unused)
  double lp_seconds = 0;
  double exact_seconds = 0;
  std::size_t rows = 0;
  std::size_t columns = 0;
  std::string reduction;  // "none", "symmetry (...)" or "independence (...)"
};

/// True when h (indexed by mask) satisfies every elemental inequality and component and makes
/// the target negative: the exact check every lifted counterexample goes through.
bool is_counterexample(std::size_t variables, const LinearForm& target, const std::vector<ReducedComponent>& components,
                       const std::vector<Rational>& h);

DirectionOutcome solve_direction(std::size_t variables, const LinearForm& target,
                                 const std::vector<ReducedComponent>& components,
                                 std::chrono::steady_clock::time_point deadline, bool reduce = true);

}  // namespace recallbound::prover::detail
