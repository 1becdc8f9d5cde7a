// Speed of the reference models against PyTorch on the same constructed models and sequences.
// For d in {64, 128, 256} and each of the nine variants (bench/models/case_io.hpp), a batch of 64
// MQAR sequences (L = 512, N = 128, vocab 8192) through the online per-step form (2 threads) in fp32
// and bf16, twice: SequenceModel::run (the fused recurrent form where a model has one) and step()
// per token, checking that both give the same bits; through the chunked form (fp32, 2 threads)
// where one exists; the arg-max decoding as
// one matrix product (the library's fixed-order product, matmul.hpp; on 1 thread, and on 2 threads
// by blocks of rows); and, in the same run,
// sgemm rates (1024^3, on 1 thread and on 2 threads at once) of Eigen as the library is built and of
// the library's product. The machine's own rate, the goals' reference, is sgemm_rate's (run.sh). Every case is written
// under DUMP_DIR for bench/models/torch_bench.py. Times are medians of `repeats` runs (at least 5
// for the online forms, which are cheap to repeat), wall and process CPU.
// Usage: models_bench DUMP_DIR [repeats=3] [d ...]
#include "case_io.hpp"

#include "recallbound/models/chunked.hpp"
#include "recallbound/models/matmul.hpp"

#include <fmt/core.h>

#include <fstream>
#include <thread>

using namespace recallbound::models;
using namespace recallbound::bench;

namespace {

using namespace setup;

struct Medians {
  double wall, cpu;
};
template <typename Work>
Medians median_timing(int repeats, Work&& work) {
  std::vector<double> wall, cpu;
  for (int r = 0; r < repeats; ++r) {
    const Timing t = time_of(work);
    wall.push_back(t.wall);
    cpu.push_back(t.cpu);
  }
  return {median_of(wall), median_of(cpu)};
}

// A 1024^3 sgemm on `parallel` threads at once (one product each), in GFLOP/s summed over threads:
// Eigen's (as this build compiles it: baseline x86-64, SSE2) or the library's fixed-order product.
enum class Sgemm { eigen, library };
double sgemm_gflops(Sgemm kind, std::size_t parallel, int repeats) {
  const Eigen::Index n = 1024;
  std::vector<Eigen::MatrixXf> a(parallel, Eigen::MatrixXf::Random(n, n)), b(parallel, Eigen::MatrixXf::Random(n, n)),
      c(parallel, Eigen::MatrixXf(n, n));
  const Medians t = median_timing(repeats, [&] {
    std::vector<std::thread> pool;
    for (std::size_t i = 0; i < parallel; ++i)
      pool.emplace_back([&, i] {
        if (kind == Sgemm::eigen)
          c[i].noalias() = a[i] * b[i];
        else
          multiply(a[i], b[i], c[i]);
      });
    for (auto& thread : pool) thread.join();
  });
  return 2.0 * static_cast<double>(n * n * n) * static_cast<double>(parallel) / t.wall / 1e9;
}

// Nominal flops of the chunked form per token (the matrix products; chunked.cpp): linear with feature
// width F: Q K^T 2CF, (.)V 2Cd, Q S 2Fd, K^T V 2Fd. Delta rule: also K K^T 2Cd, K S 2d^2, the
// triangular solve Cd. Based: linear part with d + 1 value columns (the normaliser, computed beside
// the values, does the work of one more), window scores and mix 4(C + w - 1)d.
double chunked_flops_per_token(const ModelConfig& config) {
  const double c = chunk, d = static_cast<double>(config.d);
  if (config.arch == "deltanet" || config.arch == "gated-deltanet") return 7 * c * d + 6 * d * d;
  const FeatureMap map = config.arch == "based" ? FeatureMap::taylor : config.feature_map;
  const double f = static_cast<double>(map == FeatureMap::taylor ? 1 + config.feature_dim * (config.feature_dim + 1) : config.d);
  const double values = config.arch == "based" ? d + 1 : d;
  const double window = config.arch == "based" ? 4 * (c + static_cast<double>(config.window) - 1) * d : 0;
  return 2 * c * f + 2 * c * values + 4 * f * values + window;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    fmt::print(stderr, "usage: models_bench DUMP_DIR [repeats=3] [d ...]\n");
    return 2;
  }
  const std::filesystem::path root = argv[1];
  const int repeats = argc > 2 ? std::max(1, std::stoi(argv[2])) : 3;
  std::vector<std::size_t> widths;
  for (int i = 3; i < argc; ++i) widths.push_back(static_cast<std::size_t>(std::stoul(argv[i])));
  if (widths.empty()) widths = {64, 128, 256};
  Eigen::setNbThreads(1);

