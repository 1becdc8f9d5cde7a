#pragma once
// Tokens and the recursive-descent parser of one line of a proof script: terms, relations and
// claims, with every name resolved against the declarations (proofs/README.md, "Format").
#include "kernel/lexer.hpp"
#include "kernel/script_parse.hpp"
#include "recallbound/exact/number.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace recallbound::kernel::script {

enum class Tok { ident, number, punct, end };
struct Token {
  Tok kind = Tok::end;
  std::string text;
  std::size_t column = 0;  // 1-based within the physical line
};

inline constexpr std::array<std::string_view, 21> reserved = {
    "H", "I", "D", "log2", "h2", "sum", "by", "independent", "mutually", "function", "markov",
    "alphabet", "uniform", "error", "average", "hypothesis", "size", "bits", "of", "from", "over"};

using detail::is_digit;
using detail::is_letter;

inline std::vector<Token> tokenize(std::string_view text, std::size_t line, std::size_t offset) {
  static constexpr std::array<std::string_view, 6> two_char = {"||", "<=", ">=", "->", "..", "!="};
  std::vector<Token> tokens;
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == ' ' || c == '\t' || c == '\r') {
      ++i;
      continue;
    }
    const std::size_t column = offset + i + 1;
    if (is_letter(c) || is_digit(c)) {
      const std::size_t j = is_letter(c) ? detail::identifier_end(text, i) : detail::number_end(text, i);
      tokens.push_back({is_letter(c) ? Tok::ident : Tok::number, std::string(text.substr(i, j - i)), column});
      i = j;
    } else {
      const std::string_view pair = text.substr(i, 2);
      if (std::find(two_char.begin(), two_char.end(), pair) != two_char.end() && pair != "!=") {
        tokens.push_back({Tok::punct, std::string(pair), column});
        i += 2;
      } else if (std::string_view("()[],;|+-*/=<>:").find(c) != std::string_view::npos) {
        tokens.push_back({Tok::punct, std::string(1, c), column});
        ++i;
      } else {
        throw SyntaxError{line, column, "unexpected character '" + std::string(1, c) + "'"};
      }
    }
  }
  tokens.push_back({Tok::end, "", offset + text.size() + 1});
  return tokens;
}

/// A step number: at most 9 digits, so it always fits and a typo cannot overflow.
inline std::size_t step_number(const std::string& digits, std::size_t line, std::size_t column) {
  if (digits.empty() || digits.size() > 9) throw SyntaxError{line, column, "a step number has 1 to 9 digits"};
  return static_cast<std::size_t>(std::stoul(digits));
}

inline std::string describe(const Token& t) { return t.kind == Tok::end ? "the end of the line" : "'" + t.text + "'"; }

/// Recursive-descent parser over one line's tokens, resolving names against the declarations.
class LineParser {
 public:
  LineParser(std::vector<Token> tokens, std::size_t line, const Declarations& declarations)
      : tokens_(std::move(tokens)), line_(line), d_(declarations) {}

