// Recursive-descent parser and exact evaluator for catalog formulas.
#include "recallbound/catalog/formula.hpp"

#include "recallbound/error.hpp"

#include <cctype>
#include <functional>

namespace recallbound::catalog {
namespace detail {

enum class NodeKind { number, name, negate, add, subtract, multiply, divide, power, call };

struct FormulaNode {
  NodeKind kind = NodeKind::number;
  std::size_t column = 0;  // 1-based column of the token that made this node
  Rational number;         // NodeKind::number
  std::string name;        // NodeKind::name and NodeKind::call (function name)
  std::vector<std::shared_ptr<const FormulaNode>> children;
};

}  // namespace detail

namespace {

using detail::FormulaNode;
using detail::NodeKind;
using NodePtr = std::shared_ptr<const FormulaNode>;

// Results above this many bits are refused: a typo like 2^2^40 must not exhaust memory.
constexpr std::size_t max_result_bits = 1 << 20;

const std::set<std::string>& function_names() {
  static const std::set<std::string> names{"min", "max", "ceil", "floor"};
  return names;
}

class Parser {
 public:
  Parser(const std::string& text, const std::string& context) : text_(text), context_(context) {}

  NodePtr parse_all() {
    skip_space();
    if (at_end()) fail(position_, "empty formula");
    NodePtr root = parse_sum();
    skip_space();
    if (!at_end()) fail(position_, std::string("unexpected '") + text_[position_] + "'");
    return root;
  }

 private:
  const std::string& text_;
  const std::string& context_;
  std::size_t position_ = 0;

  [[noreturn]] void fail(std::size_t at, const std::string& what) const {
    throw Error::bad_input(context_ + ": column " + std::to_string(at + 1) + ": " + what + ": " + text_);
  }
  bool at_end() const { return position_ >= text_.size(); }
  void skip_space() {
    while (!at_end() && std::isspace(static_cast<unsigned char>(text_[position_]))) ++position_;
  }
  bool accept(char c) {
    skip_space();
    if (!at_end() && text_[position_] == c) {
      ++position_;
      return true;
    }
    return false;
  }
  static NodePtr make(NodeKind kind, std::size_t column, std::vector<NodePtr> children) {
    auto node = std::make_shared<FormulaNode>();
    node->kind = kind;
    node->column = column;
    node->children = std::move(children);
    return node;
  }

  NodePtr parse_sum() {
    NodePtr left = parse_product();
    for (;;) {
      skip_space();
      std::size_t at = position_ + 1;
      if (accept('+')) left = make(NodeKind::add, at, {left, parse_product()});
      else if (accept('-')) left = make(NodeKind::subtract, at, {left, parse_product()});
      else return left;
    }
  }
  NodePtr parse_product() {
    NodePtr left = parse_unary();
    for (;;) {
      skip_space();
      std::size_t at = position_ + 1;
      if (accept('*')) left = make(NodeKind::multiply, at, {left, parse_unary()});
      else if (accept('/')) left = make(NodeKind::divide, at, {left, parse_unary()});
      else return left;
    }
  }
  NodePtr parse_unary() {
    skip_space();
    std::size_t at = position_ + 1;
    if (accept('-')) return make(NodeKind::negate, at, {parse_unary()});
    if (accept('+')) return parse_unary();
    return parse_power();
  }
  NodePtr parse_power() {
    NodePtr base = parse_primary();
    skip_space();
    std::size_t at = position_ + 1;
    if (accept('^')) return make(NodeKind::power, at, {base, parse_unary()});  // right-associative
    return base;
  }
  NodePtr parse_primary() {
    skip_space();
    if (at_end()) fail(position_, "expected a number, a name or '(' but the formula ended");
    std::size_t start = position_;
    char c = text_[position_];
    if (c == '(') {
      ++position_;
      NodePtr inner = parse_sum();
      if (!accept(')')) fail(position_, "expected ')' to close the '(' at column " + std::to_string(start + 1));
      return inner;
    }
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') return parse_number();
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') return parse_name_or_call();
    fail(position_, std::string("unexpected '") + c + "'");
  }
  NodePtr parse_number() {
    std::size_t start = position_;
    while (!at_end() && (std::isdigit(static_cast<unsigned char>(text_[position_])) || text_[position_] == '.'))
      ++position_;
    // Scientific notation: 1e6, 2.5e-3 (the 'e' must be followed by a digit or a sign and digit).
    if (!at_end() && (text_[position_] == 'e' || text_[position_] == 'E')) {
      std::size_t look = position_ + 1;
      if (look < text_.size() && (text_[look] == '+' || text_[look] == '-')) ++look;
      if (look < text_.size() && std::isdigit(static_cast<unsigned char>(text_[look]))) {
        position_ = look;
        while (!at_end() && std::isdigit(static_cast<unsigned char>(text_[position_]))) ++position_;
      }
    }
    std::string literal = text_.substr(start, position_ - start);
    auto node = std::make_shared<FormulaNode>();
    node->kind = NodeKind::number;
    node->column = start + 1;
    try {
      node->number = parse_rational(literal, "number");
    } catch (const Error&) {
      fail(start, "'" + literal + "' is not a number");
    }
    return node;
  }
  NodePtr parse_name_or_call() {
    std::size_t start = position_;
    while (!at_end() && (std::isalnum(static_cast<unsigned char>(text_[position_])) || text_[position_] == '_'))
      ++position_;
    std::string name = text_.substr(start, position_ - start);
    skip_space();
    bool is_call = !at_end() && text_[position_] == '(';
    if (!is_call) {
      if (function_names().count(name)) fail(start, "'" + name + "' is a function and needs arguments in ( )");
      auto node = std::make_shared<FormulaNode>();
      node->kind = NodeKind::name;
      node->column = start + 1;
      node->name = name;
      return node;
    }
    if (!function_names().count(name)) fail(start, "unknown function '" + name + "' (known: min, max, ceil, floor)");
    ++position_;  // '('
    std::vector<NodePtr> arguments{parse_sum()};
    while (accept(',')) arguments.push_back(parse_sum());
    if (!accept(')')) fail(position_, "expected ',' or ')' in the arguments of " + name + "()");
    bool unary = name == "ceil" || name == "floor";
    if (unary && arguments.size() != 1) fail(start, name + "() takes exactly one argument");
    if (!unary && arguments.size() < 2) fail(start, name + "() takes at least two arguments");
    auto node = std::make_shared<FormulaNode>();
    node->kind = NodeKind::call;
    node->column = start + 1;
    node->name = name;
    node->children = std::move(arguments);
    return node;
  }
};

class Evaluator {
 public:
  Evaluator(const Bindings& bindings, const std::string& context, const std::string& text)
      : bindings_(bindings), context_(context), text_(text) {}

