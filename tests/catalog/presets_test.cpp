// Every preset's total state, recomputed by hand from its published config (the arithmetic is
// written out below) and compared with the catalog's formulas. Conv buffers count k-1 columns.
#include "recallbound/catalog/accounting.hpp"
#include "recallbound/catalog/architecture.hpp"

#include <doctest/doctest.h>

#include <set>

using recallbound::Integer;
using namespace recallbound::catalog;

namespace {

Integer preset_state(const std::string& preset_id, std::int64_t context) {
  auto [arch, preset] = Catalog::builtin().find_preset(preset_id);
  return state_numbers(configure(*arch, preset, {}), Integer(context));
}

// Hand arithmetic uses 64-bit integers (no overflow at these sizes) so the check is independent
// of the formula evaluator and of Integer.
constexpr std::int64_t T = 8192;

}  // namespace

TEST_CASE("preset mamba-2.8b: 64 x (5120*16 + 5120*3)") {
  const std::int64_t d_inner = 2 * 2560;                     // expand 2 x d_model
  const std::int64_t per_layer = d_inner * 16 + d_inner * (4 - 1);  // ssm + conv (k-1 = 3 columns)
  CHECK(per_layer == 97280);
  CHECK(preset_state("mamba-2.8b", T) == Integer(64 * per_layer));  // 6,225,920
  CHECK(preset_state("mamba-2.8b", 1) == preset_state("mamba-2.8b", 1000000));  // no growth in T
}

TEST_CASE("preset mamba-130m: 24 x (1536*16 + 1536*3)") {
  CHECK(preset_state("mamba-130m", T) == Integer(24 * (1536 * 16 + 1536 * 3)));  // 700,416
}

TEST_CASE("preset falcon-mamba-7b: d_inner from intermediate_size 8192, not expand 16") {
  const std::int64_t d_inner = 8192;
  CHECK(preset_state("falcon-mamba-7b", T) == Integer(64 * (d_inner * 16 + d_inner * 3)));  // 9,961,472
  CHECK(preset_state("falcon-mamba-7b", T) != Integer(64 * (16 * 4096 * 16 + 16 * 4096 * 3)));
}

TEST_CASE("preset mamba2-2.7b: 64 x (80 heads*64*128 + (5120+2*128)*3)") {
  const std::int64_t ssm = (5120 / 64) * 64 * 128;     // 655,360
  const std::int64_t conv = (5120 + 2 * 1 * 128) * 3;  // 16,128
  CHECK(preset_state("mamba2-2.7b", T) == Integer(64 * (ssm + conv)));  // 42,975,232
}

TEST_CASE("preset rwkv6-finch-7b: 32 x (4096 + 64 heads*64*64 + 4096)") {
  CHECK(preset_state("rwkv6-finch-7b", T) == Integer(32 * (4096 + 64 * 64 * 64 + 4096)));  // 8,650,752
}

TEST_CASE("preset rwkv7-world-2.9b: 32 x (2560 + 40 heads*64*64 + 2560)") {
  CHECK(preset_state("rwkv7-world-2.9b", T) == Integer(32 * (2560 + 40 * 64 * 64 + 2560)));  // 5,406,720
}

TEST_CASE("preset xlstm-7b: 32 x 8 heads x (256*512 + 256 + 1)") {
  CHECK(preset_state("xlstm-7b", T) == Integer(32 * 8 * (256 * 512 + 256 + 1)));  // 33,620,224
}

TEST_CASE("preset recurrentgemma-2b: 18 recurrent x (2560 + 3*2560) + 8 attention x 2*1*256*min(T,2048)") {
  const std::int64_t recurrent = 18 * (2560 + 3 * 2560);
  CHECK(preset_state("recurrentgemma-2b", T) == Integer(recurrent + 8 * 2 * 1 * 256 * 2048));  // 8,572,928
  CHECK(preset_state("recurrentgemma-2b", 100) == Integer(recurrent + 8 * 2 * 1 * 256 * 100));
}

TEST_CASE("preset jamba-v0.1: 28 Mamba x (8192*16 + 8192*3) + 4 attention x 2*8*128*T") {
  const std::int64_t mamba = 28 * (8192 * 16 + 8192 * 3);
  CHECK(preset_state("jamba-v0.1", T) == Integer(mamba + 4 * 2 * 8 * 128 * T));
}

TEST_CASE("preset zamba2-2.7b: 54 x (5120*64 + (5120+128)*3) + 9 calls x 2*5120*T") {
  const std::int64_t mamba = 54 * (5120 * 64 + (5120 + 2 * 64) * 3);
  CHECK(preset_state("zamba2-2.7b", T) == Integer(mamba + 9 * 2 * 5120 * T));
}

TEST_CASE("preset llama-3-8b: 32 layers x 2*8*128 per token") {
  CHECK(preset_state("llama-3-8b", T) == Integer(32 * 2 * 8 * 128 * T));  // 65,536 per token
}

TEST_CASE("preset mistral-7b-v0.1: 32 x 2*8*128*min(T, 4096): v0.2 has no window") {
  CHECK(preset_state("mistral-7b-v0.1", T) == Integer(32 * 2 * 8 * 128 * 4096));
  CHECK(preset_state("mistral-7b-v0.1", 1000) == Integer(32 * 2 * 8 * 128 * 1000));
  CHECK(preset_state("mistral-7b-v0.2", T) == Integer(32 * 2 * 8 * 128 * T));
}

TEST_CASE("preset qwen3-next-80b-a3b: 36 GDN x (32*128*128 + 8192*3) + 12 attention x 2*2*256*T") {
  const std::int64_t gdn = 36 * (32 * 128 * 128 + (2 * 16 * 128 + 32 * 128) * 3);
  CHECK(preset_state("qwen3-next-80b-a3b", T) == Integer(gdn + 12 * 2 * 2 * 256 * T));
}

TEST_CASE("preset minimax-text-01: 70 lightning x 64*128*128 + 10 softmax x 2*8*128*T") {
  CHECK(preset_state("minimax-text-01", T) == Integer(70 * 64 * 128 * 128 + 10 * 2 * 8 * 128 * T));
}

TEST_CASE("preset deepseek-v3: 61 layers x (512 + 64) per token") {
  CHECK(preset_state("deepseek-v3", T) == Integer(61 * (512 + 64) * T));
}

TEST_CASE("preset gemma-2-9b: 21 local x 2*8*256*min(T,4096) + 21 global x 2*8*256*T") {
  CHECK(preset_state("gemma-2-9b", T) == Integer(21 * 2 * 8 * 256 * 4096 + 21 * 2 * 8 * 256 * T));
}

TEST_CASE("every preset of the catalog has a hand-recomputed test above") {
  const std::set<std::string> tested{"mamba-2.8b",      "mamba-130m",       "falcon-mamba-7b", "mamba2-2.7b",
                                     "rwkv6-finch-7b",  "rwkv7-world-2.9b", "xlstm-7b",        "recurrentgemma-2b",
                                     "jamba-v0.1",      "zamba2-2.7b",      "llama-3-8b",      "mistral-7b-v0.1",
                                     "mistral-7b-v0.2", "qwen3-next-80b-a3b", "minimax-text-01", "deepseek-v3",
                                     "gemma-2-9b"};
  std::set<std::string> present;
  for (const auto& arch : Catalog::builtin().architectures())
    for (const auto& preset : arch.presets) present.insert(preset.id);
  CHECK(present == tested);
  CHECK(present.size() >= 15);
}
