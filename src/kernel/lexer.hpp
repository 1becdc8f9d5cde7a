#pragma once
// Tokens of the expression language; columns are 1-based for error messages.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace recallbound::kernel::detail {

enum class TokenKind {
  identifier, number, lparen, rparen, lbracket, rbracket, comma, semicolon, bar, double_bar,
  plus, minus, star, slash, arrow, dot, colon, ge, le, eq, end
};

struct Token {
  TokenKind kind = TokenKind::end;
  std::string text;
  std::size_t column = 0;
};

/// Splits `text` into tokens ending with `end`; throws bad_input "FIELD: column C: ..." on a
/// character that starts no token.
std::vector<Token> tokenize(std::string_view text, std::string_view field);

std::string token_description(const Token& token);

/// The end of the identifier starting at text[begin] (a letter or '_'): letters, digits and '_', then
/// primes (A'). Shared by both kernel grammars so that a name means the same in a problem and a script.
std::size_t identifier_end(std::string_view text, std::size_t begin);

/// The end of the number starting at text[begin] (a digit): digits, optionally '.' and more digits.
std::size_t number_end(std::string_view text, std::size_t begin);

bool is_letter(char c);
bool is_digit(char c);

}  // namespace recallbound::kernel::detail
