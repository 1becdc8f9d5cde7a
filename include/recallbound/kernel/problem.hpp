#pragma once
// A linear information problem: variables, a goal relation and given constraints, with the
// canonical text and SHA-256 digest that bind a certificate to it (proofs/CERTIFICATE.md).
#include "recallbound/kernel/expression.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace recallbound::kernel {

struct Problem {
  std::vector<std::string> variables;
  std::string goal_text;
  Statement goal;
  std::vector<std::string> given_texts;
  std::vector<Constraint> givens;
};

/// Parses a problem. With `declared` empty, variables are collected in order of first appearance
/// (goal first, then givens); otherwise exactly `declared` may be used. Throws bad_input.
Problem make_problem(std::string_view goal, const std::vector<std::string>& givens,
                     const std::vector<std::string>& declared = {});

/// The directions a goal needs: {ge} for >=, {le} for <=, {ge, le} for =.
enum class Direction { ge, le };
std::string direction_name(Direction direction);
std::vector<Direction> required_directions(Relation relation);
/// ge: left - right; le: right - left. Proving it >= 0 proves that direction.
LinearForm direction_form(const Statement& goal, Direction direction);

/// The canonical problem text of proofs/CERTIFICATE.md.
std::string canonical_text(const Problem& problem);
/// "sha256:" + lower-case hex SHA-256 of canonical_text.
std::string problem_digest(const Problem& problem);
/// Lower-case hex SHA-256 of arbitrary bytes (exposed for tests against an independent oracle).
std::string sha256_hex(std::string_view bytes);

}  // namespace recallbound::kernel