  const double sgemm_1 = sgemm_gflops(Sgemm::eigen, 1, repeats), sgemm_2 = sgemm_gflops(Sgemm::eigen, 2, repeats);
  const double library_1 = sgemm_gflops(Sgemm::library, 1, repeats),
               library_2 = sgemm_gflops(Sgemm::library, 2, repeats);
  fmt::print("sgemm 1024^3, GFLOP/s on 1 thread / 2 threads at once: Eigen as the library is built (baseline x86-64) "
             "{:.2f} / {:.2f}; the library's fixed-order product {:.2f} / {:.2f}\n",
             sgemm_1, sgemm_2, library_1, library_2);
  nlohmann::json manifest = {{"inputs", nlohmann::json::array()}, {"cases", nlohmann::json::array()},
                             {"sgemm_gflops_1thread", sgemm_1}, {"sgemm_gflops_2threads", sgemm_2},
                             {"library_sgemm_gflops_1thread", library_1}, {"library_sgemm_gflops_2threads", library_2},
                             {"repeats", repeats}, {"threads", threads}};
  const Batch batch = setup_batch();
  for (std::size_t d : widths) {
    const std::vector<Variant> variants = reference_variants(d, vocab);
    // Every variant of one width has the same weights: make_weights draws from (d, vocab, embedding
    // kinds, feature_dim) only, which the variants share.
    const auto weights = make_weights(variants.front().config, 1);
    const std::string inputs = fmt::format("inputs-d{}", d);
    write_inputs(root / inputs, batch, *weights);
    manifest["inputs"].push_back(inputs);
    const Eigen::MatrixXf codes = weights->value_codes();
    std::vector<double> decode_seconds, decode_seconds_2threads;
    // The scores [8192, 4096] (128 MB), touched once before any timing: a first touch of fresh pages
    // would time the kernel's page faults, not the product (sgemm_rate warms up the same way).
    Eigen::MatrixXf scores = Eigen::MatrixXf::Zero(static_cast<Eigen::Index>(batch_size * pairs), codes.rows());
    for (const Variant& variant : variants) {
      for (const char* precision : {"fp32", "bf16"}) {
        const StorageFormat format = parse_storage_format(precision);
        std::vector<ReadoutMatrix> online;
        ModelPool pool;  // warm models, as torch's loop runs on its warm allocator and thread pool
        const int online_repeats = std::max(repeats, 5);
        const Medians online_time = median_timing(online_repeats, [&] {
          online = online_readouts(variant.config, weights, format, batch, threads, OnlineForm::run, &pool);
        });
        std::vector<ReadoutMatrix> stepped;
        const Medians step_time = median_timing(online_repeats, [&] {
          stepped = online_readouts(variant.config, weights, format, batch, threads, OnlineForm::step, &pool);
        });
        const bool same_bits = stack(stepped) == stack(online);
        const Eigen::MatrixXf stacked = stack(online);
        decode_seconds_2threads.push_back(time_of([&] { decode_scores(stacked, codes, scores, threads); }).wall);
        decode_seconds.push_back(time_of([&] { decode_scores(stacked, codes, scores, 1); }).wall);
        const std::vector<std::int32_t> decoded = decode(scores, vocab);
        const std::string name = fmt::format("{}-d{}-{}", variant.name, d, precision);
        const std::filesystem::path dir = root / name;
        std::filesystem::create_directories(dir);
        write_ints(dir / "online.i32", decoded);
        nlohmann::json meta = config_json(variant, format);
        meta.update({{"inputs", inputs}, {"batch", batch_size}, {"seq_len", seq_len}, {"pairs", pairs}, {"chunk", chunk},
                     {"cpp_online_accuracy", accuracy(decoded, batch)}, {"cpp_online_seconds", online_time.wall},
                     {"cpp_online_cpu_seconds", online_time.cpu}, {"cpp_step_seconds", step_time.wall},
                     {"cpp_step_cpu_seconds", step_time.cpu}, {"cpp_step_same_bits", same_bits}});
        std::string line = fmt::format("{}: online {:.4f} s wall {:.4f} s CPU (step() per token {:.4f} s, {}), accuracy {:.5f}",
                                       name, online_time.wall, online_time.cpu, step_time.wall,
                                       same_bits ? "same bits" : "BITS DIFFER", meta["cpp_online_accuracy"].get<double>());
        if (format.kind == FormatKind::fp32 && has_chunked_form(variant.config)) {
          std::vector<Eigen::MatrixXf> chunked;
          const Medians chunked_time =
              median_timing(repeats, [&] { chunked = chunked_readouts(variant.config, *weights, batch, chunk, threads); });
          const std::vector<std::int32_t> chunked_decoded = decode(product(stack(chunked), codes.transpose()), vocab);
          write_ints(dir / "chunked.i32", chunked_decoded);
          const double flops = chunked_flops_per_token(variant.config) * static_cast<double>(batch_size * seq_len);
          meta.update({{"cpp_chunked_accuracy", accuracy(chunked_decoded, batch)},
                       {"cpp_chunked_seconds", chunked_time.wall}, {"cpp_chunked_cpu_seconds", chunked_time.cpu},
                       {"cpp_chunked_gflops", flops / chunked_time.wall / 1e9}});
          line += fmt::format(" | chunked {:.4f} s ({:.2f} GFLOP/s), accuracy {:.5f}", chunked_time.wall,
                              meta["cpp_chunked_gflops"].get<double>(), meta["cpp_chunked_accuracy"].get<double>());
        }
        std::ofstream(dir / "meta.json") << meta.dump(2) << '\n';
        manifest["cases"].push_back(name);
        fmt::print("{}\n", line);
        std::fflush(stdout);
      }
    }
    const double decode_flops = 2.0 * static_cast<double>(batch_size * pairs * d) * static_cast<double>(vocab / 2);
    const double decode_gflops = decode_flops / median_of(decode_seconds) / 1e9,
                 decode_gflops_2threads = decode_flops / median_of(decode_seconds_2threads) / 1e9;
    manifest["decode_gflops_1thread"][std::to_string(d)] = decode_gflops;
    manifest["decode_gflops_2threads"][std::to_string(d)] = decode_gflops_2threads;
    fmt::print("d={}: decode (one [{} x {}] x [{} x {}] product) {:.2f} GFLOP/s on 1 thread, {:.2f} on 2, medians of {}\n",
               d, batch_size * pairs, d, d, vocab / 2, decode_gflops, decode_gflops_2threads, decode_seconds.size());
  }
  std::ofstream(root / "manifest.json") << manifest.dump(2) << '\n';
  return 0;
}
