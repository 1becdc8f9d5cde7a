// The formula language: exact arithmetic, precedence, functions, and errors that point at a column.
#include "recallbound/catalog/formula.hpp"
#include "recallbound/error.hpp"

#include <doctest/doctest.h>

using recallbound::Error;
using recallbound::Rational;
using recallbound::catalog::Bindings;
using recallbound::catalog::Formula;

namespace {

Rational eval(const std::string& text, const Bindings& bindings = {}) {
  return Formula::parse(text, "test").evaluate(bindings, "test");
}

std::string parse_error(const std::string& text) {
  try {
    (void)Formula::parse(text, "f.json: architecture 'x': blocks[0].madds");
  } catch (const Error& e) {
    CHECK(e.kind() == recallbound::ErrorKind::bad_input);
    return e.what();
  }
  return "no error";
}

std::string eval_error(const std::string& text, const Bindings& bindings = {}) {
  try {
    (void)Formula::parse(text, "ctx").evaluate(bindings, "ctx");
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("formula: precedence and associativity follow the usual rules") {
  CHECK(eval("1 + 2 * 3") == 7);
  CHECK(eval("(1 + 2) * 3") == 9);
  CHECK(eval("2 ^ 3 ^ 2") == 512);  // right-associative: 2^(3^2)
  CHECK(eval("-2 ^ 2") == -4);       // unary minus binds looser than ^
  CHECK(eval("10 - 4 - 3") == 3);    // left-associative
  CHECK(eval("12 / 4 / 3") == 1);
  CHECK(eval("2 * -3") == -6);
}

TEST_CASE("formula: division is exact, never floating point") {
  CHECK(eval("1 / 3 + 1 / 6") == Rational(1, 2));
  CHECK(eval("0.1 + 0.2") == Rational(3, 10));
  CHECK(eval("1e30 / 1e29") == 10);
  CHECK(eval("2 ^ -2") == Rational(1, 4));
  // 2^200 + 1 is not representable in a double; the language keeps it.
  CHECK(eval("2^200 + 1 - 2^200") == 1);
}

TEST_CASE("formula: names, T and the functions") {
  Bindings b{{"d_model", Rational(2560)}, {"expand", Rational(2)}, {"T", Rational(5000)}, {"window", Rational(4096)}};
  CHECK(eval("expand * d_model", b) == 5120);
  CHECK(eval("min(T, window)", b) == 4096);
  CHECK(eval("max(T, window, 7)", b) == 5000);
  CHECK(eval("ceil(T / 64)", b) == 79);   // 5000/64 = 78.125
  CHECK(eval("floor(T / 64)", b) == 78);
  CHECK(eval("ceil(-1/2)") == 0);
  CHECK(eval("floor(-1/2)") == -1);
  auto names = Formula::parse("min(T, window) * (d_model + 1)", "t").names();
  CHECK(names == std::set<std::string>{"T", "d_model", "window"});
}

TEST_CASE("formula: parse errors name the field and point at the column") {
  CHECK(parse_error("d * (e + 1") ==
        "f.json: architecture 'x': blocks[0].madds: column 11: expected ')' to close the '(' at column 5: d * (e + 1");
  CHECK(parse_error("d ** 2") == "f.json: architecture 'x': blocks[0].madds: column 4: unexpected '*': d ** 2");
  CHECK(parse_error("") == "f.json: architecture 'x': blocks[0].madds: column 1: empty formula: ");
  CHECK(parse_error("sqrt(d)") ==
        "f.json: architecture 'x': blocks[0].madds: column 1: unknown function 'sqrt' (known: min, max, ceil, floor): sqrt(d)");
  CHECK(parse_error("min(d)") == "f.json: architecture 'x': blocks[0].madds: column 1: min() takes at least two arguments: min(d)");
  CHECK(parse_error("d $ 2") == "f.json: architecture 'x': blocks[0].madds: column 3: unexpected '$': d $ 2");
  CHECK(parse_error("1.2.3") == "f.json: architecture 'x': blocks[0].madds: column 1: '1.2.3' is not a number: 1.2.3");
  CHECK(parse_error("ceil") ==
        "f.json: architecture 'x': blocks[0].madds: column 1: 'ceil' is a function and needs arguments in ( ): ceil");
}

TEST_CASE("formula: evaluation errors are bad input with the column") {
  CHECK(eval_error("d / (T - T)", {{"d", Rational(1)}, {"T", Rational(3)}}) == "ctx: column 3: division by zero: d / (T - T)");
  CHECK(eval_error("d + x", {{"d", Rational(1)}}) == "ctx: column 5: unknown name 'x': d + x");
  CHECK(eval_error("2 ^ (1/2)") == "ctx: column 3: the exponent 1/2 is not an integer: 2 ^ (1/2)");
  CHECK(eval_error("0 ^ -1") == "ctx: column 3: 0 raised to a negative power: 0 ^ -1");
  CHECK(eval_error("3 ^ 10000000") == "ctx: column 3: the power is too large (over 1048576 bits): 3 ^ 10000000");
  // Powers of 0, 1 and -1 stay cheap however large the exponent... but the exponent itself is capped.
  CHECK(eval("1 ^ 1000000") == 1);
}
