#include "recallbound/prover/render.hpp"

namespace recallbound::prover {

namespace {

using kernel::BasicQuantity;
using kernel::Certificate;
using kernel::ConstraintKind;
using kernel::Direction;
using kernel::VariableSet;

// The two sides of the goal as the user wrote them.
std::pair<std::string, std::string> goal_sides(const std::string& goal) {
  for (const char* op : {">=", "<=", "="}) {
    const auto at = goal.find(op);
    if (at == std::string::npos) continue;
    auto trim = [](std::string s) {
      s.erase(0, s.find_first_not_of(' '));
      s.erase(s.find_last_not_of(' ') + 1);
      return s;
    };
    return {trim(goal.substr(0, at)), trim(goal.substr(at + std::string(op).size()))};
  }
  return {goal, "0"};
}

std::string difference(const std::string& left, const std::string& right) {
  if (right == "0") return left;
  const bool compound = right.find_first_of("+-") != std::string::npos;
  return left + " - " + (compound ? "(" + right + ")" : right);
}

std::string direction_text(const Certificate& c, Direction direction) {
  const auto [left, right] = goal_sides(c.problem.goal_text);
  return direction == Direction::ge ? difference(left, right) : difference(right, left);
}

// The component j.k written symbolically (it is = 0 or >= 0 by the given).
std::string component_text(const Certificate& c, std::size_t given, std::size_t component) {
  const auto& constraint = c.problem.givens[given - 1];
  const auto& names = c.problem.variables;
  switch (constraint.kind) {
    case ConstraintKind::markov: {
      VariableSet past = 0;
      for (std::size_t i = 0; i < component; ++i) past |= constraint.lists[i];
      return BasicQuantity{false, past, constraint.lists[component + 1], constraint.lists[component]}.text(names);
    }
    case ConstraintKind::function:
      return BasicQuantity{true, constraint.lists[0], 0, constraint.lists[1]}.text(names);
    case ConstraintKind::independence: {
      std::string text;
      VariableSet all = 0;
      for (VariableSet list : constraint.lists) {
        text += (text.empty() ? "" : " + ") + std::string("H(") + kernel::set_text(list, names) + ")";
        all |= list;
      }
      return text + " - H(" + kernel::set_text(all, names) + ")";
    }
    case ConstraintKind::relation: break;
  }
  const auto [left, right] = goal_sides(c.problem.given_texts[given - 1]);
  return constraint.relation.relation == kernel::Relation::le ? difference(right, left) : difference(left, right);
}

std::string coefficient_prefix(const Rational& magnitude) {
  return magnitude == 1 ? std::string() : to_exact_string(magnitude) + " * ";
}

std::string latex_of(std::string text) {
  std::string out;
  for (char ch : text) {
    if (ch == '|') out += " \\mid ";
    else if (ch == '*') out += " \\cdot ";
    else out += ch;
  }
  return out;
}

std::string latex_number(const Rational& value) {
  if (value == 1) return "";
  const std::string text = to_exact_string(value);
  const auto slash = text.find('/');
  if (slash == std::string::npos) return text + " ";
  return "\\tfrac{" + text.substr(0, slash) + "}{" + text.substr(slash + 1) + "} ";
}

struct Line {
  bool negative;
  Rational magnitude;
  std::string quantity;
  std::string reason;
  bool zero;  // "= 0" rather than ">= 0"
};

std::vector<Line> proof_lines(const Certificate& c, const kernel::ProofBlock& block) {
  std::vector<Line> lines;
  for (const auto& term : block.terms)
    lines.push_back({false, term.multiplier, term.quantity.text(c.problem.variables), "Shannon", false});
  for (const auto& use : block.uses) {
    const bool equality = c.problem.givens[use.given - 1].components()[use.component - 1].equality;
    const bool negative = use.multiplier < 0;
    lines.push_back({negative, negative ? Rational(-use.multiplier) : use.multiplier,
                     "[" + component_text(c, use.given, use.component) + "]",
                     "given (" + std::to_string(use.given) + ") " + c.problem.given_texts[use.given - 1], equality});
  }
  return lines;
}

std::string givens_text(const Certificate& c) {
  std::string text;
  for (std::size_t j = 0; j < c.problem.given_texts.size(); ++j)
    text += "  (" + std::to_string(j + 1) + ") " + c.problem.given_texts[j] + "\n";
  return text;
}

}  // namespace

std::string render_text(const Certificate& c) {
  std::string out;
  if (c.kind == kernel::CertificateKind::counterexample) {
    out += "Not provable by Shannon-type inequalities: " + c.problem.goal_text + "\n";
    if (!c.problem.givens.empty()) out += "under the givens\n" + givens_text(c);
    out += "This does not mean the inequality is false (e.g. Zhang-Yeung is valid but not Shannon-type).\n";
    out += "Counterexample: a point of the Shannon cone satisfying every given where " +
           direction_text(c, c.violated) + " < 0:\n";
    for (const auto& value : c.point)
      out += "  H(" + kernel::set_text(value.set, c.problem.variables) + ") = " + to_exact_string(value.value) + "\n";
    return out;
  }
  out += "Proof of " + c.problem.goal_text + "\n";
  if (!c.problem.givens.empty()) out += "given\n" + givens_text(c);
  for (const auto& block : c.blocks) {
    const std::string head = direction_text(c, block.direction);
    out += "\n  " + head + "\n";
    const auto lines = proof_lines(c, block);
    if (lines.empty()) out += "    = 0\n";
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const auto& line = lines[i];
      std::string body = (i == 0 ? (line.negative ? "= -" : "= ") : (line.negative ? "- " : "+ ")) +
                         coefficient_prefix(line.magnitude) + line.quantity;
      if (body.size() < 44) body += std::string(44 - body.size(), ' ');
      out += "    " + body + (line.zero ? "  = 0   " : "  >= 0  ") + line.reason + "\n";
    }
    out += "  so " + head + " >= 0.\n";
  }
  out += "QED (checked by the recallbound kernel)\n";
  return out;
}

std::string render_latex(const Certificate& c) {
  std::string out;
  if (c.kind == kernel::CertificateKind::counterexample) {
    out += "% Not Shannon-provable: " + c.problem.goal_text + "\n\\begin{tabular}{ll}\n";
    for (const auto& value : c.point)
      out += "$H(" + kernel::set_text(value.set, c.problem.variables) + ")$ & $" + latex_number(value.value) +
             (value.value == 1 ? "1" : "") + "$ \\\\\n";
    return out + "\\end{tabular}\n";
  }
  for (const auto& block : c.blocks) {
    out += "\\begin{align*}\n  " + latex_of(direction_text(c, block.direction));
    const auto lines = proof_lines(c, block);
    if (lines.empty()) out += " &= 0\n";
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const auto& line = lines[i];
      const std::string sign = line.negative ? "- " : (i == 0 ? "" : "+ ");
      out += std::string(i == 0 ? " &= " : "\\\\\n  &\\quad ") + sign + latex_number(line.magnitude) + latex_of(line.quantity) +
             " && " + (line.zero ? "(= 0,\\ " : "(\\ge 0,\\ ") + "\\text{" +
             (line.reason == "Shannon" ? std::string("Shannon") : "given (" + line.reason.substr(7, line.reason.find(')') - 7) + ")") +
             "})";
    }
    out += "\n\\end{align*}\n";
  }
  return out;
}

}  // namespace recallbound::prover
