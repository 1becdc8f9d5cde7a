#include "kernel/script_parse.hpp"

#include "recallbound/error.hpp"

#include <algorithm>
#include <array>

namespace recallbound::kernel::script {

namespace {

enum class Tok { ident, number, punct, end };
struct Token {
  Tok kind = Tok::end;
  std::string text;
  std::size_t column = 0;  // 1-based within the physical line
};

constexpr std::array<std::string_view, 21> reserved = {
    "H", "I", "D", "log2", "h2", "sum", "by", "independent", "mutually", "function", "markov",
    "alphabet", "uniform", "error", "average", "hypothesis", "size", "bits", "of", "from", "over"};

bool is_letter(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::vector<Token> tokenize(std::string_view text, std::size_t line, std::size_t offset) {
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
    if (is_letter(c)) {
      std::size_t j = i;
      while (j < text.size() && (is_letter(text[j]) || is_digit(text[j]) || text[j] == '\'')) ++j;
      tokens.push_back({Tok::ident, std::string(text.substr(i, j - i)), column});
      i = j;
    } else if (is_digit(c)) {
      std::size_t j = i;
      while (j < text.size() && is_digit(text[j])) ++j;
      if (j + 1 < text.size() && text[j] == '.' && is_digit(text[j + 1])) {
        ++j;
        while (j < text.size() && is_digit(text[j])) ++j;
      }
      tokens.push_back({Tok::number, std::string(text.substr(i, j - i)), column});
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
std::size_t step_number(const std::string& digits, std::size_t line, std::size_t column) {
  if (digits.empty() || digits.size() > 9) throw SyntaxError{line, column, "a step number has 1 to 9 digits"};
  return static_cast<std::size_t>(std::stoul(digits));
}

std::string describe(const Token& t) { return t.kind == Tok::end ? "the end of the line" : "'" + t.text + "'"; }

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
  std::size_t position() const { return pos_; }
  void set_position(std::size_t pos) { pos_ = pos; }

 private:
  std::vector<Token> tokens_;
  static constexpr std::size_t max_depth = 200;  // bounds the recursion on hostile input
  std::size_t pos_ = 0;
  std::size_t depth_ = 0;
  std::size_t line_;
  const Declarations& d_;
};

void check_new_name(const Declarations& d, const Token& t, std::size_t line) {
  if (std::find(reserved.begin(), reserved.end(), t.text) != reserved.end())
    throw SyntaxError{line, t.column, "'" + t.text + "' is a reserved word"};
  if (d.symbols.count(t.text) || d.variables.count(t.text) || d.families.count(t.text) || d.index_upper.count(t.text))
    throw SyntaxError{line, t.column, "'" + t.text + "' is already declared"};
}

Rational constant_of(LineParser& p, std::string_view what) {
  const Token where = p.peek();
  const auto value = p.expression().as_constant();
  if (!value) p.fail(where, std::string(what) + " must be a number");
  return *value;
}

void parse_symbol(LineParser& p, Declarations& d, std::size_t line) {
  const Token name = p.expect_ident("a symbol name");
  check_new_name(d, name, line);
  SymbolDecl s;
  s.name = name.text;
  s.line = line;
  if (p.at("[")) {
    p.take();
    const Token index = p.expect_ident("an index");
    if (!d.index_upper.count(index.text)) p.fail(index, "unknown index '" + index.text + "' (declare it with `index` first)");
    s.index = index.text;
    p.expect("]", "']'");
  }
  const Token type = p.expect_ident("'integer' or 'real'");
  if (type.text != "integer" && type.text != "real") p.fail(type, "expected 'integer' or 'real', found " + describe(type));
  s.integer = type.text == "integer";
  while (!p.at_end()) {
    const Token op = p.take();
    if (op.text == ">=") s.lower = constant_of(p, "a lower bound");
    else if (op.text == "<=") s.upper = constant_of(p, "an upper bound");
    else if (op.text == "=" && s.index.empty()) s.value = constant_of(p, "a value");
    else p.fail(op, "expected '>= NUMBER', '<= NUMBER' or '= NUMBER', found " + describe(op));
  }
  d.symbols[s.name] = s;
}

std::string strip_comment(std::string_view raw) {
  const auto hash = raw.find('#');
  return std::string(raw.substr(0, hash));
}

void parse_citations(LineParser& p, Line& line) {
  while (!p.at_end()) {
    const Token number = p.take();
    if (number.kind != Tok::number || number.text.find('.') != std::string::npos)
      p.fail(number, "expected a step number to cite, found " + describe(number));
    Citation c;
    c.step = step_number(number.text, p.line(), number.column);
    c.column = number.column;
    if (p.at("*")) {
      p.take();
      c.multiplier = p.term();
    }
    line.citations.push_back(std::move(c));
    if (!p.at_end()) p.expect(",", "',' between citations");
  }
}

}  // namespace

std::string vars_text(const std::vector<VarRef>& vars) {
  std::string text;
  for (const auto& v : vars) text += (text.empty() ? "" : ",") + v.key();
  return text;
}

Script parse_script(std::string_view text) {
  Script script;
  Declarations& d = script.declarations;
  bool seen_header = false, seen_end = false;
  std::size_t line_number = 0, start = 0;
  while (start <= text.size()) {
    const std::size_t stop = std::min(text.find('\n', start), text.size());
    ++line_number;
    const std::string raw = strip_comment(text.substr(start, stop - start));
    start = stop + 1;
    const std::size_t first = raw.find_first_not_of(" \t\r");
    if (first == std::string::npos) {
      if (stop == text.size()) break;
      continue;
    }
    if (seen_end) throw SyntaxError{line_number, first + 1, "nothing but comments may follow `end`"};
    const std::size_t word_end = std::min(raw.find_first_of(" \t\r", first), raw.size());
    const std::string word = raw.substr(first, word_end - first);
    const std::string rest = raw.substr(word_end);
    if (!seen_header) {
      const std::vector<Token> version = tokenize(rest, line_number, word_end);
      if (word != "recallbound-proof" || version.size() != 2 || version[0].text != "1")
        throw SyntaxError{line_number, first + 1, "a proof script starts with the line `recallbound-proof 1`"};
      seen_header = true;
      continue;
    }
    if (word == "title") {
      script.title = rest.substr(std::min(rest.find_first_not_of(" \t"), rest.size()));
      continue;
    }
    if (word == "end") {
      if (!script.conclusion) throw SyntaxError{line_number, first + 1, "`conclude STEP` must come before `end`"};
      seen_end = true;
      continue;
    }
    LineParser p(tokenize(rest, line_number, word_end), line_number, d);
    if (script.conclusion && word != "end")
      throw SyntaxError{line_number, first + 1, "only `end` may follow `conclude`"};
    if (word == "symbol") {
      parse_symbol(p, d, line_number);
    } else if (word == "index") {
      const Token name = p.expect_ident("an index name");
      check_new_name(d, name, line_number);
      const Token in = p.expect_ident("'in'");
      if (in.text != "in") p.fail(in, "expected 'in', as in `index i in 1..N`");
      const Token one = p.take();
      if (one.text != "1") p.fail(one, "an index ranges over 1..N");
      p.expect("..", "'..'");
      const Poly upper = p.upper_bound_term();
      p.expect_end();
      d.index_upper[name.text] = upper;
      d.index_line[name.text] = line_number;
    } else if (word == "variables") {
      do {
        const Token name = p.expect_ident("a variable name");
        check_new_name(d, name, line_number);
        d.variables.insert(name.text);
      } while (!p.at_end() && p.expect(",", "','").kind == Tok::punct);
    } else if (word == "family") {
      std::vector<Token> names;
      do {
        names.push_back(p.expect_ident("a family name"));
        check_new_name(d, names.back(), line_number);
      } while (p.at(",") && p.take().kind == Tok::punct);
      const Token over = p.expect_ident("'over'");
      if (over.text != "over") p.fail(over, "expected 'over', as in `family X, Y over i`");
      const Token index = p.expect_ident("an index");
      if (!d.index_upper.count(index.text)) p.fail(index, "unknown index '" + index.text + "'");
      p.expect_end();
      for (const auto& name : names) d.families[name.text] = index.text;
    } else if (word == "conclude") {
      const Token number = p.take();
      if (number.kind != Tok::number) p.fail(number, "expected the step number of the conclusion");
      p.expect_end();
      script.conclusion = step_number(number.text, line_number, number.column);
      script.conclusion_source_line = line_number;
    } else if (!word.empty() && is_digit(word[0]) && word.back() == '.' &&
               std::all_of(word.begin(), word.end() - 1, is_digit)) {
      Line line;
      line.number = step_number(word.substr(0, word.size() - 1), line_number, first + 1);
      line.source_line = line_number;
      if (line.number == 0 || (!script.lines.empty() && line.number <= script.lines.back().number))
        throw SyntaxError{line_number, first + 1, "step numbers must be positive and increasing"};
      // Split at the first `by` (a reserved word) into the claim and the justification.
      const std::string body = rest;
      std::size_t by = std::string::npos;
      for (std::size_t i = 0; i + 1 < body.size(); ++i)
        if (body.compare(i, 2, "by") == 0 && (i == 0 || body[i - 1] == ' ' || body[i - 1] == '\t') &&
            (i + 2 == body.size() || body[i + 2] == ' ' || body[i + 2] == '\t')) {
          by = i;
          break;
        }
      LineParser claim_parser(tokenize(body.substr(0, by == std::string::npos ? body.size() : by), line_number, word_end),
                              line_number, d);
      if (claim_parser.at("hypothesis") && claim_parser.peek().kind == Tok::ident) {
        line.hypothesis = true;
        claim_parser.take();
      }
      line.column = claim_parser.peek().column;
      if (claim_parser.at_end()) claim_parser.fail(claim_parser.peek(), "expected a claim");
      line.claim = claim_parser.claim();
      {
        std::string claim_text = body.substr(0, by == std::string::npos ? body.size() : by);
        const std::size_t from = line.column - word_end - 1;
        claim_text = claim_text.substr(std::min(from, claim_text.size()));
        claim_text.erase(claim_text.find_last_not_of(" \t\r") + 1);
        line.text = claim_text;
      }
      claim_parser.expect_end();
      if (line.hypothesis && by != std::string::npos)
        throw SyntaxError{line_number, word_end + by + 1, "a hypothesis has no justification (`by`)"};
      if (!line.hypothesis) {
        if (by == std::string::npos)
          throw SyntaxError{line_number, line.column, "a step needs `by RULE CITATIONS` (or write `hypothesis`)"};
        const std::string justification = body.substr(by + 2);
        const std::size_t rule_start = justification.find_first_not_of(" \t");
        if (rule_start == std::string::npos) throw SyntaxError{line_number, word_end + by + 3, "expected a rule name after `by`"};
        const std::size_t rule_end = std::min(justification.find_first_of(" \t", rule_start), justification.size());
        line.rule = justification.substr(rule_start, rule_end - rule_start);
        line.rule_column = word_end + by + 2 + rule_start + 1;
        LineParser args(tokenize(justification.substr(rule_end), line_number, word_end + by + 2 + rule_end), line_number, d);
        if (line.rule == "subadditivity") {
          const Token family = args.expect_ident("the family, as in `by subadditivity X | Y[1..N]`");
          if (!d.families.count(family.text)) args.fail(family, "unknown family '" + family.text + "'");
          line.family = family.text;
          if (args.at("|")) {
            args.take();
            line.condition = args.var_list();
          }
          args.expect_end();
        } else {
          parse_citations(args, line);
        }
      }
      script.lines.push_back(std::move(line));
    } else {
      throw SyntaxError{line_number, first + 1,
                        "unknown statement '" + word +
                            "' (expected symbol, index, variables, family, a numbered step 'K.', conclude or end)"};
    }
    if (stop == text.size()) break;
  }
  if (!seen_header) throw SyntaxError{line_number, 1, "a proof script starts with the line `recallbound-proof 1`"};
  if (!seen_end) throw SyntaxError{line_number, 1, "the script must end with `end`"};
  return script;
}

}  // namespace recallbound::kernel::script
