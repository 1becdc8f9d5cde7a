#include "capacity_batch.hpp"

#include "recallbound/bounds/batch.hpp"
#include "recallbound/error.hpp"

#include <fmt/compile.h>

#include <charconv>
#include <cmath>
#include <cstring>
#include <cstdint>
#include <istream>
#include <limits>
#include <ostream>
#include <string_view>
#include <vector>

namespace recallbound::cli {
namespace {

// Input read in 1 MiB blocks and handed out as views of its lines (newline and a trailing CR removed),
// instead of a std::getline copy per line. A line longer than the block grows the block.
class LineReader {
 public:
  explicit LineReader(std::istream& in) : in_(in) {}

  bool next(std::string_view& line) {
    for (;;) {
      const char* start = block_.data() + begin_;
      if (const void* newline = std::memchr(start, '\n', end_ - begin_)) {
        auto length = static_cast<std::size_t>(static_cast<const char*>(newline) - start);
        return take(line, length, length + 1);
      }
      if (at_end_) return begin_ < end_ && take(line, end_ - begin_, end_ - begin_);
      std::memmove(block_.data(), start, end_ - begin_);  // keep the partial line, refill behind it
      end_ -= begin_;
      begin_ = 0;
      if (end_ == block_.size()) block_.resize(block_.size() * 2);
      in_.read(block_.data() + end_, static_cast<std::streamsize>(block_.size() - end_));
      end_ += static_cast<std::size_t>(in_.gcount());
      at_end_ = !in_;
    }
  }

 private:
  bool take(std::string_view& line, std::size_t length, std::size_t consumed) {
    line = std::string_view(block_.data() + begin_, length);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    begin_ += consumed;
    return true;
  }

  std::istream& in_;
  std::vector<char> block_ = std::vector<char>(std::size_t(1) << 20);
  std::size_t begin_ = 0, end_ = 0;
  bool at_end_ = false;
};

// Shortest decimal that reads back as the double one ulp further out: it lies strictly outside
// [lower, upper], so the printed pair still encloses D.
void append_outward(std::string& out, double value, bool up) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  char text[32];  // fmt's shortest round-trip form (Dragonbox): the longest double text is 24 characters
  char* end = fmt::format_to(text, FMT_COMPILE("{}"), std::nextafter(value, up ? inf : -inf));
  out.append(text, static_cast<std::size_t>(end - text));
}

void append_integer(std::string& out, std::uint64_t value) {
  char text[24];
  auto result = std::to_chars(text, text + sizeof text, value);
  out.append(text, static_cast<std::size_t>(result.ptr - text));
}

// Splits one CSV record (RFC 4180 quoting; no embedded newlines) into raw field texts, keeping the
// quotes so that carried-through columns are printed exactly as read.
void split_record(std::string_view line, std::size_t line_number, const std::string& source,
                  std::vector<std::string_view>& fields) {
  fields.clear();
  if (line.find('"') == std::string_view::npos) {  // the usual record: no quotes, split at every comma
    for (std::size_t start = 0;;) {
      std::size_t comma = line.find(',', start);
      fields.push_back(line.substr(start, comma - start));
      if (comma == std::string_view::npos) return;
      start = comma + 1;
    }
  }
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
  LineReader reader(in);
  std::string_view line;
  std::size_t line_number = 0;
  auto next_line = [&]() -> bool {
    if (!reader.next(line)) return false;
    ++line_number;
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
  header.clear();  // its views point into the reader's block, which the next reads overwrite
  std::vector<std::string_view> fields;
  std::string buffer;  // output is built here and written in blocks: no per-field stream calls
  constexpr std::size_t flush_size = 1 << 16;
  buffer.reserve(flush_size + 4096);

  while (next_line()) {
    if (line.empty()) continue;
    split_record(line, line_number, source, fields);
    auto where = [&] { return source + ": line " + std::to_string(line_number) + ": "; };
    if (fields.size() != columns)
      throw Error::bad_input(where() + "has " + std::to_string(fields.size()) + " fields, the header has " +
                             std::to_string(columns));
    // Hot path: plain unsigned numbers that fit in 64 bits, decided by the double fast path.
    std::optional<FastCapacityRow> fast;
    auto small_bits = parse_small_rational(unquote(fields[bits_col]));
    auto small_vocab = parse_small_rational(unquote(fields[vocab_col]));
    auto small_error = parse_small_rational(unquote(fields[error_col]));
    if (small_bits && small_vocab && small_error && small_vocab->denominator == 1 && small_vocab->numerator >= 2 &&
        small_error->numerator <= small_error->denominator)
      fast = capacity_row_fast(*small_bits, small_vocab->numerator, *small_error);
    buffer.append(line).push_back(',');
    double lower = 0, upper = 0;
    if (fast) {
      append_integer(buffer, fast->max_pairs);
      lower = fast->denominator_lower;
      upper = fast->denominator_upper;
    } else {
      CapacityRow r = exact_row(fields[bits_col], fields[vocab_col], fields[error_col], where);
      buffer.append(r.unbounded ? std::string("unbounded") : r.max_pairs.str());
      lower = r.denominator_lower;
      upper = r.denominator_upper;
    }
    buffer.push_back(',');
    append_outward(buffer, lower, false);
    buffer.push_back(',');
    append_outward(buffer, upper, true);
    buffer.push_back('\n');
    if (buffer.size() >= flush_size) {
      out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      buffer.clear();
    }
  }
  out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
}

}  // namespace recallbound::cli
