#pragma once
#include <iosfwd>
#include <string>

namespace recallbound::cli {

/// Streams a CSV with header columns state_bits, vocab, error (others carried through) to `out`,
/// appending max_pairs, denominator_lower, denominator_upper. Rows are processed one at a time.
/// Throws Error::bad_input naming the line, column and allowed range for a malformed row.
void run_capacity_batch(std::istream& in, std::ostream& out, const std::string& source_name);

}  // namespace recallbound::cli
