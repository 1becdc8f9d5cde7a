#include "recallbound/kernel/problem.hpp"

#include "recallbound/error.hpp"

namespace recallbound::kernel {

Problem make_problem(std::string_view goal, const std::vector<std::string>& givens,
                     const std::vector<std::string>& declared) {
  VariableTable variables = declared.empty() ? VariableTable{} : VariableTable(declared);
  Problem problem;
  problem.goal_text = std::string(goal);
  problem.goal = parse_relation(goal, variables, "goal");
  for (std::size_t j = 0; j < givens.size(); ++j) {
    problem.given_texts.push_back(givens[j]);
    problem.givens.push_back(parse_constraint(givens[j], variables, "given " + std::to_string(j + 1)));
  }
  if (variables.size() == 0) throw Error::bad_input("goal: mentions no random variable");
  problem.variables = variables.names();
  return problem;
}

std::string direction_name(Direction direction) { return direction == Direction::ge ? "ge" : "le"; }

std::vector<Direction> required_directions(Relation relation) {
  switch (relation) {
    case Relation::ge: return {Direction::ge};
    case Relation::le: return {Direction::le};
    case Relation::eq: return {Direction::ge, Direction::le};
  }
  return {};
}

LinearForm direction_form(const Statement& goal, Direction direction) {
  return direction == Direction::ge ? goal.left - goal.right : goal.right - goal.left;
}

namespace {

std::string canonical_form(const LinearForm& form) {
  if (form.is_zero()) return "0";
  std::string text;
  for (const auto& [set, coefficient] : form.coefficients()) {
    if (!text.empty()) text += ' ';
    text += to_exact_string(coefficient) + '*';
    bool first = true;
    for (std::size_t i = 0; i < max_variables; ++i) {
      if (((set >> i) & 1U) == 0) continue;
      if (!first) text += '.';
      text += std::to_string(i);
      first = false;
    }
  }
  return text;
}

std::string relation_name(Relation relation) {
  switch (relation) {
    case Relation::ge: return "ge";
    case Relation::le: return "le";
    case Relation::eq: return "eq";
  }
  return "?";
}

}  // namespace

std::string canonical_text(const Problem& problem) {
  std::string text = "recallbound-problem 1\nvariables";
  for (const auto& name : problem.variables) text += ' ' + name;
  text += "\ngoal " + relation_name(problem.goal.relation) + ' ' + canonical_form(problem.goal.form()) + '\n';
  for (std::size_t j = 0; j < problem.givens.size(); ++j) {
    const auto components = problem.givens[j].components();
    for (std::size_t k = 0; k < components.size(); ++k)
      text += "given " + std::to_string(j + 1) + ' ' + constraint_kind_name(problem.givens[j].kind) + ' ' +
              std::to_string(k + 1) + ": " + (components[k].equality ? "=0 " : ">=0 ") +
              canonical_form(components[k].form) + '\n';
  }
  return text;
}

std::string problem_digest(const Problem& problem) { return "sha256:" + sha256_hex(canonical_text(problem)); }

}  // namespace recallbound::kernel
