#include "recallbound/kernel/expression.hpp"

#include "kernel/lexer.hpp"
#include "recallbound/error.hpp"

#include <algorithm>

namespace recallbound::kernel {

using detail::Token;
using detail::TokenKind;

namespace {

bool valid_name(std::string_view name) {
  if (name.empty()) return false;
  const auto tokens = detail::tokenize(name, "variable");
  return tokens.size() == 2 && tokens[0].kind == TokenKind::identifier;
}

class Parser {
 public:
  Parser(std::string_view text, VariableTable& variables, std::string_view field)
      : tokens_(detail::tokenize(text, field)), variables_(variables), field_(field) {}

  LinearForm sum() {
    LinearForm total;
    Rational sign = 1;
    if (accept(TokenKind::plus)) {
    } else if (accept(TokenKind::minus)) {
      sign = -1;
    }
    while (true) {
      total.add_scaled(term(), sign);
      if (accept(TokenKind::plus)) {
        sign = 1;
      } else if (accept(TokenKind::minus)) {
        sign = -1;
      } else {
        return total;
      }
    }
  }

  Statement relation() {
    Statement statement;
    statement.left = sum();
    if (accept(TokenKind::ge)) {
      statement.relation = Relation::ge;
    } else if (accept(TokenKind::le)) {
      statement.relation = Relation::le;
    } else if (accept(TokenKind::eq)) {
      statement.relation = Relation::eq;
    } else {
      fail("expected '>=', '<=' or '=' but found " + detail::token_description(peek()));
    }
    statement.right = sum();
    expect_end();
    return statement;
  }

  bool has_shorthand_separator() const {
    for (std::size_t k = 0; k < tokens_.size(); ++k) {
      const TokenKind kind = tokens_[k].kind;
      if (kind == TokenKind::arrow || kind == TokenKind::double_bar || kind == TokenKind::dot ||
          kind == TokenKind::colon)
        return true;
      // `/` between numbers is a fraction; anywhere else it separates a Markov chain.
      if (kind == TokenKind::slash && !(k > 0 && tokens_[k - 1].kind == TokenKind::number))
        return true;
    }
    return false;
  }

  Constraint shorthand() {
    Constraint constraint;
    constraint.lists.push_back(variable_list());
    const Token& separator = peek();
    switch (separator.kind) {
      case TokenKind::arrow: case TokenKind::slash: constraint.kind = ConstraintKind::markov; break;
      case TokenKind::double_bar: case TokenKind::dot:
        constraint.kind = ConstraintKind::independence;
        break;
      case TokenKind::colon: constraint.kind = ConstraintKind::function; break;
      default:
        fail("expected '->', '/', '||', '.' or ':' after a variable list but found " +
             detail::token_description(separator));
    }
    auto same_family = [&](TokenKind kind) {
      switch (constraint.kind) {
        case ConstraintKind::markov: return kind == TokenKind::arrow || kind == TokenKind::slash;
        case ConstraintKind::independence:
          return kind == TokenKind::double_bar || kind == TokenKind::dot;
        default: return kind == TokenKind::colon;
      }
    };
    while (same_family(peek().kind)) {
      ++position_;
      constraint.lists.push_back(variable_list());
    }
    expect_end();
    const std::size_t count = constraint.lists.size();
    if (constraint.kind == ConstraintKind::markov && count < 3)
      fail_at(tokens_.back(), "a Markov chain needs at least 3 variable lists, found " + std::to_string(count));
    if (constraint.kind == ConstraintKind::function && count != 2)
      fail_at(tokens_.back(), "a functional dependence 'Y : X' needs exactly 2 variable lists");
    return constraint;
  }

  BasicQuantity basic_quantity() {
    const Token& head = peek();
    if (head.kind != TokenKind::identifier || (head.text != "H" && head.text != "I"))
      fail("expected H(...) or I(...;...) but found " + detail::token_description(head));
    ++position_;
    expect(TokenKind::lparen, "'('");
    BasicQuantity quantity;
    quantity.is_entropy = head.text == "H";
    quantity.first = variable_list();
    if (!quantity.is_entropy) {
      expect(TokenKind::semicolon, "';'");
      quantity.second = variable_list();
    }
    if (accept(TokenKind::bar)) quantity.condition = variable_list();
    expect(TokenKind::rparen, "')'");
    expect_end();
    return quantity;
  }

  void expect_end() {
    if (peek().kind != TokenKind::end) fail("unexpected " + detail::token_description(peek()));
  }

