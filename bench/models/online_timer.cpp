// Times the online form (SequenceModel::run) of one case on models_bench's batch (64 MQAR
// sequences, L = 512, N = 128, vocab 8192, 2 threads, warm models), once per line read from stdin:
// each line runs it `repeats` times and prints the median wall seconds. A caller alternates these
// rounds with its own timings, so that the machine's drift (about +-30% over minutes on the 2-core
// VM) hits both sides alike: torch_bench.py against the torch loop, ab.sh between two builds.
// Usage: online_timer VARIANT PRECISION D [repeats=5]
//   VARIANT: a case name of bench/models/case_io.hpp (linear-attention-elu, mamba2, ...)
//   PRECISION: a storage format (fp32, bf16, ...); or `chunked` for the fp32 chunked form
//   (chunked_outputs, chunk 64, as models_bench times it), or `chunked1`, the same on 1 thread (the
//   code's own rate, apart from what two threads at once cost); or `decode` for the decoding of the fp32
//   online read-outs (one [8192, d] x [d, 4096] product with the value codes, 1 thread, as
//   models_bench times it); or `decode2`, the same product on 2 threads (decode_scores).
//   bench/models/paired_rates.py alternates the last four with the machine's rate (machine_rate.py).
#include "case_io.hpp"

#include "recallbound/models/chunked.hpp"

#include <fmt/core.h>

#include <iostream>
#include <string>

using namespace recallbound::models;
using namespace recallbound::bench;

int main(int argc, char** argv) {
  if (argc < 4) {
    fmt::print(stderr, "usage: online_timer VARIANT PRECISION D [repeats=5] (one timing per line on stdin)\n");
    return 2;
  }
  const std::string name = argv[1];
  const std::string form = argv[2];
  const bool chunked = form == "chunked" || form == "chunked1", decoding = form == "decode" || form == "decode2";
  const std::size_t decode_threads = form == "decode2" ? setup::threads : 1;
  const std::size_t chunked_threads = form == "chunked1" ? 1 : setup::threads;
  const StorageFormat format = parse_storage_format(chunked || decoding ? "fp32" : form);
  const std::size_t d = std::stoul(argv[3]);
  const int repeats = argc > 4 ? std::max(1, std::stoi(argv[4])) : 5;
  const Batch batch = setup_batch();
  for (const Variant& variant : reference_variants(d, setup::vocab)) {
    if (variant.name != name) continue;
    const auto weights = make_weights(variant.config, 1);
    ModelPool pool;
    if (chunked && !has_chunked_form(variant.config)) {
      fmt::print(stderr, "online_timer: VARIANT '{}' has no chunked form\n", name);
      return 2;
    }
    Eigen::MatrixXf stacked, codes, scores;
    if (decoding) {
      stacked = stack(online_readouts(variant.config, weights, format, batch, setup::threads, OnlineForm::run, &pool));
      codes = weights->value_codes();
      scores = Eigen::MatrixXf::Zero(stacked.rows(), codes.rows());  // touched before any timing
    }
    const auto run = [&] {
      if (decoding)
        decode_scores(stacked, codes, scores, decode_threads);
      else if (chunked)
        chunked_readouts(variant.config, *weights, batch, setup::chunk, chunked_threads);
      else
        online_readouts(variant.config, weights, format, batch, setup::threads, OnlineForm::run, &pool);
    };
    run();  // warm-up: the pool's models and their buffers
    for (std::string line; std::getline(std::cin, line);) {
      std::vector<double> walls;
      for (int r = 0; r < repeats; ++r) walls.push_back(time_of(run).wall);
      fmt::print("{:.6f}\n", median_of(walls));
      std::fflush(stdout);
    }
    return 0;
  }
  fmt::print(stderr, "online_timer: VARIANT '{}' is not a case of bench/models/case_io.hpp\n", name);
  return 2;
}
