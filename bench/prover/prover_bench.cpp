// Prover benchmark: Han's inequality and data processing along a Markov chain, true and
// over-claimed, n = 3..12. Reports the LP time and the exact-recovery time (rational solve of the
// basis system plus the kernel check) separately, their medians over --repeats runs, and the
// certificate size ("LP s" includes building the reduction).
// The named alternative, measured in the same run on the same problem: the unreduced LP over every
// elemental inequality (ProverOptions::reduce = false), i.e. what ITIP-style tools solve; the ratio
// is of process CPU time (medians), the verdicts must agree (else exit 1).
// Usage: prover_bench [--min-n 3] [--max-n 10] [--repeats 3] [--time-limit 600]
//                     [--unreduced-max-n 10] [--unreduced-time-limit 120]
#include "recallbound/error.hpp"
#include "recallbound/prover/prover.hpp"

#include <algorithm>
#include <ctime>
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

double cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

struct Measured {
  prover::ProverResult result;
  double lp = 0, exact = 0, cpu = 0;  // medians
  std::string failure;
};

Measured measure(const kernel::Problem& problem, const prover::ProverOptions& options, std::size_t repeats) {
  Measured m;
  std::vector<double> lp, exact, cpu;
  try {
    for (std::size_t r = 0; r < repeats; ++r) {
      const double before = cpu_seconds();
      m.result = prover::prove(problem, options);
      cpu.push_back(cpu_seconds() - before);
      lp.push_back(m.result.statistics.lp_seconds);
      exact.push_back(m.result.statistics.exact_seconds);
    }
  } catch (const Error& e) {
    m.failure = e.what();
    return m;
  }
  m.lp = median(lp);
  m.exact = median(exact);
  m.cpu = median(cpu);
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t min_n = 3, max_n = 10, repeats = 3, unreduced_max_n = 10;
  double time_limit = 600, unreduced_time_limit = 120;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const std::string value = argv[i + 1];
    if (flag == "--min-n") min_n = std::stoul(value);
    else if (flag == "--max-n") max_n = std::stoul(value);
    else if (flag == "--repeats") repeats = std::stoul(value);
    else if (flag == "--time-limit") time_limit = std::stod(value);
    else if (flag == "--unreduced-max-n") unreduced_max_n = std::stoul(value);
    else if (flag == "--unreduced-time-limit") unreduced_time_limit = std::stod(value);
  }
  std::printf("| family | n | verdict | reduction | LP rows x cols | LP s | exact s | CPU s | certificate lines | bytes "
              "| unreduced CPU s | unreduced lines | unreduced / reduced |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
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
      const auto problem = kernel::make_problem(c.goal, c.givens);
      const Measured reduced = measure(problem, {time_limit, 16, true}, repeats);
      if (!reduced.failure.empty()) {
        std::printf("| %s | %zu | %s | | | | | | | | | | |\n", c.family.c_str(), n, reduced.failure.c_str());
        std::fflush(stdout);
        continue;
      }
      std::string alternative = "| not run | | |";
      if (n <= unreduced_max_n) {
        const Measured plain = measure(problem, {unreduced_time_limit, 16, false}, repeats);
        if (!plain.failure.empty()) {
          alternative = "| over " + std::to_string(static_cast<int>(unreduced_time_limit)) + " s | | |";
        } else {
          if (plain.result.proved != reduced.result.proved) {
            std::fprintf(stderr, "verdicts differ for %s n = %zu\n", c.family.c_str(), n);
            return 1;
          }
          char buffer[160];
          std::snprintf(buffer, sizeof buffer, "| %.3f | %zu | %.1f |", plain.cpu, plain.result.statistics.certificate_lines,
                        reduced.cpu > 0 ? plain.cpu / reduced.cpu : 0.0);
          alternative = buffer;
        }
      }
      const auto& s = reduced.result.statistics;
      std::printf("| %s | %zu | %s | %s | %zu x %zu | %.3f | %.3f | %.3f | %zu | %zu %s\n", c.family.c_str(), n,
                  reduced.result.proved ? "proved" : "counterexample", s.reduction.c_str(), s.lp_rows, s.lp_columns,
                  reduced.lp, reduced.exact, reduced.cpu, s.certificate_lines, s.certificate_bytes, alternative.c_str());
      std::fflush(stdout);
    }
  }
  return 0;
}