  Rational eval(const FormulaNode& node) const {
    switch (node.kind) {
      case NodeKind::number: return node.number;
      case NodeKind::name: {
        auto found = bindings_.find(node.name);
        if (found == bindings_.end()) fail(node, "unknown name '" + node.name + "'");
        return found->second;
      }
      case NodeKind::negate: return -eval(*node.children[0]);
      case NodeKind::add: return eval(*node.children[0]) + eval(*node.children[1]);
      case NodeKind::subtract: return eval(*node.children[0]) - eval(*node.children[1]);
      case NodeKind::multiply: return eval(*node.children[0]) * eval(*node.children[1]);
      case NodeKind::divide: {
        Rational numerator = eval(*node.children[0]);
        Rational denominator = eval(*node.children[1]);
        if (denominator == 0) fail(node, "division by zero");
        return numerator / denominator;
      }
      case NodeKind::power: return power(node);
      case NodeKind::call: return call(node);
    }
    fail(node, "internal: unknown node");
  }

 private:
  const Bindings& bindings_;
  const std::string& context_;
  const std::string& text_;

  [[noreturn]] void fail(const FormulaNode& node, const std::string& what) const {
    throw Error::bad_input(context_ + ": column " + std::to_string(node.column) + ": " + what + ": " + text_);
  }

  Rational power(const FormulaNode& node) const {
    Rational base = eval(*node.children[0]);
    Rational exponent = eval(*node.children[1]);
    if (denominator(exponent) != 1) fail(node, "the exponent " + to_exact_string(exponent) + " is not an integer");
    Integer e = numerator(exponent);
    if (e < 0 && base == 0) fail(node, "0 raised to a negative power");
    Integer magnitude = e < 0 ? Integer(-e) : e;
    std::size_t base_bits =
        std::max(msb_bits(numerator(base)), msb_bits(boost::multiprecision::denominator(base)));
    if (magnitude > Integer(max_result_bits) ||
        (base_bits > 1 && Integer(base_bits) * magnitude > Integer(max_result_bits)))
      fail(node, "the power is too large (over " + std::to_string(max_result_bits) + " bits)");
    unsigned long count = magnitude.convert_to<unsigned long>();
    Integer num, den;
    mpz_pow_ui(num.backend().data(), numerator(base).backend().data(), count);
    mpz_pow_ui(den.backend().data(), boost::multiprecision::denominator(base).backend().data(), count);
    Rational result(num, den);
    return e < 0 ? Rational(1) / result : result;
  }

  static std::size_t msb_bits(const Integer& value) {
    if (value == 0) return 0;
    Integer magnitude = value < 0 ? Integer(-value) : value;
    return static_cast<std::size_t>(boost::multiprecision::msb(magnitude)) + 1;
  }

  Rational call(const FormulaNode& node) const {
    if (node.name == "ceil") return Rational(ceil_of(eval(*node.children[0])));
    if (node.name == "floor") return Rational(floor_of(eval(*node.children[0])));
    Rational best = eval(*node.children[0]);
    for (std::size_t i = 1; i < node.children.size(); ++i) {
      Rational value = eval(*node.children[i]);
      if (node.name == "min" ? value < best : value > best) best = value;
    }
    return best;
  }
};

void collect_names(const FormulaNode& node, std::set<std::string>& out) {
  if (node.kind == NodeKind::name) out.insert(node.name);
  for (const auto& child : node.children) collect_names(*child, out);
}

}  // namespace

Formula Formula::parse(const std::string& text, const std::string& context) {
  Formula formula;
  formula.text_ = text;
  formula.root_ = Parser(formula.text_, context).parse_all();
  return formula;
}

Rational Formula::evaluate(const Bindings& bindings, const std::string& context) const {
  if (!root_) throw Error::internal(context + ": formula evaluated before it was parsed");
  return Evaluator(bindings, context, text_).eval(*root_);
}

std::set<std::string> Formula::names() const {
  std::set<std::string> out;
  if (root_) collect_names(*root_, out);
  return out;
}

bool is_reserved_name(const std::string& name) { return function_names().count(name) > 0; }

bool is_identifier(const std::string& name) {
  if (name.empty()) return false;
  if (!(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_')) return false;
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  return true;
}

}  // namespace recallbound::catalog