  [[nodiscard]] const Token& peek(std::size_t ahead = 0) const {
    return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)];
  }
  bool at(std::string_view text) const { return peek().kind != Tok::end && peek().text == text; }
  bool at_end() const { return peek().kind == Tok::end; }
  Token take() { return tokens_[std::min(pos_++, tokens_.size() - 1)]; }
  [[noreturn]] void fail(const Token& at, const std::string& message) const { throw SyntaxError{line_, at.column, message}; }
  Token expect(std::string_view text, std::string_view what) {
    if (!at(text)) fail(peek(), "expected " + std::string(what) + ", found " + describe(peek()));
    return take();
  }
  Token expect_ident(std::string_view what) {
    if (peek().kind != Tok::ident) fail(peek(), "expected " + std::string(what) + ", found " + describe(peek()));
    return take();
  }
  void expect_end() {
    if (!at_end()) fail(peek(), "unexpected " + describe(peek()) + " after a complete statement");
  }

  Poly upper_bound_term() {
    const Token t = take();
    if (t.kind == Tok::number) return Poly::constant(parse_rational(t.text, "bound"));
    if (t.kind == Tok::ident && d_.symbols.count(t.text) && d_.symbols.at(t.text).index.empty())
      return Poly::of(symbol_atom(t.text, ""));
    fail(t, "expected a range bound (an integer or a declared symbol), found " + describe(t));
  }

  VarRef var_ref() {
    const Token name = expect_ident("a random variable");
    if (d_.variables.count(name.text)) return {name.text, VarRef::Kind::plain, ""};
    auto family = d_.families.find(name.text);
    if (family == d_.families.end()) fail(name, "unknown random variable '" + name.text + "' (declare it with `variables` or `family`)");
    expect("[", "'[' after the family '" + name.text + "'");
    VarRef ref{name.text, VarRef::Kind::member, ""};
    if (peek().kind == Tok::number) {
      const Token one = take();
      if (one.text != "1") fail(one, "a block of a family starts at 1, as in " + name.text + "[1..N]");
      expect("..", "'..'");
      const Token bound_token = peek();
      const Poly bound = upper_bound_term();
      if (!(bound == d_.index_upper.at(family->second)))
        fail(bound_token, "the block " + name.text + "[1.." + bound.text() + "] must span the family's range 1.." +
                              d_.index_upper.at(family->second).text());
      ref.kind = VarRef::Kind::block;
      ref.index = bound.text();
    } else {
      const Token index = expect_ident("an index");
      if (index.text != family->second)
        fail(index, "the family '" + name.text + "' is indexed by '" + family->second + "', not '" + index.text + "'");
      ref.index = index.text;
    }
    expect("]", "']'");
    return ref;
  }

  std::vector<VarRef> var_list() {
    std::vector<VarRef> vars{var_ref()};
    while (at(",")) {
      take();
      vars.push_back(var_ref());
    }
    return vars;
  }

  Poly expression() {
    if (++depth_ > max_depth) fail(peek(), "terms nested deeper than " + std::to_string(max_depth));
    Poly result = additive();
    --depth_;
    return result;
  }

  Poly additive() {
    Poly result;
    bool negate = false;
    if (at("+") || at("-")) negate = take().text == "-";
    Poly first = term();
    result = negate ? Poly() - first : first;
    while (at("+") || at("-")) {
      const bool minus = take().text == "-";
      Poly next = term();
      result = minus ? result - next : result + next;
    }
    return result;
  }

  Poly term() {
    Poly result = factor();
    while (at("*") || at("/")) {
      const Token op = take();
      const Token where = peek();
      Poly next = factor();
      if (op.text == "*") {
        result = result * next;
        continue;
      }
      const auto divisor = next.as_constant();
      if (!divisor || *divisor == 0) fail(where, "can only divide by a nonzero number");
      result = result.scaled(Rational(1) / *divisor);
    }
    return result;
  }

  Poly factor() {
    if (at("-")) {
      const Token minus = take();
      if (++depth_ > max_depth) fail(minus, "more than " + std::to_string(max_depth) + " signs in a row");
      Poly negated = Poly() - factor();
      --depth_;
      return negated;
    }
    const Token t = take();
    if (t.kind == Tok::number) return Poly::constant(parse_rational(t.text, "number"));
    if (t.text == "(" && t.kind == Tok::punct) {
      if (++depth_ > max_depth) fail(t, "parentheses nested deeper than " + std::to_string(max_depth));
      Poly inner = expression();
      expect(")", "')'");
      --depth_;
      return inner;
    }
    if (t.kind != Tok::ident) fail(t, "expected a term, found " + describe(t));
    if (t.text == "H" && at("(")) {
      take();
      std::vector<VarRef> first = var_list(), given;
      if (at("|")) {
        take();
        given = var_list();
      }
      expect(")", "')'");
      std::vector<VarRef> all = first;
      all.insert(all.end(), given.begin(), given.end());
      return entropy_of(all) - entropy_of(given);
    }
    if (t.text == "I" && at("(")) {
      take();
      std::vector<VarRef> a = var_list();
      expect(";", "';'");
      std::vector<VarRef> b = var_list(), c;
      if (at("|")) {
        take();
        c = var_list();
      }
      expect(")", "')'");
      auto join = [](std::vector<VarRef> x, const std::vector<VarRef>& y) {
        x.insert(x.end(), y.begin(), y.end());
        return x;
      };
      return entropy_of(join(a, c)) + entropy_of(join(b, c)) - entropy_of(join(join(a, b), c)) - entropy_of(c);
    }
    if ((t.text == "log2" || t.text == "h2") && at("(")) {
      take();
      Poly argument = expression();
      expect(")", "')'");
      return t.text == "log2" ? log2_of(argument) : h2_of(argument);
    }
    if (t.text == "D" && at("(")) {  // D(eps, V) = log2 V - h2(eps) - eps log2(V - 1)
      take();
      Poly eps = expression();
      expect(",", "',' in D(eps, V)");
      Poly v = expression();
      expect(")", "')'");
      return log2_of(v) - h2_of(eps) - eps * log2_of(v - Poly::constant(Rational(1)));
    }
    if (t.text == "sum" && at("[")) {
      take();
      const Token index = expect_ident("the summation index");
      if (!d_.index_upper.count(index.text)) fail(index, "unknown index '" + index.text + "' (declare it with `index`)");
      expect("=", "'='");
      const Token one = take();
      if (one.text != "1") fail(one, "sums run from 1, as in sum[" + index.text + "=1..N]");
      expect("..", "'..'");
      const Token bound_token = peek();
      const Poly bound = upper_bound_term();
      if (!(bound == d_.index_upper.at(index.text)))
        fail(bound_token, "the index '" + index.text + "' ranges over 1.." + d_.index_upper.at(index.text).text());
      expect("]", "']'");
      expect("(", "'('");
      Poly body = expression();
      expect(")", "')'");
      return sum_of(index.text, bound, body);
    }
    auto symbol = d_.symbols.find(t.text);
    if (symbol == d_.symbols.end()) {
      if (d_.variables.count(t.text) || d_.families.count(t.text))
        fail(t, "the random variable '" + t.text + "' may only appear inside H(...) or I(...)");
      fail(t, "unknown symbol '" + t.text + "' (declare it with `symbol`)");
    }
    if (symbol->second.index.empty()) return Poly::of(symbol_atom(t.text, ""));
    expect("[", "'[' after the indexed symbol '" + t.text + "'");
    const Token index = expect_ident("an index");
    if (index.text != symbol->second.index)
      fail(index, "the symbol '" + t.text + "' is indexed by '" + symbol->second.index + "'");
    expect("]", "']'");
    return Poly::of(symbol_atom(t.text, index.text));
  }

  Claim claim() {
    Claim c;
    const Token first = peek();
    if (first.kind == Tok::ident && first.text == "independent") {
      take();
      c.kind = ClaimKind::independent;
      c.lists.push_back(var_list());
      while (at("||")) {
        take();
        c.lists.push_back(var_list());
      }
      if (c.lists.size() < 2) fail(peek(), "independence needs at least two groups separated by '||'");
    } else if (first.kind == Tok::ident && first.text == "mutually") {
      take();
      const Token word = expect_ident("'independent'");
      if (word.text != "independent") fail(word, "expected 'independent' after 'mutually'");
      c.kind = ClaimKind::family_independent;
      const Token where = peek();
      c.first = var_ref();
      if (c.first.kind != VarRef::Kind::block) fail(where, "mutual independence is stated for a block such as X[1..N]");
    } else if (first.kind == Tok::ident && first.text == "function") {
      take();
      c.kind = ClaimKind::function;
      c.lists.push_back(var_list());
      expect(":", "':' (DEPENDENT : SOURCES)");
      c.lists.push_back(var_list());
    } else if (first.kind == Tok::ident && first.text == "markov") {
      take();
      c.kind = ClaimKind::markov;
      c.lists.push_back(var_list());
      while (at("->")) {
        take();
        c.lists.push_back(var_list());
      }
      if (c.lists.size() < 3) fail(peek(), "a Markov chain needs at least three groups separated by '->'");
    } else if (first.kind == Tok::ident && first.text == "alphabet") {
      take();
      c.first = var_ref();
      const Token word = expect_ident("'size' or 'bits'");
      if (word.text != "size" && word.text != "bits") fail(word, "expected 'size' or 'bits'");
      c.kind = word.text == "size" ? ClaimKind::alphabet_size : ClaimKind::alphabet_bits;
      c.amount = expression();
    } else if (first.kind == Tok::ident && first.text == "uniform") {
      take();
      c.kind = ClaimKind::uniform;
      c.first = var_ref();
    } else if (first.kind == Tok::ident && first.text == "error") {
      take();
      c.kind = ClaimKind::error;
      c.amount = factor();
      if (!(expect_ident("'of'").text == "of")) fail(tokens_[pos_ - 1], "expected 'of'");
      c.first = var_ref();
      if (!(expect_ident("'from'").text == "from")) fail(tokens_[pos_ - 1], "expected 'from'");
      c.second = var_ref();
    } else if (first.kind == Tok::ident && first.text == "average") {
      take();
      c.kind = ClaimKind::average;
      c.amount = factor();
      if (!(expect_ident("'of'").text == "of")) fail(tokens_[pos_ - 1], "expected 'of'");
      c.member = factor();
    } else {
      c.kind = ClaimKind::relation;
      Poly left = expression();
      const Token op = take();
      Poly right = expression();
      if (op.text == "<=") c = relation(right - left, Sense::ge);
      else if (op.text == ">=") c = relation(left - right, Sense::ge);
      else if (op.text == "<") c = relation(right - left, Sense::gt);
      else if (op.text == ">") c = relation(left - right, Sense::gt);
      else if (op.text == "=") c = relation(left - right, Sense::eq);
      else fail(op, "expected a relation (<=, >=, <, >, =), found " + describe(op));
    }
    return c;
  }

  static Claim relation(Poly form, Sense sense) {
    Claim c;
    c.form = std::move(form);
    c.sense = sense;
    return c;
  }

  std::size_t line() const { return line_; }

 private:
  std::vector<Token> tokens_;
  static constexpr std::size_t max_depth = 200;  // bounds the recursion on hostile input
  std::size_t pos_ = 0;
  std::size_t depth_ = 0;
  std::size_t line_;
  const Declarations& d_;
};

}  // namespace recallbound::kernel::script
