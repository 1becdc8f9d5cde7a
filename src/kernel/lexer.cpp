#include "kernel/lexer.hpp"

#include "recallbound/error.hpp"

namespace recallbound::kernel::detail {

bool is_letter(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::size_t identifier_end(std::string_view text, std::size_t begin) {
  std::size_t j = begin;
  while (j < text.size() && (is_letter(text[j]) || is_digit(text[j]))) ++j;
  while (j < text.size() && text[j] == '\'') ++j;
  return j;
}

std::size_t number_end(std::string_view text, std::size_t begin) {
  std::size_t j = begin;
  while (j < text.size() && is_digit(text[j])) ++j;
  if (j + 1 < text.size() && text[j] == '.' && is_digit(text[j + 1])) {
    ++j;
    while (j < text.size() && is_digit(text[j])) ++j;
  }
  return j;
}

std::vector<Token> tokenize(std::string_view text, std::string_view field) {
  std::vector<Token> tokens;
  std::size_t i = 0;
  auto push = [&](TokenKind kind, std::size_t length) {
    tokens.push_back({kind, std::string(text.substr(i, length)), i + 1});
    i += length;
  };
  while (i < text.size()) {
    const char c = text[i];
    const char next = i + 1 < text.size() ? text[i + 1] : '\0';
    if (c == ' ' || c == '\t') {
      ++i;
    } else if (is_letter(c)) {
      push(TokenKind::identifier, identifier_end(text, i) - i);
    } else if (is_digit(c)) {
      push(TokenKind::number, number_end(text, i) - i);
    } else if (c == '-' && next == '>') {
      push(TokenKind::arrow, 2);
    } else if (c == '|' && next == '|') {
      push(TokenKind::double_bar, 2);
    } else if (c == '>' && next == '=') {
      push(TokenKind::ge, 2);
    } else if (c == '<' && next == '=') {
      push(TokenKind::le, 2);
    } else {
      TokenKind kind{};
      switch (c) {
        case '(': kind = TokenKind::lparen; break;
        case ')': kind = TokenKind::rparen; break;
        case '[': kind = TokenKind::lbracket; break;
        case ']': kind = TokenKind::rbracket; break;
        case ',': kind = TokenKind::comma; break;
        case ';': kind = TokenKind::semicolon; break;
        case '|': kind = TokenKind::bar; break;
        case '+': kind = TokenKind::plus; break;
        case '-': kind = TokenKind::minus; break;
        case '*': kind = TokenKind::star; break;
        case '/': kind = TokenKind::slash; break;
        case '.': kind = TokenKind::dot; break;
        case ':': kind = TokenKind::colon; break;
        case '=': kind = TokenKind::eq; break;
        default:
        {
          const auto byte = static_cast<unsigned char>(c);
          static constexpr char hex[] = "0123456789abcdef";
          const std::string shown = byte >= 0x20 && byte < 0x7f ? std::string(1, c)
                                                                 : std::string("\\x") + hex[byte >> 4U] + hex[byte & 0xfU];
          throw Error::bad_input(std::string(field) + ": column " + std::to_string(i + 1) +
                                 ": unexpected character '" + shown + "'");
        }
      }
      push(kind, 1);
    }
  }
  tokens.push_back({TokenKind::end, "", text.size() + 1});
  return tokens;
}

std::string token_description(const Token& token) {
  if (token.kind == TokenKind::end) return "the end of the input";
  return "'" + token.text + "'";
}

}  // namespace recallbound::kernel::detail
