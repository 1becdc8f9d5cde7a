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

}  // namespace recallbound::kernel::detail
