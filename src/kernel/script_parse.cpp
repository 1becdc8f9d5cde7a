#include "kernel/script_line_parser.hpp"

#include "recallbound/error.hpp"

#include <algorithm>
#include <array>

namespace recallbound::kernel::script {

namespace {

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
