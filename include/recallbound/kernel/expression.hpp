#pragma once
// The expression language (full minitip style, plus interaction information):
//   H(A,B|C)  I(A,B;C|D)  I(A;B;C|D)  [A;B;C;D] (Ingleton)  D(A;B;C) (Delta)
//   rational coefficients `3*H(A)`, `3 H(A)`, `1/2*I(A;B)`, `-1.25 H(A|B)`; `+`, `-`; a side may be 0.
// Relations: `>=`, `<=`, `=`. Constraints: a relation, a Markov chain `X -> Y -> Z` (or `X/Y/Z`),
// mutual independence `X || Y || Z` (or `X . Y . Z`), functional dependence `Y : X`; a variable
// list is names separated by commas. Errors are Error::bad_input naming the field and the column.
#include "recallbound/kernel/linear_form.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace recallbound::kernel {

/// Maps variable names to bit positions. An open table adds names on first use (the prover
/// collects variables from the user's expressions); a closed one rejects undeclared names (the
/// kernel reads certificates that declare their variables).
class VariableTable {
 public:
  VariableTable() = default;
  /// A closed table of `names`; throws bad_input on duplicates, bad names or too many.
  explicit VariableTable(std::vector<std::string> names);

  [[nodiscard]] std::optional<std::size_t> find(std::string_view name) const;
  /// The index of `name`, adding it if the table is open. Throws bad_input otherwise.
  std::size_t intern(std::string_view name);
  [[nodiscard]] const std::vector<std::string>& names() const { return names_; }
  [[nodiscard]] std::size_t size() const { return names_.size(); }
  [[nodiscard]] bool closed() const { return closed_; }
  [[nodiscard]] VariableSet all() const;

 private:
  std::vector<std::string> names_;
  bool closed_ = false;
};

enum class Relation { ge, le, eq };
std::string relation_symbol(Relation relation);

/// `left REL right`; form() is left - right.
struct Statement {
  LinearForm left;
  LinearForm right;
  Relation relation = Relation::ge;
  [[nodiscard]] LinearForm form() const { return left - right; }
};

enum class ConstraintKind { relation, markov, independence, function };
std::string constraint_kind_name(ConstraintKind kind);

/// One linear condition a constraint stands for: form >= 0 or form = 0.
struct Component {
  LinearForm form;
  bool equality = true;
};

struct Constraint {
  ConstraintKind kind = ConstraintKind::relation;
  Statement relation;                // for kind relation
  std::vector<VariableSet> lists;    // for the shorthands, in order (function: {dependent, source})
  /// The expansion of proofs/README.md rule G.
  [[nodiscard]] std::vector<Component> components() const;
};

/// A single basic Shannon quantity, as used on `term` lines: H(S|T) (second empty) or I(S;T|U).
struct BasicQuantity {
  bool is_entropy = true;
  VariableSet first = 0;
  VariableSet second = 0;
  VariableSet condition = 0;
  [[nodiscard]] LinearForm form() const;
  [[nodiscard]] std::string text(const std::vector<std::string>& names) const;
};

/// `field` names the input in error messages, e.g. "goal" or "--given 2".
LinearForm parse_expression(std::string_view text, VariableTable& variables, std::string_view field);
Statement parse_relation(std::string_view text, VariableTable& variables, std::string_view field);
Constraint parse_constraint(std::string_view text, VariableTable& variables, std::string_view field);
BasicQuantity parse_basic_quantity(std::string_view text, VariableTable& variables, std::string_view field);

}  // namespace recallbound::kernel
