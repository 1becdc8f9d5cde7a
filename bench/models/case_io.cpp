#include "case_io.hpp"

#include "recallbound/models/chunked.hpp"
#include "recallbound/models/matmul.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <ctime>
#include <fstream>
#include <thread>

#include <pthread.h>
#include <sched.h>

namespace recallbound::bench {

using namespace recallbound::models;

std::vector<Variant> reference_variants(std::size_t d, std::int64_t vocab) {
  std::vector<Variant> variants;
  auto add = [&](std::string name, std::string arch, FeatureMap map) {
    ModelConfig config;
    config.arch = std::move(arch);
    config.d = d;
    config.vocab = vocab;
    config.feature_map = map;
    variants.push_back({std::move(name), config});
  };
  add("softmax-attention", "softmax-attention", FeatureMap::identity);
  add("sliding-window", "sliding-window", FeatureMap::identity);
  add("linear-attention", "linear-attention", FeatureMap::identity);
  add("linear-attention-elu", "linear-attention", FeatureMap::elu_plus_one);
  add("linear-attention-taylor", "linear-attention", FeatureMap::taylor);
  add("mamba2", "mamba2", FeatureMap::identity);
  add("deltanet", "deltanet", FeatureMap::identity);
  add("gated-deltanet", "gated-deltanet", FeatureMap::identity);
  add("based", "based", FeatureMap::identity);
  return variants;
}

Batch make_batch(const RecallTask& task, std::uint64_t seed, std::size_t count) {
  Batch batch;
  batch.pairs = static_cast<std::size_t>(task.pairs);
  for (std::size_t b = 0; b < count; ++b) batch.sequences.push_back(make_sequence(task, seed, b));
  return batch;
}

Batch setup_batch() {
  RecallTask task;
  task.vocab = setup::vocab;
  task.pairs = static_cast<std::int64_t>(setup::pairs);
  task.seq_len = setup::seq_len;
  return make_batch(task, 1, setup::batch_size);
}

namespace {

// Keeps a batch's workers on distinct CPUs, as OpenMP's proc_bind(spread) does: the calling thread
// (worker 0) on the CPU it runs on now, worker w on the w-th other CPU the process may use; the
// caller's own affinity is restored afterwards. The benchmark VM's kernel (booted with
// sched_vcpu_pack) places a new thread on its parent's vCPU after an idle spell, and had not moved it
// when a 4-7 ms batch ended: with 0.3 s of sleep before each batch, 8 of 12 two-thread batches ran
// both workers on one CPU (sched_getcpu in each), at the 1-thread time; kept apart, 12 of 12 ran
// on two, in 0.55-0.70 of the 1-thread time. Where the process may use fewer CPUs than it has
// workers, or the kernel refuses, the workers go where the kernel puts them.
class SpreadPlacement {
 public:
  explicit SpreadPlacement(std::size_t threads) {
    const int here = sched_getcpu();
    if (threads < 2 || here < 0 || sched_getaffinity(0, sizeof saved_, &saved_) != 0 || !CPU_ISSET(here, &saved_))
      return;
    cpus_.push_back(here);
    for (int cpu = 0; cpu < CPU_SETSIZE && cpus_.size() < threads; ++cpu)
      if (cpu != here && CPU_ISSET(cpu, &saved_)) cpus_.push_back(cpu);
    if (cpus_.size() < threads || !pin(pthread_self(), here)) cpus_.clear();
  }
  SpreadPlacement(const SpreadPlacement&) = delete;
  SpreadPlacement& operator=(const SpreadPlacement&) = delete;
  ~SpreadPlacement() {
    if (!cpus_.empty()) pthread_setaffinity_np(pthread_self(), sizeof saved_, &saved_);
  }
  /// Puts worker w (1 .. threads - 1) on its CPU, when the caller's was kept.
  void place(std::thread& worker, std::size_t w) {
    if (w < cpus_.size()) pin(worker.native_handle(), cpus_[w]);
  }

