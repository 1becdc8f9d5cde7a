#include "recallbound/models/task.hpp"

#include "recallbound/error.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <numeric>
#include <string>

namespace recallbound::models {

std::uint64_t SplitMixRandom::next() {
  std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

SplitMixRandom SplitMixRandom::for_stream(std::uint64_t seed, std::uint64_t stream, std::uint64_t index) {
  SplitMixRandom mixer(seed ^ (stream * 0xD1B54A32D192ED03ULL));
  const std::uint64_t base = mixer.next();
  SplitMixRandom indexed(base ^ (index * 0x9E3779B97F4A7C15ULL + 0x632BE59BD9B4E019ULL));
  return SplitMixRandom(indexed.next());
}

std::uint64_t SplitMixRandom::below(std::uint64_t bound) {
  // Rejection: accept draws below the largest multiple of bound.
  const std::uint64_t limit = ~std::uint64_t{0} - (~std::uint64_t{0} % bound);
  std::uint64_t draw;
  do draw = next();
  while (draw >= limit);
  return draw % bound;
}

double SplitMixRandom::open_unit() { return (static_cast<double>(next() >> 11) + 0.5) * 0x1.0p-53; }

double SplitMixRandom::normal() {
  const double radius = std::sqrt(-2.0 * std::log(open_unit()));
  return radius * std::cos(2.0 * std::numbers::pi * open_unit());
}

std::int64_t value_alphabet_size(std::int64_t vocab) { return vocab - vocab / 2; }
std::int64_t first_value_token(std::int64_t vocab) { return vocab / 2; }

void validate_task(const RecallTask& task) {
  if (task.vocab < 4 || task.vocab > (std::int64_t{1} << 30))
    throw Error::bad_input("--vocab: " + std::to_string(task.vocab) +
                           " is out of range; the vocabulary size must be an integer in 4..2^30");
  const std::int64_t max_pairs = task.vocab / 2 - 1;
  if (task.pairs < 1 || task.pairs > max_pairs)
    throw Error::bad_input("--pairs: " + std::to_string(task.pairs) + " is out of range; with --vocab " +
                           std::to_string(task.vocab) + " the number of pairs must be in 1.." +
                           std::to_string(max_pairs) + " (distinct keys from the lower half)");
  if (task.seq_len < 4 * task.pairs || task.seq_len > (std::int64_t{1} << 26))
    throw Error::bad_input("--seq-len: " + std::to_string(task.seq_len) + " is out of range; with " +
                           std::to_string(task.pairs) + " pairs it must be in " +
                           std::to_string(4 * task.pairs) + "..2^26 (4N: the pairs and a query region of 2N)");
  if (!(task.power_a > 0.0 && task.power_a <= 1.0))
    throw Error::bad_input("--power-a: out of range; the query-gap power law exponent must be in (0, 1]");
}

namespace {

// N distinct draws from [lo, hi): a partial Fisher-Yates shuffle.
std::vector<Token> distinct_tokens(SplitMixRandom& random, std::int64_t lo, std::int64_t hi, std::int64_t count) {
  std::vector<Token> pool(static_cast<std::size_t>(hi - lo));
  std::iota(pool.begin(), pool.end(), static_cast<Token>(lo));
  for (std::size_t i = 0; i < static_cast<std::size_t>(count); ++i) {
    const std::size_t j = i + random.below(pool.size() - i);
    std::swap(pool[i], pool[j]);
  }
  pool.resize(static_cast<std::size_t>(count));
  return pool;
}

// N distinct gaps from 0 .. space-1, drawn one after another with probability proportional to
// a * (g + 1)^(a - 1) among those left (numpy.random.choice(replace=False, p=...)): the
// Efraimidis-Spirakis keys log(u) / w give exactly that successive-sampling distribution.
std::vector<std::size_t> power_law_gaps(SplitMixRandom& random, std::size_t space, std::size_t count, double a) {
  std::vector<std::pair<double, std::size_t>> keyed(space);
  for (std::size_t g = 0; g < space; ++g) {
    const double weight = a * std::pow(static_cast<double>(g + 1), a - 1.0);
    keyed[g] = {std::log(random.open_unit()) / weight, g};
  }
  std::partial_sort(keyed.begin(), keyed.begin() + static_cast<std::ptrdiff_t>(count), keyed.end(),
                    [](const auto& x, const auto& y) { return x.first > y.first || (x.first == y.first && x.second < y.second); });
  std::vector<std::size_t> gaps(count);
  for (std::size_t i = 0; i < count; ++i) gaps[i] = keyed[i].second;
  return gaps;
}

}  // namespace

RecallSequence make_sequence(const RecallTask& task, std::uint64_t seed, std::uint64_t trial) {
  validate_task(task);
  SplitMixRandom random = SplitMixRandom::for_stream(seed, trial_stream, trial);
  const auto pairs = static_cast<std::size_t>(task.pairs);
  const std::vector<Token> keys = distinct_tokens(random, 1, task.vocab / 2, task.pairs);
  const std::vector<Token> values = distinct_tokens(random, task.vocab / 2, task.vocab, task.pairs);

  RecallSequence sequence;
  sequence.tokens.assign(static_cast<std::size_t>(task.seq_len), 0);
  for (std::size_t i = 0; i < pairs; ++i) {
    sequence.tokens[2 * i] = keys[i];
    sequence.tokens[2 * i + 1] = values[i];
  }
  const std::size_t context = 2 * pairs;
  const std::size_t space = (static_cast<std::size_t>(task.seq_len) - context) / 2;
  const std::vector<std::size_t> gaps = power_law_gaps(random, space, pairs, task.power_a);
  std::vector<bool> is_query(sequence.tokens.size(), false);
  for (std::size_t i = 0; i < pairs; ++i) {
    const std::size_t position = context + 2 * gaps[i];
    sequence.tokens[position] = keys[i];
    is_query[position] = true;
    sequence.queries.push_back({position, 2 * gaps[i], values[i]});
  }
  std::sort(sequence.queries.begin(), sequence.queries.end(),
            [](const QuerySlot& x, const QuerySlot& y) { return x.position < y.position; });
  if (task.random_non_queries) {
    // Zoology replaces every remaining 0 (filler) with a uniform token from the whole vocabulary.
    for (std::size_t p = context; p < sequence.tokens.size(); ++p)
      if (!is_query[p]) sequence.tokens[p] = static_cast<Token>(random.below(static_cast<std::uint64_t>(task.vocab)));
  }
  return sequence;
}

}  // namespace recallbound::models
