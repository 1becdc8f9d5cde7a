// The machine's rate for the fused additive kernel's instruction mix, without memory or read-outs:
// s[k] += v_k * x over a tile of accumulators, one 256-bit multiply and one add per element (no
// fused multiply-add, as in memory_kernels.cpp). Two tile shapes: 8 rows x 8 columns (one vector
// load, eight broadcasts per step) and 24 rows x 4 columns (three loads, four broadcasts).
// Build and run (x86-64 with AVX2):
//   g++ -O3 -std=c++20 -ffp-contract=off bench/models/fp_throughput.cpp -o /tmp/fp_throughput && /tmp/fp_throughput
#include <chrono>
#include <cstdio>
#include <cstring>
#include <vector>

using Vec = float __attribute__((vector_size(32)));

__attribute__((target("avx2"), noinline)) void tile_8x8(const float* x, const float* v, int steps, Vec* out) {
  Vec s[8] = {};
  for (int t = 0; t < steps; ++t) {
    Vec xv;
    std::memcpy(&xv, x + 8 * t, sizeof xv);
    for (int k = 0; k < 8; ++k) s[k] = s[k] + v[8 * t + k] * xv;
  }
  for (int k = 0; k < 8; ++k) out[k] = s[k];
}

__attribute__((target("avx2"), noinline)) void tile_24x4(const float* x, const float* v, int steps, Vec* out) {
  Vec s[12] = {};
  for (int t = 0; t < steps; ++t) {
    Vec x0, x1, x2;
    std::memcpy(&x0, x + 24 * t, sizeof x0);
    std::memcpy(&x1, x + 24 * t + 8, sizeof x1);
    std::memcpy(&x2, x + 24 * t + 16, sizeof x2);
    for (int k = 0; k < 4; ++k) {
      const float c = v[4 * t + k];
      s[k] = s[k] + c * x0;
      s[4 + k] = s[4 + k] + c * x1;
      s[8 + k] = s[8 + k] + c * x2;
    }
  }
  for (int k = 0; k < 12; ++k) out[k] = s[k];
}

template <class Kernel>
void measure(const char* name, Kernel kernel, double multiply_adds_per_step) {
  const int steps = 512, repeats = 100000;
  std::vector<float> x(24 * (steps + 1), 0.5f), v(8 * steps, 0.25f);
  Vec out[12];
  const auto start = std::chrono::steady_clock::now();
  for (int r = 0; r < repeats; ++r) {
    kernel(x.data(), v.data(), steps, out);
    x[r % 8] += 1e-9f;  // keeps the calls from being merged
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double per_step = seconds / (static_cast<double>(steps) * repeats);
  std::printf("%s: %.3f ns per step, %.2f GMAC/s (check %g)\n", name, per_step * 1e9,
              multiply_adds_per_step / per_step / 1e9, static_cast<double>(out[0][0]));
}

int main() {
  measure("8 rows x 8 columns", tile_8x8, 64);
  measure("24 rows x 4 columns", tile_24x4, 96);
}
