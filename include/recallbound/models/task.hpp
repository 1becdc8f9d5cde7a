#pragma once
// Multi-query associative recall (MQAR) in the format of the Zoology benchmark, so results compare:
// keys from the lower half of the vocabulary (1 .. V/2 - 1), values from the upper half
// (V/2 .. V - 1), both distinct within a sequence; `k1 v1 ... kN vN`, then a query region in which
// each key appears once, at an even offset 2g with gap g drawn without replacement with probability
// proportional to a * g^(a - 1) (g = 1 .. (L - 2N) / 2, a = power_a); other positions hold filler 0,
// or uniform random tokens when random_non_queries. The model is read out at each query key and
// must name the value that followed that key.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace recallbound::models {

using Token = std::int32_t;

struct RecallTask {
  std::int64_t vocab = 8192;      // V >= 4
  double power_a = 0.01;          // a in (0, 1]
  bool random_non_queries = false;
  std::int64_t seq_len = 0;       // L >= 4 N
  std::int64_t pairs = 0;         // N in 1 .. V/2 - 1
};

/// Checks a task; throws Error::bad_input naming the CLI option (--vocab, --pairs, --seq-len, --power-a).
void validate_task(const RecallTask& task);

/// Number of values a key can map to: V - V/2 (the size of the value half).
std::int64_t value_alphabet_size(std::int64_t vocab);
/// First value token: V/2.
std::int64_t first_value_token(std::int64_t vocab);

struct QuerySlot {
  std::size_t position;        // index of the query key in `tokens`; the read-out happens after it
  std::size_t region_offset;   // position - 2N: where in the query region (for per-position accuracy)
  Token expected_value;
};

struct RecallSequence {
  std::vector<Token> tokens;   // length L
  std::vector<QuerySlot> queries;  // N slots, by increasing position
};

/// The sequence for one trial: a pure function of (task, seed, trial), whatever thread calls it.
RecallSequence make_sequence(const RecallTask& task, std::uint64_t seed, std::uint64_t trial);

/// A small counter-seeded generator with portable distributions (the standard library's
/// distributions differ between implementations, which would break byte-identical runs).
class SplitMixRandom {
 public:
  explicit SplitMixRandom(std::uint64_t seed) : state_(seed) {}
  /// Seeds a stream from a run seed, a stream tag and an index (e.g. the trial).
  static SplitMixRandom for_stream(std::uint64_t seed, std::uint64_t stream, std::uint64_t index);
  std::uint64_t next();
  /// Uniform in [0, bound), bound >= 1, without modulo bias.
  std::uint64_t below(std::uint64_t bound);
  /// Uniform in (0, 1), 53 random bits.
  double open_unit();
  /// Standard normal (Box-Muller on open_unit).
  double normal();

 private:
  std::uint64_t state_;
};

/// Stream tags, so the weights, the trial sequences and the probe sequences never share randomness.
inline constexpr std::uint64_t weight_stream = 0x5745494748545331ULL;
inline constexpr std::uint64_t trial_stream = 0x545249414c533031ULL;
inline constexpr std::uint64_t probe_stream = 0x50524f4245533031ULL;

}  // namespace recallbound::models