 private:
  const Token& peek() const { return tokens_[position_]; }
  bool accept(TokenKind kind) {
    if (peek().kind != kind) return false;
    ++position_;
    return true;
  }
  void expect(TokenKind kind, const std::string& what) {
    if (!accept(kind)) fail("expected " + what + " but found " + detail::token_description(peek()));
  }
  [[noreturn]] void fail(const std::string& message) const { fail_at(peek(), message); }
  [[noreturn]] void fail_at(const Token& token, const std::string& message) const {
    throw Error::bad_input(field_ + ": column " + std::to_string(token.column) + ": " + message);
  }

  Rational number() {
    const Token& token = peek();
    Rational value = parse_rational(token.text, field_);
    ++position_;
    if (accept(TokenKind::slash)) {
      const Token& denominator = peek();
      if (denominator.kind != TokenKind::number) fail("expected a denominator after '/'");
      const Rational divisor = parse_rational(denominator.text, field_);
      if (divisor == 0) fail("division by zero");
      ++position_;
      value /= divisor;
    }
    return value;
  }

  LinearForm term() {
    Rational coefficient = 1;
    bool has_number = false;
    if (peek().kind == TokenKind::number) {
      coefficient = number();
      has_number = true;
      if (accept(TokenKind::star) && !starts_atom())
        fail("expected H(...), I(...), D(...) or [...] after '*' but found " + detail::token_description(peek()));
    }
    if (starts_atom()) return atom().scaled(coefficient);
    if (has_number) {
      if (coefficient != 0)
        fail_at(tokens_[position_ - 1],
                "a nonzero constant is not a linear information expression (only 0 may stand alone)");
      return LinearForm{};
    }
    if (peek().kind == TokenKind::identifier)
      fail("'" + peek().text + "' is not H, I or D; variables appear only inside H(...) or I(...)");
    fail("expected a term such as H(X), I(X;Y|Z) or a number but found " + detail::token_description(peek()));
  }

  bool starts_atom() const {
    if (peek().kind == TokenKind::lbracket) return true;
    return peek().kind == TokenKind::identifier && tokens_[position_ + 1].kind == TokenKind::lparen;
  }

  LinearForm atom() {
    if (accept(TokenKind::lbracket)) {  // Ingleton [A;B;C;D]
      std::vector<VariableSet> lists = separated_lists(TokenKind::rbracket);
      if (lists.size() != 4) fail("the Ingleton expression [A;B;C;D] needs 4 variable lists");
      const VariableSet a = lists[0], b = lists[1], c = lists[2], d = lists[3];
      return -LinearForm::mutual_information(a, b, 0) + LinearForm::mutual_information(a, b, c) +
             LinearForm::mutual_information(a, b, d) + LinearForm::mutual_information(c, d, 0);
    }
    const Token head = peek();
    if (head.text != "H" && head.text != "I" && head.text != "D")
      fail("unknown function '" + head.text + "'; use H(...), I(...), D(...) or [...]");
    position_ += 2;  // name and '('
    std::vector<VariableSet> lists;
    lists.push_back(variable_list());
    const TokenKind list_separator = head.text == "H" ? TokenKind::comma : TokenKind::semicolon;
    while (head.text != "H" && accept(list_separator)) lists.push_back(variable_list());
    VariableSet condition = 0;
    if (accept(TokenKind::bar)) condition = variable_list();
    expect(TokenKind::rparen, "')'");
    if (head.text == "H") return LinearForm::conditional_entropy(lists[0], condition);
    if (head.text == "D") {
      if (lists.size() != 3) fail_at(head, "D(A;B;C) needs 3 variable lists");
      return LinearForm::mutual_information(lists[0], lists[1], lists[2] | condition) +
             LinearForm::mutual_information(lists[1], lists[2], lists[0] | condition) +
             LinearForm::mutual_information(lists[2], lists[0], lists[1] | condition);
    }
    if (lists.size() < 2) fail_at(head, "I(...) needs at least two variable lists separated by ';'");
    return interaction(lists, lists.size(), condition);
  }

  // I(S_1;...;S_k|U) = I(S_1;...;S_{k-1}|U) - I(S_1;...;S_{k-1}|S_k u U).
  static LinearForm interaction(const std::vector<VariableSet>& lists, std::size_t count, VariableSet condition) {
    if (count == 2) return LinearForm::mutual_information(lists[0], lists[1], condition);
    return interaction(lists, count - 1, condition) -
           interaction(lists, count - 1, condition | lists[count - 1]);
  }

  std::vector<VariableSet> separated_lists(TokenKind closing) {
    std::vector<VariableSet> lists{variable_list()};
    while (accept(TokenKind::semicolon)) lists.push_back(variable_list());
    expect(closing, "']'");
    return lists;
  }

