#pragma once
// Exact numbers: arbitrary-size integers and rationals (GMP through Boost.Multiprecision),
// and the parser every command uses for numeric input. Nothing here rounds.
#include <boost/multiprecision/gmp.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace recallbound {

using Integer = boost::multiprecision::mpz_int;
using Rational = boost::multiprecision::mpq_rational;

/// Parses an exact number. Accepted forms: integer `83886080`, decimal `0.01` (= 1/100),
/// scientific `1e30` (= 10^30 exactly) or `2.5e-6`, fraction `p/q` of two integers.
/// A leading sign is allowed. Throws Error::bad_input naming `field` for anything else
/// (empty, nan, inf, hex, zero denominator, exponent magnitude over 100000).
Rational parse_rational(std::string_view text, std::string_view field);

/// Like parse_rational but the value must be an integer (`1e6` is accepted, `1.5` is not).
Integer parse_integer(std::string_view text, std::string_view field);

/// A nonnegative rational numerator/denominator with both parts below 2^64 (not necessarily in
/// lowest terms), read without GMP for the batch hot path.
struct SmallRational {
  std::uint64_t numerator = 0;
  std::uint64_t denominator = 1;
};

/// Reads the unsigned forms parse_rational accepts (integer, decimal, scientific, p/q) when both parts
/// fit in 64 bits; nothing otherwise (sign, surrounding space, malformed, too large, zero denominator),
/// and the caller falls back to parse_rational, which also words the errors.
std::optional<SmallRational> parse_small_rational(std::string_view text);

/// "p" for integers, "p/q" otherwise, in lowest terms.
std::string to_exact_string(const Rational& value);

Integer floor_of(const Rational& value);
Integer ceil_of(const Rational& value);

/// Nearest double, for display and plotting only; never used to decide anything.
double to_display_double(const Rational& value);

}  // namespace recallbound