 private:
  static bool pin(pthread_t thread, int cpu) {
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    return pthread_setaffinity_np(thread, sizeof one, &one) == 0;
  }
  cpu_set_t saved_{};
  std::vector<int> cpus_;  // [threads] the CPU of each worker, or empty: no placement
};

// Calls body(index, worker) for index in [0, count), each worker taking the next index not yet taken.
// Handed out as the workers come, not dealt in advance: the VM's two CPUs often run at different
// speeds (one 1.2-1.7x slower than the other for seconds at a time), and a fixed deal leaves the
// faster one idle while the slower finishes its half. Each index writes only its own slot, so the
// results do not depend on which worker took it.
// The workers are kept on distinct CPUs for the batch (SpreadPlacement).
template <typename Body>
void on_threads(std::size_t count, std::size_t threads, Body&& body) {
  std::atomic<std::size_t> next{0};
  const auto work = [&](std::size_t w) {
    for (std::size_t i = next.fetch_add(1, std::memory_order_relaxed); i < count;
         i = next.fetch_add(1, std::memory_order_relaxed))
      body(i, w);
  };
  SpreadPlacement placement(threads);
  std::vector<std::thread> pool;
  for (std::size_t w = 1; w < threads; ++w) {
    pool.emplace_back(work, w);
    placement.place(pool.back(), w);
  }
  work(0);  // worker 0 on the calling thread: one thread fewer to start (and, in a VM, to wake)
  for (auto& t : pool) t.join();
}

}  // namespace

std::vector<ReadoutMatrix> online_readouts(const ModelConfig& config, const std::shared_ptr<const Weights>& weights,
                                           const StorageFormat& format, const Batch& batch, std::size_t threads,
                                           OnlineForm form, ModelPool* pool) {
  const auto d = static_cast<Eigen::Index>(config.d);
  std::vector<ReadoutMatrix> readouts(batch.sequences.size(), ReadoutMatrix(batch.pairs, d));
  ModelPool local;
  ModelPool& models = pool ? *pool : local;
  models.resize(std::max(models.size(), threads));
  std::vector<std::vector<std::size_t>> positions(threads);
  on_threads(batch.sequences.size(), threads, [&](std::size_t b, std::size_t w) {
    if (!models[w]) models[w] = make_model(config, weights, format);
    SequenceModel& model = *models[w];
    const RecallSequence& sequence = batch.sequences[b];
    ReadoutMatrix& out = readouts[b];
    if (form == OnlineForm::run) {
      positions[w].clear();
      for (std::size_t q = 0; q < batch.pairs; ++q) positions[w].push_back(sequence.queries[q].position);
      model.run(sequence.tokens, positions[w], out);
      return;
    }
    model.reset();
    Eigen::VectorXf readout(d);
    std::size_t q = 0;
    for (std::size_t p = 0; p < sequence.tokens.size(); ++p) {
      model.step(sequence.tokens[p]);
      for (; q < batch.pairs && sequence.queries[q].position == p; ++q) {
        model.read_out(readout);
        out.row(static_cast<Eigen::Index>(q)) = readout.transpose();
      }
    }
  });
  return readouts;
}

std::vector<Eigen::MatrixXf> chunked_readouts(const ModelConfig& config, const Weights& weights, const Batch& batch,
                                              std::size_t chunk, std::size_t threads) {
  std::vector<Eigen::MatrixXf> readouts(batch.sequences.size());
  std::vector<ChunkedWorkspace> workspaces(threads);  // one per worker, reused from sequence to sequence
  on_threads(batch.sequences.size(), threads, [&](std::size_t b, std::size_t w) {
    const RecallSequence& sequence = batch.sequences[b];
    const Eigen::MatrixXf all = chunked_outputs(config, weights, sequence.tokens, chunk, workspaces[w]);  // [L, d]
    std::vector<Eigen::Index> rows(batch.pairs);                 // the query positions
    for (std::size_t q = 0; q < batch.pairs; ++q) rows[q] = static_cast<Eigen::Index>(sequence.queries[q].position);
    // Column by column (Eigen's order for a column-major result): row by row, each number read
    // was 2 KB from the last, which took 6% of the chunked forms' time at d = 64.
    readouts[b] = all(rows, Eigen::all);
  });
  return readouts;
}

void decode_scores(const Eigen::MatrixXf& stacked, const Eigen::MatrixXf& codes, Eigen::MatrixXf& scores,
                   std::size_t threads) {
  constexpr Eigen::Index block = 512;
  const Eigen::Index rows = stacked.rows();
  const auto blocks = static_cast<std::size_t>((rows + block - 1) / block);
  on_threads(blocks, threads, [&](std::size_t b, std::size_t) {
    const Eigen::Index first = static_cast<Eigen::Index>(b) * block, size = std::min(block, rows - first);
    multiply(stacked.middleRows(first, size), codes.transpose(), scores.middleRows(first, size));
  });
}

std::vector<std::int32_t> decode(const Eigen::MatrixXf& scores, std::int64_t vocab) {
  std::vector<std::int32_t> decoded(static_cast<std::size_t>(scores.rows()));
  for (Eigen::Index r = 0; r < scores.rows(); ++r) {
    Eigen::Index best = 0;
    scores.row(r).maxCoeff(&best);
    decoded[static_cast<std::size_t>(r)] = static_cast<std::int32_t>(best + vocab / 2);
  }
  return decoded;
}

double accuracy(const std::vector<std::int32_t>& decoded, const Batch& batch) {
  std::size_t right = 0, i = 0;
  for (const RecallSequence& sequence : batch.sequences)
    for (std::size_t q = 0; q < batch.pairs; ++q) right += decoded[i++] == sequence.queries[q].expected_value;
  return static_cast<double>(right) / static_cast<double>(decoded.size());
}

namespace {
template <typename T>
void write_raw(const std::filesystem::path& path, const T* data, std::size_t count) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(count * sizeof(T)));
}
}  // namespace

