#include "capacity_batch.hpp"

#include "recallbound/bounds/batch.hpp"
#include "recallbound/error.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <istream>
#include <iterator>
#include <limits>
#include <ostream>
#include <string_view>
#include <vector>

namespace recallbound::cli {
namespace {

// Shortest decimal that reads back as the double one ulp further out: it lies strictly outside
// [lower, upper], so the printed pair still encloses D.
void append_outward(std::string& out, double value, bool up) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  fmt::format_to(std::back_inserter(out), "{}", std::nextafter(value, up ? inf : -inf));
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

// Every other row: exact parsing (which words the errors), then the full engine.
template <class Where>
CapacityRow exact_row(std::string_view bits_text, std::string_view vocab_text, std::string_view error_text,
                      const Where& where) {
  Rational bits, vocab_value, error;
  try {
    bits = parse_rational(unquote(bits_text), "state_bits");
    vocab_value = parse_rational(unquote(vocab_text), "vocab");
    error = parse_rational(unquote(error_text), "error");
    if (bits < 0) throw Error::bad_input("state_bits: " + to_exact_string(bits) + " is out of range; it must be >= 0");
    checked_vocab(vocab_value);
    checked_error(error);
  } catch (const Error& e) {
    throw Error::bad_input(where() + e.what());
  }
  return capacity_row(bits, numerator(vocab_value), error);
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
  std::string buffer;  // output is built here and written in blocks: no per-field stream calls
  constexpr std::size_t flush_size = 1 << 16;

  while (next_line()) {
    if (line.empty()) continue;
    split_record(line, line_number, source, fields);
    auto where = [&] { return source + ": line " + std::to_string(line_number) + ": "; };
    if (fields.size() != columns)
      throw Error::bad_input(where() + "has " + std::to_string(fields.size()) + " fields, the header has " +
                             std::to_string(columns));
    // Hot path: plain unsigned numbers that fit in 64 bits, decided by the double-interval fast path.
    std::optional<CapacityRow> fast;
    auto small_bits = parse_small_rational(unquote(fields[bits_col]));
    auto small_vocab = parse_small_rational(unquote(fields[vocab_col]));
    auto small_error = parse_small_rational(unquote(fields[error_col]));
    if (small_bits && small_vocab && small_error && small_vocab->denominator == 1 && small_vocab->numerator >= 2 &&
        small_error->numerator <= small_error->denominator)
      fast = capacity_row_fast(*small_bits, small_vocab->numerator, *small_error);
    CapacityRow r = fast ? *fast : exact_row(fields[bits_col], fields[vocab_col], fields[error_col], where);
    buffer.append(line).push_back(',');
    if (r.unbounded)
      buffer.append("unbounded");
    else if (fast)  // the fast path's answers are below 2^52
      fmt::format_to(std::back_inserter(buffer), "{}", r.max_pairs.convert_to<std::uint64_t>());
    else
      buffer.append(r.max_pairs.str());
    buffer.push_back(',');
    append_outward(buffer, r.denominator_lower, false);
    buffer.push_back(',');
    append_outward(buffer, r.denominator_upper, true);
    buffer.push_back('\n');
    if (buffer.size() >= flush_size) {
      out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      buffer.clear();
    }
  }
  out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
}

}  // namespace recallbound::cli
