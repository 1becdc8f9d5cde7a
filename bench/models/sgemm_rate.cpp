// The machine's single-precision matrix-multiply rate: Eigen's sgemm (1024^3) compiled for one
// instruction set, on 1 thread and on 2 threads at once (one product each, GFLOP/s summed). It is
// built once per set the build machine runs (sgemm_rate_native, _avx2, _avx512; CMakeLists.txt), and
// bench/models/machine_rate.py takes the fastest as the goals' reference. The library itself is built
// for baseline x86-64 and picks its product kernel at run time (src/models/matmul.cpp), so the
// reference is measured here, outside the library: this file links nothing of it, so no Eigen
// template compiled for another instruction set is mixed in.
// Prints one JSON object: {"native_sgemm_gflops_1thread": x, "native_sgemm_gflops_2threads": y, "simd": "AVX-512"}.
// Usage: sgemm_rate_SET [repeats=7]; or sgemm_rate_SET --per-line [repeats=3]: one measurement per line
// read from stdin, printed as "GFLOPS_1THREAD GFLOPS_2THREADS" (machine_rate.py's PerLine, which
// bench/models/paired_rates.py alternates with the library's chunked forms and decoding).
#include <Eigen/Core>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

namespace {

double median_gflops(std::size_t parallel, int repeats) {
  const Eigen::Index n = 1024;
  std::vector<Eigen::MatrixXf> a(parallel, Eigen::MatrixXf::Random(n, n)), b(parallel, Eigen::MatrixXf::Random(n, n)),
      c(parallel, Eigen::MatrixXf(n, n));
  std::vector<double> seconds;
  for (int r = 0; r < repeats + 1; ++r) {  // the first run warms the caches and the page tables
    const auto start = std::chrono::steady_clock::now();
    std::vector<std::thread> pool;
    for (std::size_t i = 0; i < parallel; ++i) pool.emplace_back([&, i] { c[i].noalias() = a[i] * b[i]; });
    for (auto& thread : pool) thread.join();
    if (r > 0) seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(seconds.begin(), seconds.end());
  return 2.0 * static_cast<double>(n * n * n) * static_cast<double>(parallel) / seconds[seconds.size() / 2] / 1e9;
}

}  // namespace

#if defined(__AVX512F__)
constexpr const char* simd = "AVX-512";
#elif defined(__AVX2__) && defined(__FMA__)
constexpr const char* simd = "AVX2 and FMA";
#elif defined(__AVX__)
constexpr const char* simd = "AVX";
#else
constexpr const char* simd = "SSE2";
#endif

int main(int argc, char** argv) {
  Eigen::setNbThreads(1);
  if (argc > 1 && std::string(argv[1]) == "--per-line") {
    const int repeats = argc > 2 ? std::max(1, std::stoi(argv[2])) : 3;
    for (std::string line; std::getline(std::cin, line);) {
      const double one = median_gflops(1, repeats), two = median_gflops(2, repeats);
      std::printf("%.4f %.4f\n", one, two);
      std::fflush(stdout);
    }
    return 0;
  }
  const int repeats = argc > 1 ? std::max(1, std::stoi(argv[1])) : 7;
  const double one = median_gflops(1, repeats), two = median_gflops(2, repeats);
  std::printf("{\"native_sgemm_gflops_1thread\": %.4f, \"native_sgemm_gflops_2threads\": %.4f, \"simd\": \"%s\"}\n", one,
              two, simd);
  return 0;
}
