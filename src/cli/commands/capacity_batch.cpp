#include "capacity_batch.hpp"

#include "recallbound/bounds/batch.hpp"
#include "recallbound/error.hpp"

#include <fmt/format.h>

#include <cmath>
#include <istream>
#include <limits>
#include <ostream>
#include <string_view>
#include <vector>

namespace recallbound::cli {
namespace {

// Shortest decimal that reads back as the double one ulp further out: it lies strictly outside
// [lower, upper], so the printed pair still encloses D.
void print_outward(std::ostream& out, double value, bool up) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  out << fmt::format("{}", std::nextafter(value, up ? inf : -inf));
}

// Splits one CSV record (RFC 4180 quoting; no embedded newlines) into raw field texts, keeping the
// quotes so that carried-through columns are printed exactly as read.
void split_record(std::string_view line, std::size_t line_number, const std::string& source,
                  std::vector<std::string_view>& fields) {
  fields.clear();
  std::size_t start = 0;
  bool quoted = false;
  for (std::size_t i = 0; i <= line.size(); ++i) {
    if (i < line.size() && line[i] == '"') quoted = !quoted;
    if (i == line.size() || (line[i] == ',' && !quoted)) {
      fields.push_back(line.substr(start, i - start));
      start = i + 1;
    }
  }
  if (quoted) throw Error::bad_input(source + ": line " + std::to_string(line_number) + ": unterminated quoted field");
}

std::string_view unquote(std::string_view field) {
  if (field.size() >= 2 && field.front() == '"' && field.back() == '"') return field.substr(1, field.size() - 2);
  return field;
}

std::size_t column_of(const std::vector<std::string_view>& header, std::string_view name, const std::string& source) {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (unquote(header[i]) == name) return i;
  throw Error::bad_input(source + ": header lacks the column '" + std::string(name) +
                         "'; required columns: state_bits, vocab, error");
}

}  // namespace

void run_capacity_batch(std::istream& in, std::ostream& out, const std::string& source_name) {
  const std::string source = source_name == "-" ? std::string("stdin") : source_name;
  std::string line;
  std::size_t line_number = 0;
  auto next_line = [&]() -> bool {
    if (!std::getline(in, line)) return false;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return true;
  };
  if (!next_line()) throw Error::bad_input(source + ": empty input; expected a header naming state_bits, vocab, error");
  std::vector<std::string_view> header;
  split_record(line, line_number, source, header);
  const std::size_t bits_col = column_of(header, "state_bits", source);
  const std::size_t vocab_col = column_of(header, "vocab", source);
  const std::size_t error_col = column_of(header, "error", source);
  const std::size_t columns = header.size();
  out << line << ",max_pairs,denominator_lower,denominator_upper\n";
  std::vector<std::string_view> fields;

  while (next_line()) {
    if (line.empty()) continue;
    split_record(line, line_number, source, fields);
    auto where = [&] { return source + ": line " + std::to_string(line_number) + ": "; };
    if (fields.size() != columns)
      throw Error::bad_input(where() + "has " + std::to_string(fields.size()) + " fields, the header has " +
                             std::to_string(columns));
    Rational bits, vocab_value, error;
    try {
      bits = parse_rational(unquote(fields[bits_col]), "state_bits");
      vocab_value = parse_rational(unquote(fields[vocab_col]), "vocab");
      error = parse_rational(unquote(fields[error_col]), "error");
      if (bits < 0) throw Error::bad_input("state_bits: " + to_exact_string(bits) + " is out of range; it must be >= 0");
      checked_vocab(vocab_value);
      checked_error(error);
    } catch (const Error& e) {
      throw Error::bad_input(where() + e.what());
    }
    CapacityRow r = capacity_row(bits, numerator(vocab_value), error);
    out << line << ',' << (r.unbounded ? std::string("unbounded") : r.max_pairs.str()) << ',';
    print_outward(out, r.denominator_lower, false);
    out << ',';
    print_outward(out, r.denominator_upper, true);
    out << '\n';
  }
}

}  // namespace recallbound::cli
