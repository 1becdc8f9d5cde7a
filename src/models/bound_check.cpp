#include "recallbound/models/bound_check.hpp"

#include "recallbound/error.hpp"

namespace recallbound::models {

RowBound bound_for_row(const RowResult& row, const StorageFormat& format, std::int64_t vocab) {
  const NumberFormat number = number_format(format.name());
  if (number.bits != format.bits())
    throw Error::internal("bound check: the bounds layer counts " + std::to_string(number.bits) + " bits for " +
                          format.name() + ", the model stores " + std::to_string(format.bits()));
  RowBound bound;
  bound.state_bits = format_state_bits(Integer(row.state_numbers), number, CountingMode::all_encodings);
  bound.value_alphabet = Integer(value_alphabet_size(vocab));
  bound.error = row.error_rate();
  bound.capacity = max_pairs(bound.state_bits, bound.value_alphabet, bound.error);
  bound.bits_recalled = info_bits(Integer(row.pairs), bound.value_alphabet, bound.error);
  bound.exceeds = !bound.capacity.unbounded && Integer(row.pairs) > bound.capacity.max_pairs;
  return bound;
}

}  // namespace recallbound::models
