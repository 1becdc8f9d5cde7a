// Speed of the reference models against PyTorch on the same constructed model and sequences.
// For d in {64, 128, 256}, a batch of 64 MQAR sequences through identity-feature linear attention
// (fp32): the online per-step form (SequenceModel, 2 threads), the chunked form (2 threads), the
// arg-max decoding (one matrix product, 1 thread) and, in the same run, Eigen's single-precision
// matrix-multiply rate (1 thread) as the machine reference. Writes everything, with the sequences
// and weights, under DUMP_DIR/d<d>/ for bench/models/torch_bench.py.
// Usage: models_bench DUMP_DIR [repeats=5]
#include "recallbound/models/chunked.hpp"
#include "recallbound/models/model.hpp"
#include "recallbound/models/task.hpp"

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <thread>
#include <vector>

using namespace recallbound::models;

namespace {

constexpr std::size_t batch = 64, pairs = 128, threads = 2, chunk = 64;
constexpr std::int64_t vocab = 8192, seq_len = 512;

double seconds_of(const std::function<void()>& work) {
  const auto start = std::chrono::steady_clock::now();
  work();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double median_of(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

void on_threads(std::size_t count, const std::function<void(std::size_t, std::size_t)>& body) {
  std::vector<std::thread> pool;
  for (std::size_t w = 0; w < threads; ++w)
    pool.emplace_back([&, w] { for (std::size_t i = w; i < count; i += threads) body(i, w); });
  for (auto& t : pool) t.join();
}

template <typename T>
void dump(const std::filesystem::path& path, const T* data, std::size_t count) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(count * sizeof(T)));
}

double accuracy_of(const std::vector<Eigen::MatrixXf>& outputs, const std::vector<RecallSequence>& sequences,
                   const Weights& weights, double* decode_seconds) {
  // All read-outs of the batch stacked, decoded by one matrix product against the value codes.
  const Eigen::Index d = outputs.front().cols();
  Eigen::MatrixXf stacked(static_cast<Eigen::Index>(batch * pairs), d);
  for (std::size_t b = 0; b < batch; ++b) stacked.middleRows(static_cast<Eigen::Index>(b * pairs), pairs) = outputs[b];
  Eigen::MatrixXf scores;
  const Eigen::MatrixXf codes = weights.value_codes();
  const double seconds = seconds_of([&] { scores.noalias() = stacked * codes.transpose(); });
  if (decode_seconds) *decode_seconds = seconds;
  std::size_t right = 0;
  for (std::size_t b = 0; b < batch; ++b)
    for (std::size_t q = 0; q < pairs; ++q) {
      Eigen::Index best;
      scores.row(static_cast<Eigen::Index>(b * pairs + q)).maxCoeff(&best);
      right += best + vocab / 2 == sequences[b].queries[q].expected_value;
    }
  return static_cast<double>(right) / static_cast<double>(batch * pairs);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    fmt::print(stderr, "usage: models_bench DUMP_DIR [repeats=5]\n");
    return 2;
  }
  const std::filesystem::path root = argv[1];
  const int repeats = argc > 2 ? std::stoi(argv[2]) : 5;
  Eigen::setNbThreads(1);

  // The machine reference: Eigen sgemm, 1 thread, 1024^3.
  std::vector<double> gemm_rates;
  {
    Eigen::MatrixXf a = Eigen::MatrixXf::Random(1024, 1024), b = Eigen::MatrixXf::Random(1024, 1024), c(1024, 1024);
    for (int r = 0; r < repeats; ++r) gemm_rates.push_back(2.0 * 1024 * 1024 * 1024 / seconds_of([&] { c.noalias() = a * b; }) / 1e9);
  }
  const double gemm_gflops = median_of(gemm_rates);
  fmt::print("sgemm 1024^3, 1 thread: {:.2f} GFLOP/s (median of {})\n", gemm_gflops, repeats);