  VariableSet variable_list() {
    VariableSet set = 0;
    do {
      const Token& token = peek();
      if (token.kind != TokenKind::identifier)
        fail("expected a variable name but found " + detail::token_description(token));
      std::size_t index = 0;
      try {
        index = variables_.intern(token.text);
      } catch (const Error& e) {
        fail(e.what());
      }
      set |= VariableSet{1} << index;
      ++position_;
    } while (accept(TokenKind::comma));
    return set;
  }

  std::vector<Token> tokens_;
  std::size_t position_ = 0;
  VariableTable& variables_;
  std::string field_;
};

}  // namespace

VariableTable::VariableTable(std::vector<std::string> names) : closed_(false) {
  for (const auto& name : names) {
    if (!valid_name(name)) throw Error::bad_input("variables: '" + name + "' is not a variable name (letters, digits, _, then primes)");
    if (find(name)) throw Error::bad_input("variables: '" + name + "' is declared twice");
    intern(name);
  }
  closed_ = true;
}

std::optional<std::size_t> VariableTable::find(std::string_view name) const {
  const auto it = std::find(names_.begin(), names_.end(), name);
  if (it == names_.end()) return std::nullopt;
  return static_cast<std::size_t>(it - names_.begin());
}

std::size_t VariableTable::intern(std::string_view name) {
  if (auto index = find(name)) return *index;
  if (closed_) throw Error::bad_input("unknown variable '" + std::string(name) + "' (not declared)");
  if (names_.size() >= max_variables)
    throw Error::bad_input("too many variables: at most " + std::to_string(max_variables) + " are supported");
  names_.emplace_back(name);
  return names_.size() - 1;
}

VariableSet VariableTable::all() const {
  return names_.empty() ? 0 : (VariableSet{1} << names_.size()) - 1;
}

std::string relation_symbol(Relation relation) {
  switch (relation) {
    case Relation::ge: return ">=";
    case Relation::le: return "<=";
    case Relation::eq: return "=";
  }
  return "?";
}

std::string constraint_kind_name(ConstraintKind kind) {
  switch (kind) {
    case ConstraintKind::relation: return "relation";
    case ConstraintKind::markov: return "markov";
    case ConstraintKind::independence: return "independence";
    case ConstraintKind::function: return "function";
  }
  return "?";
}

std::vector<Component> Constraint::components() const {
  switch (kind) {
    case ConstraintKind::relation: {
      const bool flip = relation.relation == Relation::le;
      return {{flip ? relation.right - relation.left : relation.form(), relation.relation == Relation::eq}};
    }
    case ConstraintKind::markov: {
      std::vector<Component> components;
      VariableSet past = lists[0];
      for (std::size_t i = 1; i + 1 < lists.size(); ++i) {
        components.push_back({LinearForm::mutual_information(past, lists[i + 1], lists[i]), true});
        past |= lists[i];
      }
      return components;
    }
    case ConstraintKind::independence: {
      LinearForm form;
      VariableSet all = 0;
      for (VariableSet list : lists) {
        form.add(list, Rational(1));
        all |= list;
      }
      form.add(all, Rational(-1));
      return {{form, true}};
    }
    case ConstraintKind::function:
      return {{LinearForm::conditional_entropy(lists[0], lists[1]), true}};
  }
  return {};
}

LinearForm BasicQuantity::form() const {
  return is_entropy ? LinearForm::conditional_entropy(first, condition)
                    : LinearForm::mutual_information(first, second, condition);
}

std::string BasicQuantity::text(const std::vector<std::string>& names) const {
  std::string body = set_text(first, names);
  if (!is_entropy) body += ";" + set_text(second, names);
  if (condition != 0) body += "|" + set_text(condition, names);
  return (is_entropy ? "H(" : "I(") + body + ")";
}

LinearForm parse_expression(std::string_view text, VariableTable& variables, std::string_view field) {
  Parser parser(text, variables, field);
  LinearForm form = parser.sum();
  parser.expect_end();
  return form;
}

Statement parse_relation(std::string_view text, VariableTable& variables, std::string_view field) {
  return Parser(text, variables, field).relation();
}

Constraint parse_constraint(std::string_view text, VariableTable& variables, std::string_view field) {
  Parser parser(text, variables, field);
  if (parser.has_shorthand_separator()) return parser.shorthand();
  Constraint constraint;
  constraint.relation = parser.relation();
  return constraint;
}

BasicQuantity parse_basic_quantity(std::string_view text, VariableTable& variables, std::string_view field) {
  return Parser(text, variables, field).basic_quantity();
}

}  // namespace recallbound::kernel
