#pragma once
// The parsed form of a proof script (proofs/README.md, "Proof scripts"). Parsing only checks the
// syntax and that every name is declared; whether a step follows is the checker's business.
#include "kernel/script_term.hpp"

#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace recallbound::kernel::script {

struct SymbolDecl {
  std::string name;
  std::string index;  // indexed symbol e[i]: the index; else empty
  bool integer = false;
  std::optional<Rational> lower, upper, value;
  std::size_t line = 0;
};

struct Declarations {
  std::map<std::string, SymbolDecl> symbols;
  std::map<std::string, Poly> index_upper;            // index name -> upper bound (lower bound 1)
  std::map<std::string, std::size_t> index_line;
  std::set<std::string> variables;
  std::map<std::string, std::string> families;        // family name -> its index
};

/// form >= 0, form > 0, form = 0.
enum class Sense { ge, gt, eq };

enum class ClaimKind {
  relation,            // an (in)equality between terms
  independent,         // A || B || C (lists of variables)
  function,            // Y : S, R
  markov,              // A -> B -> C
  family_independent,  // mutually independent X[1..N]
  alphabet_size,       // alphabet X size M
  alphabet_bits,       // alphabet S bits B
  uniform,             // uniform X
  error,               // error e of X from Y: e = P(Y != X), Y valued in X's alphabet
  average              // average eps of e[i]: eps = (1/N) sum_i e[i]
};

struct Claim {
  ClaimKind kind = ClaimKind::relation;
  Poly form;  // relation
  Sense sense = Sense::ge;
  std::vector<std::vector<VarRef>> lists;  // independent, markov; function: {dependent, source}
  VarRef first, second;                   // family_independent/alphabet/uniform: first; error: X, Y
  Poly amount;                            // alphabet size or bits; error: e; average: eps
  Poly member;                            // average: e[i]
};

struct Citation {
  std::size_t step = 0;
  Poly multiplier = Poly::constant(Rational(1));
  std::size_t column = 0;
};

struct Line {
  std::size_t number = 0;       // the step number written in the script
  std::size_t source_line = 0;  // 1-based line in the file
  std::size_t column = 1;       // where the claim starts
  bool hypothesis = false;
  Claim claim;
  std::string text;  // the claim as written
  std::string rule;
  std::size_t rule_column = 0;
  std::vector<Citation> citations;
  std::string family;              // subadditivity: the family
  std::vector<VarRef> condition;   // subadditivity: the conditioning set
};

struct Script {
  std::string title;
  Declarations declarations;
  std::vector<Line> lines;
  std::size_t conclusion = 0;  // the step number named by `conclude`
  std::size_t conclusion_source_line = 0;
};

/// Thrown for malformed scripts; the public API turns it into Error::bad_input "FILE:LINE:COL: ...".
struct SyntaxError {
  std::size_t line = 0;
  std::size_t column = 0;
  std::string message;
};

Script parse_script(std::string_view text);

/// `A,B` for messages.
std::string vars_text(const std::vector<VarRef>& vars);

}  // namespace recallbound::kernel::script