  for (std::size_t d : {64u, 128u, 256u}) {
    ModelConfig config;
    config.arch = "linear-attention";
    config.d = d;
    config.vocab = vocab;
    const auto weights = make_weights(config, 1);
    RecallTask task;
    task.vocab = vocab;
    task.pairs = pairs;
    task.seq_len = seq_len;
    std::vector<RecallSequence> sequences(batch);
    for (std::size_t b = 0; b < batch; ++b) sequences[b] = make_sequence(task, 1, b);

    std::vector<Eigen::MatrixXf> online(batch), chunked(batch);
    std::vector<double> online_seconds, chunked_seconds, decode_seconds;
    const StorageFormat fp32 = parse_storage_format("fp32");
    for (int r = 0; r < repeats; ++r) {
      online_seconds.push_back(seconds_of([&] {
        std::vector<std::unique_ptr<SequenceModel>> models(threads);
        on_threads(batch, [&](std::size_t b, std::size_t w) {
          if (!models[w]) models[w] = make_model(config, weights, fp32);
          SequenceModel& model = *models[w];
          model.reset();
          Eigen::MatrixXf outputs(static_cast<Eigen::Index>(pairs), static_cast<Eigen::Index>(d));
          Eigen::VectorXf out(static_cast<Eigen::Index>(d));
          std::size_t q = 0;
          for (std::size_t p = 0; p < sequences[b].tokens.size(); ++p) {
            model.step(sequences[b].tokens[p]);
            while (q < pairs && sequences[b].queries[q].position == p) {
              model.read_out(out);
              outputs.row(static_cast<Eigen::Index>(q++)) = out.transpose();
            }
          }
          online[b] = outputs;
        });
      }));
      chunked_seconds.push_back(seconds_of([&] {
        on_threads(batch, [&](std::size_t b, std::size_t) {
          const Eigen::MatrixXf all = chunked_outputs(config, *weights, sequences[b].tokens, chunk);
          Eigen::MatrixXf outputs(static_cast<Eigen::Index>(pairs), static_cast<Eigen::Index>(d));
          for (std::size_t q = 0; q < pairs; ++q)
            outputs.row(static_cast<Eigen::Index>(q)) = all.row(static_cast<Eigen::Index>(sequences[b].queries[q].position));
          chunked[b] = outputs;
        });
      }));
      double decode = 0;
      (void)accuracy_of(online, sequences, *weights, &decode);
      decode_seconds.push_back(decode);
    }
    const double online_accuracy = accuracy_of(online, sequences, *weights, nullptr);
    const double chunked_accuracy = accuracy_of(chunked, sequences, *weights, nullptr);
    const double tokens = static_cast<double>(batch * seq_len);
    const double width = static_cast<double>(d);
    const double decode_flops = 2.0 * batch * pairs * width * static_cast<double>(vocab / 2);
    // Chunked flops per chunk of C: Q K^T and (.)V (2 C^2 d each), Q S and K^T V (2 C d^2 each).
    const double chunked_flops = tokens * (4.0 * chunk * width + 4.0 * width * width);
    nlohmann::json meta = {{"d", d}, {"vocab", vocab}, {"batch", batch}, {"seq_len", seq_len}, {"pairs", pairs},
                           {"chunk", chunk}, {"threads", threads}, {"repeats", repeats},
                           {"cpp_online_accuracy", online_accuracy}, {"cpp_chunked_accuracy", chunked_accuracy},
                           {"cpp_online_seconds", median_of(online_seconds)},
                           {"cpp_chunked_seconds", median_of(chunked_seconds)},
                           {"cpp_decode_seconds", median_of(decode_seconds)},
                           {"cpp_decode_gflops", decode_flops / median_of(decode_seconds) / 1e9},
                           {"cpp_chunked_gflops", chunked_flops / median_of(chunked_seconds) / 1e9},
                           {"cpp_sgemm_gflops_1thread", gemm_gflops}};
    const std::filesystem::path dir = root / fmt::format("d{}", d);
    std::filesystem::create_directories(dir);
    std::vector<std::int32_t> tokens_flat;
    std::vector<std::int64_t> queries_flat;
    for (const auto& s : sequences) {
      tokens_flat.insert(tokens_flat.end(), s.tokens.begin(), s.tokens.end());
      for (const auto& q : s.queries) queries_flat.insert(queries_flat.end(), {static_cast<std::int64_t>(q.position), q.expected_value});
    }
    dump(dir / "tokens.i32", tokens_flat.data(), tokens_flat.size());
    dump(dir / "queries.i64", queries_flat.data(), queries_flat.size());
    dump(dir / "keys.f32", weights->key_embedding.data(), static_cast<std::size_t>(weights->key_embedding.size()));
    dump(dir / "values.f32", weights->value_embedding.data(), static_cast<std::size_t>(weights->value_embedding.size()));
    std::ofstream(dir / "meta.json") << meta.dump(2) << '\n';
    fmt::print("d={}: online {:.4f} s ({:.0f} tok/s), chunked {:.4f} s, decode {:.2f} GFLOP/s, chunked {:.2f} GFLOP/s, "
               "accuracy online {:.5f} chunked {:.5f}\n",
               d, median_of(online_seconds), tokens / median_of(online_seconds), median_of(chunked_seconds),
               meta["cpp_decode_gflops"].get<double>(), meta["cpp_chunked_gflops"].get<double>(), online_accuracy,
               chunked_accuracy);
  }
  return 0;
}
