// Prover benchmark: Han's inequality and data processing along a Markov chain, true and
// over-claimed, n = 3..12. Reports the LP time and the exact-recovery time (rational solve of the
// basis system plus the kernel check) separately, their medians over --repeats runs, and the
// certificate size. The float LP alone is what ITIP-style tools do; "exact/LP" is the price of a
// certificate, measured in the same run.
// Usage: prover_bench [--min-n 3] [--max-n 10] [--repeats 3] [--time-limit 600]
#include "recallbound/error.hpp"
#include "recallbound/prover/prover.hpp"

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

using namespace recallbound;

namespace {

std::string names(std::size_t from, std::size_t to) {
  std::string s;
  for (std::size_t i = from; i <= to; ++i) s += (s.empty() ? "X" : ",X") + std::to_string(i);
  return s;
}

std::string han(std::size_t n, bool over) {
  std::string lhs;
  for (std::size_t i = 1; i <= n; ++i) {
    std::string set;
    for (std::size_t j = 1; j <= n; ++j)
      if (j != i) set += (set.empty() ? "X" : ",X") + std::to_string(j);
    lhs += (lhs.empty() ? "H(" : " + H(") + set + ")";
  }
  return lhs + " >= " + std::to_string(over ? n : n - 1) + "*H(" + names(1, n) + ")";
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t min_n = 3, max_n = 10, repeats = 3;
  double time_limit = 600;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const std::string value = argv[i + 1];
    if (flag == "--min-n") min_n = std::stoul(value);
    else if (flag == "--max-n") max_n = std::stoul(value);
    else if (flag == "--repeats") repeats = std::stoul(value);
    else if (flag == "--time-limit") time_limit = std::stod(value);
  }
  std::printf("| family | n | verdict | LP s | exact s | total s | exact/LP | LP rows x cols | certificate lines | bytes |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|---|\n");
  for (std::size_t n = min_n; n <= max_n; ++n) {
    std::string chain;
    for (std::size_t i = 1; i <= n; ++i) chain += (chain.empty() ? "X" : " -> X") + std::to_string(i);
    const std::string last = "X" + std::to_string(n);
    struct Case { std::string family, goal; std::vector<std::string> givens; };
    const std::vector<Case> cases = {
        {"han", han(n, false), {}},
        {"han over-claimed", han(n, true), {}},
        {"markov DPI", "I(X1;" + last + ") <= I(X1;X2)", {chain}},
        {"markov over-claimed", "I(X1;X2) <= I(X1;" + last + ")", {chain}},
    };
    for (const auto& c : cases) {
      std::vector<double> lp, exact;
      prover::ProverResult result;
      try {
        for (std::size_t r = 0; r < repeats; ++r) {
          result = prover::prove(kernel::make_problem(c.goal, c.givens), {time_limit, 16});
          lp.push_back(result.statistics.lp_seconds);
          exact.push_back(result.statistics.exact_seconds);
        }
      } catch (const Error& e) {
        std::printf("| %s | %zu | %s | | | | | | | |\n", c.family.c_str(), n, e.what());
        std::fflush(stdout);
        continue;
      }
      const double l = median(lp), x = median(exact);
      const auto& s = result.statistics;
      std::printf("| %s | %zu | %s | %.3f | %.3f | %.3f | %.2f | %zu x %zu | %zu | %zu |\n", c.family.c_str(), n,
                  result.proved ? "proved" : "counterexample", l, x, l + x, l > 0 ? x / l : 0.0, s.lp_rows,
                  s.lp_columns, s.certificate_lines, s.certificate_bytes);
      std::fflush(stdout);
    }
  }
  return 0;
}
