#include "recallbound/exact/number.hpp"

#include "recallbound/error.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <limits>
#include <optional>

namespace recallbound {
namespace {

constexpr std::int64_t max_exponent_magnitude = 100000;

bool is_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

// Always base 10: Boost's string constructor would read a leading 0 as octal.
Integer digits_to_integer(std::string_view digits) {
  if (digits.size() <= 18) {  // fits in 64 bits: skip the string copy and GMP's parser
    std::uint64_t value = 0;
    for (char c : digits) value = value * 10 + static_cast<std::uint64_t>(c - '0');
    return Integer(value);
  }
  Integer result;
  if (mpz_set_str(result.backend().data(), std::string(digits).c_str(), 10) != 0)
    throw Error::internal("digits_to_integer: not a decimal digit string");
  return result;
}

Integer power_of_ten(std::int64_t exponent) {
  Integer result;
  mpz_ui_pow_ui(result.backend().data(), 10UL, static_cast<unsigned long>(exponent));
  return result;
}

[[noreturn]] void reject(std::string_view text, std::string_view field, std::string_view why) {
  throw Error::bad_input(std::string(field) + ": '" + std::string(text) + "' is not an exact number (" +
                         std::string(why) + "); expected an integer, decimal, p/q fraction or scientific form like 1e-6");
}

// Unsigned decimal or scientific: digits [. digits] [e [+-] digits].
std::optional<Rational> parse_unsigned_decimal(std::string_view s, std::string_view text,
                                               std::string_view field) {
  std::size_t e_pos = s.find_first_of("eE");
  std::string_view mantissa = s.substr(0, e_pos);
  std::int64_t exponent = 0;
  if (e_pos != std::string_view::npos) {
    std::string_view exp_text = s.substr(e_pos + 1);
    bool negative = false;
    if (!exp_text.empty() && (exp_text[0] == '+' || exp_text[0] == '-')) {
      negative = exp_text[0] == '-';
      exp_text.remove_prefix(1);
    }
    if (!is_digits(exp_text)) return std::nullopt;
    if (exp_text.size() > 7) reject(text, field, "exponent magnitude over 100000");
    exponent = std::stoll(std::string(exp_text));
    if (exponent > max_exponent_magnitude) reject(text, field, "exponent magnitude over 100000");
    if (negative) exponent = -exponent;
  }
  std::size_t dot = mantissa.find('.');
  std::string_view int_part = mantissa.substr(0, dot);
  std::string_view frac_part = dot == std::string_view::npos ? std::string_view{} : mantissa.substr(dot + 1);
  if (int_part.empty() && frac_part.empty()) return std::nullopt;
  if (!int_part.empty() && !is_digits(int_part)) return std::nullopt;
  if (!frac_part.empty() && !is_digits(frac_part)) return std::nullopt;
  if (dot != std::string_view::npos && frac_part.empty() && int_part.empty()) return std::nullopt;
  Integer numerator = frac_part.empty() ? digits_to_integer(int_part)
                                        : digits_to_integer(std::string(int_part) + std::string(frac_part));
  std::int64_t scale = exponent - static_cast<std::int64_t>(frac_part.size());
  if (scale >= 0) return Rational(numerator * power_of_ten(scale));
  return Rational(numerator, power_of_ten(-scale));
}

}  // namespace

Rational parse_rational(std::string_view text, std::string_view field) {
  std::string_view s = text;
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  if (s.empty()) reject(text, field, "empty");
  bool negative = false;
  if (s[0] == '+' || s[0] == '-') {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  std::size_t slash = s.find('/');
  Rational value;
  if (slash != std::string_view::npos) {
    std::string_view num = s.substr(0, slash), den = s.substr(slash + 1);
    if (!is_digits(num) || !is_digits(den)) reject(text, field, "a fraction needs two plain integers p/q");
    Integer d = digits_to_integer(den);
    if (d == 0) reject(text, field, "zero denominator");
    value = Rational(digits_to_integer(num), d);
  } else {
    auto parsed = parse_unsigned_decimal(s, text, field);
    if (!parsed) reject(text, field, "malformed");
    value = *parsed;
  }
  return negative ? Rational(-value) : value;
}

Integer parse_integer(std::string_view text, std::string_view field) {
  Rational value = parse_rational(text, field);
  if (denominator(value) != 1)
    throw Error::bad_input(std::string(field) + ": '" + std::string(text) + "' must be an integer");
  return numerator(value);
}

namespace {

// Accumulates decimal digits into `value`; false on a non-digit or 64-bit overflow.
bool accumulate_digits(std::string_view digits, std::uint64_t& value) {
  for (char c : digits) {
    if (c < '0' || c > '9') return false;
    if (__builtin_mul_overflow(value, 10u, &value) || __builtin_add_overflow(value, static_cast<unsigned>(c - '0'), &value))
      return false;
  }
  return true;
}

// Reads the decimal digits at text[i...] into `value`; returns the index of the first non-digit, or npos on
// 64-bit overflow. Nineteen digits always fit (10^19 < 2^64), so only later digits need overflow checks.
std::size_t read_digits(std::string_view text, std::size_t i, std::uint64_t& value) {
  value = 0;
  const std::size_t unchecked_end = std::min(text.size(), i + 19);
  for (; i < unchecked_end; ++i) {
    auto digit = static_cast<unsigned>(text[i] - '0');
    if (digit > 9) return i;
    value = value * 10 + digit;
  }
  for (; i < text.size(); ++i) {
    auto digit = static_cast<unsigned>(text[i] - '0');
    if (digit > 9) return i;
    if (__builtin_mul_overflow(value, 10u, &value) || __builtin_add_overflow(value, digit, &value))
      return std::string_view::npos;
  }
  return i;
}

// The two shapes batch files mostly hold, "digits" and "digits/digits", in one pass; nothing for any
// other shape (then the general reader below decides, with the same answers for these two shapes).
std::optional<SmallRational> parse_plain_small_rational(std::string_view text, bool& other_shape) {
  other_shape = false;
  SmallRational r;
  std::size_t i = read_digits(text, 0, r.numerator);
  if (i == std::string_view::npos) return std::nullopt;  // overflow: the general reader overflows too
  if (i == 0 || (i < text.size() && text[i] != '/')) {
    other_shape = true;
    return std::nullopt;
  }
  if (i == text.size()) return r;
  std::size_t end = read_digits(text, i + 1, r.denominator);
  if (end != text.size() || end == i + 1 || r.denominator == 0) return std::nullopt;
  return r;
}

}  // namespace

std::optional<SmallRational> parse_small_rational(std::string_view text) {
  bool other_shape = false;
  std::optional<SmallRational> plain = parse_plain_small_rational(text, other_shape);
  if (!other_shape) return plain;
  if (text.empty()) return std::nullopt;
  if (std::size_t slash = text.find('/'); slash != std::string_view::npos) {
    SmallRational r{0, 0};
    std::string_view num = text.substr(0, slash), den = text.substr(slash + 1);
    if (num.empty() || den.empty() || !accumulate_digits(num, r.numerator) || !accumulate_digits(den, r.denominator) ||
        r.denominator == 0)
      return std::nullopt;
    return r;
  }
  std::size_t e_pos = text.find_first_of("eE");
  std::string_view mantissa = text.substr(0, e_pos);
  long exponent = 0;
  if (e_pos != std::string_view::npos) {
    std::string_view exp_text = text.substr(e_pos + 1);
    bool negative = false;
    if (!exp_text.empty() && (exp_text[0] == '+' || exp_text[0] == '-')) {
      negative = exp_text[0] == '-';
      exp_text.remove_prefix(1);
    }
    std::uint64_t magnitude = 0;
    if (exp_text.empty() || exp_text.size() > 4 || !accumulate_digits(exp_text, magnitude)) return std::nullopt;
    exponent = negative ? -static_cast<long>(magnitude) : static_cast<long>(magnitude);
  }
  std::size_t dot = mantissa.find('.');
  std::string_view int_part = mantissa.substr(0, dot);
  std::string_view frac_part = dot == std::string_view::npos ? std::string_view{} : mantissa.substr(dot + 1);
  if (int_part.empty() && frac_part.empty()) return std::nullopt;
  SmallRational r;
  if (!accumulate_digits(int_part, r.numerator) || !accumulate_digits(frac_part, r.numerator)) return std::nullopt;
  exponent -= static_cast<long>(frac_part.size());
  for (; exponent > 0; --exponent)
    if (__builtin_mul_overflow(r.numerator, 10u, &r.numerator)) return std::nullopt;
  for (; exponent < 0; ++exponent)
    if (__builtin_mul_overflow(r.denominator, 10u, &r.denominator)) return std::nullopt;
  return r;
}

std::string to_exact_string(const Rational& value) {
  if (denominator(value) == 1) return numerator(value).str();
  return numerator(value).str() + "/" + denominator(value).str();
}

Integer floor_of(const Rational& value) {
  Integer result;
  mpz_fdiv_q(result.backend().data(), numerator(value).backend().data(), denominator(value).backend().data());
  return result;
}

Integer ceil_of(const Rational& value) {
  Integer result;
  mpz_cdiv_q(result.backend().data(), numerator(value).backend().data(), denominator(value).backend().data());
  return result;
}

double to_display_double(const Rational& value) { return mpq_get_d(value.backend().data()); }

}  // namespace recallbound
