// No empirical recall exceeds the certified bound: every model, a grid of widths, formats and N,
// including states far too small for the pairs (where only a low accuracy is consistent).
#include "recallbound/models/bound_check.hpp"

#include <doctest/doctest.h>

using namespace recallbound;
using namespace recallbound::models;

TEST_CASE("no empirical recall exceeds the bound, over all seven models and a grid of configurations") {
  std::size_t rows = 0, tight_rows = 0;
  for (std::string_view arch : architecture_names) {
    for (std::size_t d : {std::size_t{2}, std::size_t{8}}) {
      for (const char* precision : {"fp32", "bf16", "fp8-e4m3", "int2"}) {
        ModelConfig config;
        config.arch = std::string(arch);
        config.d = d;
        config.vocab = 256;
        config.feature_dim = 2;
        config.window = 4;
        RunSpec spec;
        spec.model = config;
        spec.format = parse_storage_format(precision);
        spec.task.vocab = config.vocab;
        spec.trials = 4;
        spec.seed = 17;
        const auto weights = make_weights(config, spec.seed);
        for (std::int64_t pairs : {4, 32, 120}) {
          const RowResult row = run_row(spec, pairs, weights);
          const RowBound bound = bound_for_row(row, spec.format, config.vocab);
          CAPTURE(arch);
          CAPTURE(d);
          CAPTURE(precision);
          CAPTURE(pairs);
          CHECK_FALSE(bound.exceeds);
          // The recalled information never exceeds the state bits either (the same inequality).
          CHECK(bound.bits_recalled.lower() <= bound.state_bits.enclose(64).upper());
          ++rows;
          // Rows where N log2 |values| exceeds the state: the bound constrains the error there.
          if (Rational(pairs * 7) > bound.state_bits.enclose(64).upper()) ++tight_rows;
        }
      }
    }
  }
  CHECK(rows == 7 * 2 * 4 * 3);
  CHECK(tight_rows > 10);
}

TEST_CASE("the row bound matches a hand computation") {
  // 10 numbers of int4 = 40 bits; 128 values; no errors: max pairs = floor(40 / 7) = 5.
  RowResult row;
  row.pairs = 6;
  row.queries = 60;
  row.errors = 0;
  row.state_numbers = 10;
  const RowBound bound = bound_for_row(row, parse_storage_format("int4"), 256);
  CHECK(bound.capacity.max_pairs == 5);
  CHECK(bound.exceeds);
  row.errors = 60;  // everything wrong: error 1 >= 1 - 1/128, the bound says nothing
  CHECK(bound_for_row(row, parse_storage_format("int4"), 256).capacity.unbounded);
}