void write_floats(const std::filesystem::path& path, const Eigen::MatrixXf& rows) {
  const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> row_major = rows;
  write_raw(path, row_major.data(), static_cast<std::size_t>(row_major.size()));
}

void write_ints(const std::filesystem::path& path, const std::vector<std::int32_t>& values) {
  write_raw(path, values.data(), values.size());
}

void write_inputs(const std::filesystem::path& dir, const Batch& batch, const Weights& weights) {
  std::filesystem::create_directories(dir);
  std::vector<std::int32_t> tokens;
  std::vector<std::int64_t> queries;
  for (const RecallSequence& sequence : batch.sequences) {
    tokens.insert(tokens.end(), sequence.tokens.begin(), sequence.tokens.end());
    for (const QuerySlot& q : sequence.queries)
      queries.insert(queries.end(), {static_cast<std::int64_t>(q.position), q.expected_value});
  }
  write_raw(dir / "tokens.i32", tokens.data(), tokens.size());
  write_raw(dir / "queries.i64", queries.data(), queries.size());
  write_raw(dir / "keys.f32", weights.key_embedding.data(), static_cast<std::size_t>(weights.key_embedding.size()));
  write_raw(dir / "values.f32", weights.value_embedding.data(), static_cast<std::size_t>(weights.value_embedding.size()));
  write_floats(dir / "projection.f32", weights.feature_projection);
}

nlohmann::json config_json(const Variant& variant, const StorageFormat& format) {
  const ModelConfig& c = variant.config;
  return {{"name", variant.name}, {"arch", c.arch}, {"d", c.d}, {"vocab", c.vocab},
          {"feature_map", feature_map_name(c.feature_map)}, {"feature_dim", c.feature_dim}, {"window", c.window},
          {"beta", c.inverse_temperature > 0 ? c.inverse_temperature : 2.0 * std::sqrt(static_cast<double>(c.d))},
          {"decay", c.decay}, {"write_strength", c.write_strength}, {"precision", format.name()}};
}

double process_cpu_seconds() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }
double wall_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

double median_of(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

}  // namespace recallbound::bench
