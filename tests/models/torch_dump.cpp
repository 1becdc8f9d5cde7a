// Writes small cases of every reference model for tests/models/torch_models_oracle.py: the inputs,
// the C++ online read-outs in fp32, bf16 and fp16, and the chunked read-outs (fp32) where a chunked
// form exists, in the layout of bench/models/case_io.hpp. Usage: models_torch_dump DUMP_DIR
#include "case_io.hpp"

#include "recallbound/models/chunked.hpp"

#include <fmt/core.h>

#include <fstream>

using namespace recallbound::models;
using namespace recallbound::bench;

int main(int argc, char** argv) {
  if (argc != 2) {
    fmt::print(stderr, "usage: models_torch_dump DUMP_DIR\n");
    return 2;
  }
  const std::filesystem::path root = argv[1];
  constexpr std::size_t d = 16, batch_size = 6, chunk = 16, threads = 2;
  constexpr std::int64_t vocab = 128;  // 63 keys, 64 values: more pairs than d, so recall is partial
  RecallTask task;
  task.vocab = vocab;
  task.pairs = 24;
  task.seq_len = 112;
  const Batch batch = make_batch(task, 3, batch_size);
  nlohmann::json manifest = {{"inputs", {"inputs"}}, {"cases", nlohmann::json::array()}};
  std::vector<Variant> variants = reference_variants(d, vocab);
  for (Variant& variant : variants) {
    variant.config.window = 20;      // sliding-window and based: some pairs inside, some outside
    variant.config.feature_dim = 6;  // taylor: F = 43
    variant.config.decay = 0.05;     // mamba2, gated-deltanet: a visible decay
  }
  const auto weights = make_weights(variants.front().config, 3);
  write_inputs(root / "inputs", batch, *weights);
  const Eigen::MatrixXf codes = weights->value_codes();
  for (const Variant& variant : variants) {
    for (const char* precision : {"fp32", "bf16", "fp16"}) {
      const StorageFormat format = parse_storage_format(precision);
      const std::string name = fmt::format("{}-{}", variant.name, precision);
      const std::filesystem::path dir = root / name;
      std::filesystem::create_directories(dir);
      const Eigen::MatrixXf online = stack(online_readouts(variant.config, weights, format, batch, threads));
      write_floats(dir / "online.f32", online);
      write_ints(dir / "online.i32", decode(online * codes.transpose(), vocab));
      if (format.kind == FormatKind::fp32 && has_chunked_form(variant.config)) {
        const Eigen::MatrixXf chunked = stack(chunked_readouts(variant.config, *weights, batch, chunk, threads));
        write_floats(dir / "chunked.f32", chunked);
        write_ints(dir / "chunked.i32", decode(chunked * codes.transpose(), vocab));
      }
      nlohmann::json meta = config_json(variant, format);
      meta.update({{"inputs", "inputs"}, {"batch", batch_size}, {"seq_len", task.seq_len}, {"pairs", task.pairs},
                   {"chunk", chunk}});
      std::ofstream(dir / "meta.json") << meta.dump(2) << '\n';
      manifest["cases"].push_back(name);
    }
  }
  std::ofstream(root / "manifest.json") << manifest.dump(2) << '\n';
  return 0;
}
