#include "recallbound/error.hpp"
#include "recallbound/exact/number.hpp"

#include <doctest/doctest.h>

using namespace recallbound;

namespace {
std::string rejection(const std::string& text) {
  try {
    (void)parse_rational(text, "--error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::bad_input);
    return e.what();
  }
  return "accepted";
}
}  // namespace

TEST_CASE("parse_rational reads every exact form without rounding") {
  CHECK(parse_rational("83886080", "x") == Rational(83886080));
  CHECK(parse_rational("0.01", "x") == Rational(1, 100));
  CHECK(parse_rational("1e30", "x") == Rational(Integer("1000000000000000000000000000000")));
  CHECK(parse_rational("1e-6", "x") == Rational(1, 1000000));
  CHECK(parse_rational("2.5E-3", "x") == Rational(1, 400));
  CHECK(parse_rational("-3/6", "x") == Rational(-1, 2));
  CHECK(parse_rational("+.5", "x") == Rational(1, 2));
  CHECK(parse_rational("7.", "x") == Rational(7));
  CHECK(parse_rational("0.0394382", "x") == Rational(394382, 10000000));  // no octal reading of 0394382
  CHECK(parse_rational("010", "x") == Rational(10));
  CHECK(parse_rational(" 12 ", "x") == Rational(12));
  CHECK(parse_rational("5764607523034235/576460752303423488", "x") ==
        Rational(Integer("5764607523034235"), Integer("576460752303423488")));
  // 0.1 as a decimal is 1/10, not the double nearest to it.
  CHECK(parse_rational("0.1", "x") != Rational(Integer("3602879701896397"), Integer("36028797018963968")));
}

TEST_CASE("parse_rational rejects non-numbers with a message naming the field") {
  CHECK(rejection("nan") == "--error: 'nan' is not an exact number (malformed); expected an integer, decimal, p/q "
                            "fraction or scientific form like 1e-6");
  CHECK(rejection("") == "--error: '' is not an exact number (empty); expected an integer, decimal, p/q fraction or "
                         "scientific form like 1e-6");
  CHECK(rejection("1/0").find("zero denominator") != std::string::npos);
  CHECK(rejection("inf").find("malformed") != std::string::npos);
  CHECK(rejection("0x10").find("malformed") != std::string::npos);
  CHECK(rejection("1e100001").find("exponent magnitude over 100000") != std::string::npos);
  CHECK(rejection("1.5/2").find("two plain integers") != std::string::npos);
  CHECK(rejection("1e").find("malformed") != std::string::npos);
  CHECK(rejection(".").find("malformed") != std::string::npos);
  CHECK(rejection("--1").find("malformed") != std::string::npos);
}

TEST_CASE("parse_integer accepts integral values only") {
  CHECK(parse_integer("1e6", "--pairs") == 1000000);
  CHECK(parse_integer("10/5", "--pairs") == 2);
  CHECK_THROWS_WITH_AS(parse_integer("1.5", "--pairs"), "--pairs: '1.5' must be an integer", Error);
}

TEST_CASE("floor, ceil and exact strings") {
  CHECK(floor_of(Rational(-7, 2)) == -4);
  CHECK(ceil_of(Rational(-7, 2)) == -3);
  CHECK(floor_of(Rational(8, 2)) == 4);
  CHECK(ceil_of(Rational(8, 2)) == 4);
  CHECK(to_exact_string(Rational(6, 4)) == "3/2");
  CHECK(to_exact_string(Rational(-12)) == "-12");
}

TEST_CASE("decimals with leading zeros after the point are read in base 10, not octal") {
  CHECK(parse_rational("0.09", "x") == Rational(9, 100));
  CHECK(parse_rational("0.0625", "x") == Rational(1, 16));
  CHECK(parse_rational("0.99", "x") == Rational(99, 100));
}

TEST_CASE("parse_small_rational agrees with parse_rational wherever it answers") {
  const char* samples[] = {"0", "7", "7.", ".5", "0.01", "1e6", "2.5E-3", "3/4", "10/5", "0.0394382", "18446744073709551615",
                           "1e19", "1e20", "1/0", "-1", "1e", ".", "", "1.5/2", "12345678901234567890", "9e-19", "1e-20",
                           " 1", "0x10", "4/18446744073709551615"};
  for (const char* text : samples) {
    auto small = parse_small_rational(text);
    bool exact_ok = true;
    Rational exact;
    try {
      exact = parse_rational(text, "x");
    } catch (const Error&) {
      exact_ok = false;
    }
    if (small) {
      CAPTURE(text);
      REQUIRE(exact_ok);
      CHECK(Rational(Integer(small->numerator), Integer(small->denominator)) == exact);
    }
  }
  CHECK(parse_small_rational("18446744073709551615").has_value());   // 2^64 - 1 fits
  CHECK_FALSE(parse_small_rational("18446744073709551616").has_value());
  CHECK_FALSE(parse_small_rational("1e20").has_value());              // 10^20 > 2^64
  CHECK_FALSE(parse_small_rational("-1").has_value());                // signs go the exact way
  CHECK_FALSE(parse_small_rational("1/0").has_value());
}
