// The MQAR task generator against the Zoology format and its power-law query placement.
#include "recallbound/error.hpp"
#include "recallbound/models/task.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <set>
#include <string>
#include <vector>

using namespace recallbound::models;

TEST_CASE("sequences follow the Zoology MQAR layout") {
  for (bool random_fill : {false, true}) {
    RecallTask task;
    task.vocab = 100;
    task.pairs = 20;
    task.seq_len = 97;
    task.random_non_queries = random_fill;
    const RecallSequence s = make_sequence(task, 3, 11);
    REQUIRE(s.tokens.size() == 97);
    REQUIRE(s.queries.size() == 20);
    std::set<Token> keys, values;
    for (std::size_t i = 0; i < 20; ++i) {
      keys.insert(s.tokens[2 * i]);
      values.insert(s.tokens[2 * i + 1]);
      CHECK(s.tokens[2 * i] >= 1);
      CHECK(s.tokens[2 * i] < 50);
      CHECK(s.tokens[2 * i + 1] >= 50);
      CHECK(s.tokens[2 * i + 1] < 100);
    }
    CHECK(keys.size() == 20);
    CHECK(values.size() == 20);
    std::set<Token> queried;
    std::size_t previous = 0;
    for (const QuerySlot& q : s.queries) {
      CHECK(q.position >= 40);
      CHECK((q.position - 40) % 2 == 0);
      CHECK(q.position > previous);
      previous = q.position;
      const Token key = s.tokens[q.position];
      queried.insert(key);
      // The expected value is the one that followed this key in the context.
      for (std::size_t i = 0; i < 20; ++i)
        if (s.tokens[2 * i] == key) CHECK(s.tokens[2 * i + 1] == q.expected_value);
    }
    CHECK(queried == keys);
    std::size_t fillers = 0;
    for (std::size_t p = 40; p < 97; ++p) fillers += s.tokens[p] == 0;
    if (random_fill) CHECK(fillers < 10);
    else CHECK(fillers == 97 - 40 - 20);
  }
}

TEST_CASE("the same (seed, trial) gives the same sequence and other trials differ") {
  RecallTask task;
  task.vocab = 512;
  task.pairs = 30;
  task.seq_len = 200;
  CHECK(make_sequence(task, 1, 4).tokens == make_sequence(task, 1, 4).tokens);
  CHECK(make_sequence(task, 1, 4).tokens != make_sequence(task, 1, 5).tokens);
  CHECK(make_sequence(task, 1, 4).tokens != make_sequence(task, 2, 4).tokens);
}

TEST_CASE("query gaps follow p(g) proportional to a g^(a-1), sampled without replacement") {
  // One pair, space 4: the single gap has P(g) = g^(a-1) / sum. Compare 40000 draws with it.
  for (double a : {0.01, 0.5, 1.0}) {
    RecallTask task;
    task.vocab = 16;
    task.pairs = 1;
    task.seq_len = 10;  // space (10 - 2) / 2 = 4
    task.power_a = a;
    std::vector<double> counts(4, 0);
    const std::size_t draws = 40000;
    for (std::size_t t = 0; t < draws; ++t) counts[make_sequence(task, 8, t).queries[0].region_offset / 2] += 1;
    double total = 0;
    for (int g = 1; g <= 4; ++g) total += std::pow(g, a - 1);
    for (int g = 1; g <= 4; ++g) {
      const double p = std::pow(g, a - 1) / total;
      const double sd = std::sqrt(p * (1 - p) / draws);
      CAPTURE(a);
      CAPTURE(g);
      CHECK(std::fabs(counts[g - 1] / draws - p) < 5 * sd);
    }
  }
}

TEST_CASE("task validation names the option and its range") {
  RecallTask task;
  task.vocab = 64;
  task.pairs = 40;
  task.seq_len = 400;
  try {
    validate_task(task);
    FAIL("accepted 40 pairs with vocab 64");
  } catch (const recallbound::Error& e) {
    CHECK(std::string(e.what()) ==
          "--pairs: 40 is out of range; with --vocab 64 the number of pairs must be in 1..31 (distinct keys from the lower half)");
  }
  task.pairs = 10;
  task.seq_len = 39;
  CHECK_THROWS_WITH(validate_task(task), "--seq-len: 39 is out of range; with 10 pairs it must be in 40..2^26 (4N: the pairs and a query region of 2N)");
}
