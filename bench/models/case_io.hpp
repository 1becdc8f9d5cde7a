#pragma once
// The reference-model cases that bench/models/models_bench times and tests/models/torch_dump checks,
// run through the C++ forms and written to disk for the PyTorch implementation
// (bench/models/torch_models.py) to run on the same weights and sequences.
//
// Layout of a dump directory:
//   manifest.json                 {"inputs": [...], "cases": [...]} (see write_manifest)
//   inputs-d<d>/                  one per width: tokens.i32 [B, L], queries.i64 [B, N, 2] (position,
//                                 expected value), keys.f32 / values.f32 [V, d], projection.f32 [f, d]
//   <case>/meta.json              the model configuration, precision and C++ figures
//   <case>/online.f32, chunked.f32  read-outs at the query positions [B, N, d] (when requested)
//   <case>/online.i32, chunked.i32  the decoded value token per query [B, N]
#include "recallbound/models/model.hpp"
#include "recallbound/models/task.hpp"

#include <Eigen/Core>
#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace recallbound::bench {

/// One model to compare: a name for the tables and its configuration (every field but d and vocab
/// at the documented defaults: window 64, feature_dim 16, decay 0.001, write strength 1).
struct Variant {
  std::string name;
  models::ModelConfig config;
};
/// The seven reference architectures, linear attention with each of its three feature maps.
std::vector<Variant> reference_variants(std::size_t d, std::int64_t vocab);

struct Batch {
  std::vector<models::RecallSequence> sequences;
  std::size_t pairs = 0;
};
/// `count` MQAR sequences (trials 0 .. count-1 of `seed`).
Batch make_batch(const models::RecallTask& task, std::uint64_t seed, std::size_t count);

/// The benchmark's setup (models_bench, online_timer): a batch of 64 MQAR sequences of 512 tokens
/// with 128 pairs over a vocabulary of 8192, run on 2 threads.
namespace setup {
constexpr std::size_t batch_size = 64, pairs = 128, threads = 2, chunk = 64;
constexpr std::int64_t vocab = 8192, seq_len = 512;
}  // namespace setup
/// The batch of `setup` (trials 0 .. 63 of seed 1).
Batch setup_batch();

/// How the online form is driven: SequenceModel::run over each whole sequence (the fused recurrent
/// form where a model has one), or step() per token with read_out() where a query sits. Both give
/// the same bits (tests/models/fused_test.cpp).
enum class OnlineForm { run, step };

/// One model per thread, kept between calls (a benchmark times the steady state, as PyTorch's
/// loop runs on its warm allocator and thread pool).
using ModelPool = std::vector<std::unique_ptr<models::SequenceModel>>;

/// Read-outs at the query positions, one [N, d] matrix per sequence, by the online form, sequences
/// spread over `threads` threads; the models come from `pool` (made there on first use) if given.
/// Row-major, as SequenceModel::run writes them: run() fills them in place, so the time measured
/// holds no copy.
std::vector<models::ReadoutMatrix> online_readouts(const models::ModelConfig& config,
                                             const std::shared_ptr<const models::Weights>& weights,
                                             const models::StorageFormat& format, const Batch& batch,
                                             std::size_t threads, OnlineForm form = OnlineForm::run,
                                             ModelPool* pool = nullptr);
/// The same read-outs by the chunked form (fp32), each worker reusing one ChunkedWorkspace.
std::vector<Eigen::MatrixXf> chunked_readouts(const models::ModelConfig& config, const models::Weights& weights,
                                              const Batch& batch, std::size_t chunk, std::size_t threads);
/// scores [B N, V/2] = stacked [B N, d] codes^T, the value codes [V/2, d]: the decoding's product,
/// its rows split in blocks of 512 over `threads` threads, as the library's workers each decode
/// their own sequences (matmul.hpp's fixed order: the same bits for any split).
void decode_scores(const Eigen::MatrixXf& stacked, const Eigen::MatrixXf& codes, Eigen::MatrixXf& scores,
                   std::size_t threads);
/// All read-outs stacked [B N, d].
template <class Matrix>
Eigen::MatrixXf stack(const std::vector<Matrix>& readouts) {
  const Eigen::Index rows = readouts.front().rows();
  Eigen::MatrixXf stacked(rows * static_cast<Eigen::Index>(readouts.size()), readouts.front().cols());
  for (std::size_t b = 0; b < readouts.size(); ++b) stacked.middleRows(static_cast<Eigen::Index>(b) * rows, rows) = readouts[b];
  return stacked;
}
/// Decoded value tokens (argmax over the value codes) from the stacked scores [B N, V/2].
std::vector<std::int32_t> decode(const Eigen::MatrixXf& scores, std::int64_t vocab);
/// Fraction of queries whose decoded token is the expected value.
double accuracy(const std::vector<std::int32_t>& decoded, const Batch& batch);

void write_inputs(const std::filesystem::path& dir, const Batch& batch, const models::Weights& weights);
void write_floats(const std::filesystem::path& path, const Eigen::MatrixXf& rows);  // row-major
void write_ints(const std::filesystem::path& path, const std::vector<std::int32_t>& values);
/// The configuration fields the PyTorch side needs.
nlohmann::json config_json(const Variant& variant, const models::StorageFormat& format);

/// Process CPU time (all threads) and wall time of `work`, in seconds.
struct Timing {
  double wall = 0, cpu = 0;
};
template <typename Work>
Timing time_of(Work&& work);
double process_cpu_seconds();
double wall_seconds();
template <typename Work>
Timing time_of(Work&& work) {
  const double wall = wall_seconds(), cpu = process_cpu_seconds();
  work();
  return {wall_seconds() - wall, process_cpu_seconds() - cpu};
}
double median_of(std::vector<double> values);

}  // namespace recallbound::bench
