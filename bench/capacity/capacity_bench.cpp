// Certified max_pairs per row (capacity_row: rigorous double fast path + MPFI fallback) against a
// plain double evaluation of the same formula, on the same random rows, in the same run.
// Usage: capacity_bench [rows=1000000] [seed=1] [csv_out]  (csv_out: also write the rows for the
// --batch pipeline and the mpmath comparison in bench/capacity/run.sh)
#include "recallbound/bounds/batch.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cmath>
#include <fstream>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace {

struct Row {
  std::uint64_t bits, vocab, error_millionths;  // error = error_millionths / 10^6
};

double plain_double_max_pairs(const Row& r) {
  double v = static_cast<double>(r.vocab), e = static_cast<double>(r.error_millionths) / 1e6;
  double h2 = (e > 0 ? -e * std::log2(e) : 0) - (e < 1 ? (1 - e) * std::log2(1 - e) : 0);
  double d = std::log2(v) - h2 - (e > 0 ? e * std::log2(v - 1) : 0);
  return std::floor(static_cast<double>(r.bits) / d);
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t rows = argc > 1 ? std::stoull(argv[1]) : 1000000;
  const std::uint64_t seed = argc > 2 ? std::stoull(argv[2]) : 1;
  std::mt19937_64 rng(seed);
  std::vector<Row> data(rows);
  for (auto& r : data) {
    r.vocab = 2 + rng() % ((1u << 20) - 1);                       // V in [2, 2^20]
    std::uint64_t guess = 1000000 - (1000000 + r.vocab - 1) / r.vocab;  // floor(10^6 (1 - 1/V)) rounded down
    r.error_millionths = guess == 0 ? 0 : rng() % guess;         // eps in [0, 1 - 1/V)
    r.bits = 1 + rng() % (1u << 27);                              // B in [1, 2^27]
  }
  if (argc > 3) {
    std::ofstream csv(argv[3]);
    csv << "state_bits,vocab,error\n";
    for (const auto& r : data) csv << r.bits << ',' << r.vocab << ',' << fmt::format("{}/1000000", r.error_millionths) << '\n';
  }
  // Parse once up front so both timings cover evaluation only.
  std::vector<recallbound::Rational> bits(rows), errors(rows);
  std::vector<recallbound::Integer> vocabs(rows);
  for (std::size_t i = 0; i < rows; ++i) {
    bits[i] = recallbound::Rational(data[i].bits);
    vocabs[i] = data[i].vocab;
    errors[i] = recallbound::Rational(data[i].error_millionths, 1000000);
  }
  // Process CPU time, not wall time: the machines here are shared and noisy.
  auto cpu_now = [] {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return std::chrono::duration<double, std::nano>(std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec));
  };
  auto t0 = cpu_now();
  auto engine_time = t0 - t0;  // CPU time spent in the exact engine on rows the fast path declined
  std::size_t fast = 0;
  // Fast-path answers are below 2^52 and kept as 64-bit integers; the rest as GMP integers.
  std::vector<std::uint64_t> certified(rows);
  std::vector<std::pair<std::size_t, recallbound::Integer>> certified_by_engine;
  for (std::size_t i = 0; i < rows; ++i) {
    // What --batch does per row: the fast path on 64-bit inputs, the full engine when it cannot decide.
    recallbound::SmallRational b{data[i].bits, 1}, e{data[i].error_millionths, 1000000};
    if (auto r = recallbound::capacity_row_fast(b, data[i].vocab, e)) {
      certified[i] = r->max_pairs;
      ++fast;
    } else {
      auto engine_start = cpu_now();
      certified_by_engine.emplace_back(i, recallbound::capacity_row(bits[i], vocabs[i], errors[i]).max_pairs);
      engine_time += cpu_now() - engine_start;
    }
  }
  auto t1 = cpu_now();
  double sink = 0;
  std::vector<double> plain(rows);
  for (std::size_t i = 0; i < rows; ++i) plain[i] = plain_double_max_pairs(data[i]);
  auto t2 = cpu_now();
  for (double p : plain) sink += p;
  std::vector<recallbound::Integer> certified_all(certified.begin(), certified.end());
  for (auto& [i, value] : certified_by_engine) certified_all[i] = value;
  std::size_t disagreements = 0;
  for (std::size_t i = 0; i < rows; ++i)
    if (recallbound::Integer(static_cast<std::int64_t>(plain[i])) != certified_all[i]) ++disagreements;
  double certified_ns = (t1 - t0).count() / static_cast<double>(rows);
  double plain_ns = (t2 - t1).count() / static_cast<double>(rows);
  fmt::print("rows {} seed {}\ncertified ns/row {:.1f} (fast path decided {:.4f}%; exact engine on the rest: {:.1f} ns/row "
             "of the total, {:.0f} us per declined row)\nplain double ns/row {:.1f}\n"
             "ratio certified/double {:.2f}\nrows where plain double differs from certified {}\n(checksum {})\n",
             rows, seed, certified_ns, 100.0 * static_cast<double>(fast) / static_cast<double>(rows),
             engine_time.count() / static_cast<double>(rows),
             engine_time.count() / 1000.0 / static_cast<double>(std::max<std::size_t>(1, rows - fast)), plain_ns,
             certified_ns / plain_ns, disagreements, sink);
}
