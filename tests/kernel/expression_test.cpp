// The expression language and linear forms, checked against hand expansions.
#include "recallbound/error.hpp"
#include "recallbound/kernel/expression.hpp"
#include "recallbound/kernel/problem.hpp"

#include <doctest/doctest.h>

using namespace recallbound;
using namespace recallbound::kernel;

namespace {
LinearForm parse(std::string_view text, VariableTable& table) { return parse_expression(text, table, "goal"); }
std::string message_of(std::string_view text) {
  VariableTable table;
  try {
    (void)parse_relation(text, table, "goal");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::bad_input);
    return e.what();
  }
  return "no error";
}
}  // namespace

TEST_CASE("entropy and information terms expand to the textbook joint-entropy forms") {
  VariableTable t;
  const LinearForm h = parse("H(X,Y|Z)", t);  // X=bit0, Y=bit1, Z=bit2
  CHECK(h.coefficients() == std::map<VariableSet, Rational>{{0b111, 1}, {0b100, -1}});
  const LinearForm i = parse("I(X;Y|Z)", t);
  CHECK(i.coefficients() == std::map<VariableSet, Rational>{{0b101, 1}, {0b110, 1}, {0b111, -1}, {0b100, -1}});
  // I(X;Y;Z) = I(X;Y) - I(X;Y|Z) = H(X)+H(Y)+H(Z)-H(XY)-H(XZ)-H(YZ)+H(XYZ)
  const LinearForm triple = parse("I(X;Y;Z)", t);
  CHECK(triple.coefficients() == std::map<VariableSet, Rational>{{0b001, 1}, {0b010, 1}, {0b011, -1}, {0b100, 1},
                                                                 {0b101, -1}, {0b110, -1}, {0b111, 1}});
  CHECK(parse("I(Z;X;Y)", t) == triple);  // symmetric
}

TEST_CASE("coefficients: integers, fractions, decimals, implicit and explicit products") {
  VariableTable t;
  const LinearForm a = parse("1/2*H(X) + 0.25 H(Y) - 3H(X,Y) + 0", t);
  CHECK(a.coefficients() == std::map<VariableSet, Rational>{{0b01, Rational(1, 2)}, {0b10, Rational(1, 4)}, {0b11, -3}});
  CHECK(parse("-H(X) + H(X)", t).is_zero());
  CHECK(parse("0", t).is_zero());
}

TEST_CASE("Ingleton and Delta shorthands of minitip") {
  VariableTable t;
  const LinearForm ingleton = parse("[A;B;C;D]", t);
  const LinearForm spelled = parse("-I(A;B)+I(A;B|C)+I(A;B|D)+I(C;D)", t);
  CHECK(ingleton == spelled);
  CHECK(parse("D(A;B;C)", t) == parse("I(A;B|C)+I(B;C|A)+I(C;A|B)", t));
}

TEST_CASE("variables: identifiers with digits, underscores and primes, case-sensitive") {
  VariableTable t;
  (void)parse("H(Snow_fall, X1, A', a)", t);
  CHECK(t.names() == std::vector<std::string>{"Snow_fall", "X1", "A'", "a"});
  VariableTable closed(std::vector<std::string>{"X"});
  CHECK_THROWS_WITH_AS(parse("H(Y)", closed), "goal: column 3: unknown variable 'Y' (not declared)", Error);
}

TEST_CASE("parse errors point at the column") {
  CHECK(message_of("H(X,Y >= 0") == "goal: column 7: expected ')' but found '>='");
  CHECK(message_of("H(X) >= ") == "goal: column 9: expected a term such as H(X), I(X;Y|Z) or a number but found the end of the input");
  CHECK(message_of("H(X) + 3 >= 0") == "goal: column 8: a nonzero constant is not a linear information expression (only 0 may stand alone)");
  CHECK(message_of("H(X)") == "goal: column 5: expected '>=', '<=' or '=' but found the end of the input");
  CHECK(message_of("X >= 0") == "goal: column 1: 'X' is not H, I or D; variables appear only inside H(...) or I(...)");
  CHECK(message_of("I(X) >= 0") == "goal: column 1: I(...) needs at least two variable lists separated by ';'");
  CHECK(message_of("H(X) >= 0 $") == "goal: column 11: unexpected character '$'");
  CHECK(message_of("K(X) >= 0") == "goal: column 1: unknown function 'K'; use H(...), I(...), D(...) or [...]");
  CHECK(message_of("1/0*H(X) >= 0") == "goal: column 3: division by zero");
}

TEST_CASE("constraint shorthands expand by rule G") {
  VariableTable t;
  const Constraint markov = parse_constraint("X -> Y -> Z -> W", t, "given 1");
  REQUIRE(markov.kind == ConstraintKind::markov);
  const auto parts = markov.components();
  REQUIRE(parts.size() == 2);
  VariableTable same = t;
  CHECK(parts[0].form == parse("I(X;Z|Y)", same));
  CHECK(parts[1].form == parse("I(X,Y;W|Z)", same));
  CHECK(parts[0].equality);
  CHECK(parse_constraint("X / Y / Z", t, "g").components()[0].form == parse("I(X;Z|Y)", same));
  const auto independence = parse_constraint("X || Y,Z || W", t, "g").components();
  REQUIRE(independence.size() == 1);
  CHECK(independence[0].form == parse("H(X) + H(Y,Z) + H(W) - H(X,Y,Z,W)", same));
  CHECK(parse_constraint("X . Y", t, "g").components()[0].form == parse("I(X;Y)", same));
  CHECK(parse_constraint("Y : X", t, "g").components()[0].form == parse("H(Y|X)", same));
  const auto le = parse_constraint("H(X) <= 2*H(Y)", t, "g").components();
  CHECK(le[0].form == parse("2*H(Y) - H(X)", same));
  CHECK_FALSE(le[0].equality);
  CHECK_THROWS_WITH_AS(parse_constraint("X -> Y", t, "given 2"), "given 2: column 7: a Markov chain needs at least 3 variable lists, found 2", Error);
  CHECK_THROWS_WITH_AS(parse_constraint("X : Y : Z", t, "given 3"), "given 3: column 10: a functional dependence 'Y : X' needs exactly 2 variable lists", Error);
}

TEST_CASE("the canonical problem does not depend on how an expression is written") {
  const Problem a = make_problem("H(A|B) >= 0", {"A -> B -> C"});
  const Problem b = make_problem("H(A,B) - H(B) >= 0", {"I(A;C|B) = 0"});
  CHECK(canonical_text(a) != canonical_text(b));  // the givens' kinds differ
  const Problem c = make_problem("H(A,B) - H(B) >= 0", {"A -> B -> C"});
  CHECK(problem_digest(a) == problem_digest(c));
  CHECK(canonical_text(a) == "recallbound-problem 1\nvariables A B C\ngoal ge -1*1 1*0.1\ngiven 1 markov 1: =0 -1*1 1*0.1 1*1.2 -1*0.1.2\n");
}

TEST_CASE("SHA-256 matches the FIPS 180-4 test vectors") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(sha256_hex(std::string(1000000, 'a')) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("decimal coefficients with a leading zero digit are base 10 (0.25 is 1/4, not octal 21/100)") {
  CHECK(parse_rational("0.25", "x") == Rational(1, 4));
  CHECK(parse_rational("0.0625", "x") == Rational(1, 16));
  VariableTable t;
  CHECK(parse("0.125*H(X)", t).coefficients().at(1) == Rational(1, 8));
}
