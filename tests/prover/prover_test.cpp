// The prover's pieces (exact solve, rational guesses, elemental enumeration) and whole runs whose
// answers are known in closed form.
#include "prover/exact_solve.hpp"
#include "prover/rational_approximation.hpp"
#include "prover/shannon_lp.hpp"
#include "recallbound/error.hpp"
#include "recallbound/prover/prover.hpp"

#include <doctest/doctest.h>

using namespace recallbound;
using namespace recallbound::prover;

namespace {
const auto far_future = std::chrono::steady_clock::now() + std::chrono::hours(1);
}

TEST_CASE("solve_exact: a 3x3 system with a unique rational solution, and an inconsistent one") {
  using detail::SparseRow;
  // x + y = 1, y + z = 1/2, x + z = 1/3  =>  x = 5/12, y = 7/12, z = -1/12
  std::vector<SparseRow> rows = {{{0, 1}, {1, 1}}, {{1, 1}, {2, 1}}, {{0, 1}, {2, 1}}};
  std::vector<Rational> rhs = {Rational(1), Rational(1, 2), Rational(1, 3)};
  const auto x = detail::solve_exact(rows, rhs, 3, far_future);
  REQUIRE(x.has_value());
  CHECK((*x)[0] == Rational(5, 12));
  CHECK((*x)[1] == Rational(7, 12));
  CHECK((*x)[2] == Rational(-1, 12));
  rows.push_back({{0, 2}, {1, 2}});  // 2x + 2y = 3 contradicts x + y = 1
  rhs.emplace_back(3);
  CHECK_FALSE(detail::solve_exact(rows, rhs, 3, far_future).has_value());
}

TEST_CASE("simplest_between finds the smallest-denominator rational in an interval") {
  CHECK(detail::simplest_between(Rational(3, 10), Rational(4, 10)) == Rational(1, 3));
  CHECK(detail::simplest_between(Rational(-4, 10), Rational(-3, 10)) == Rational(-1, 3));
  CHECK(detail::simplest_between(Rational(-1), Rational(1)) == 0);
  CHECK(detail::simplest_near(0.6666666666666666, 1e-9) == Rational(2, 3));
  CHECK(detail::simplest_near(2.0, 1e-9) == 2);
}

TEST_CASE("elemental inequalities: n + C(n,2) 2^(n-2) of them, each distinct") {
  for (std::size_t n = 1; n <= 6; ++n) {
    const auto all = detail::elemental_inequalities(n);
    const std::size_t pairs = n * (n - 1) / 2;
    CHECK(all.size() == n + (n >= 2 ? pairs * (std::size_t{1} << (n - 2)) : 0));
    CHECK(all.size() == detail::elemental_count(n));
  }
}

TEST_CASE("data processing is proved, its over-claim gets a counterexample") {
  const auto proved = prove(kernel::make_problem("I(X;Z) <= I(X;Y)", {"X -> Y -> Z"}));
  CHECK(proved.proved);
  CHECK(proved.verdict.verified);
  REQUIRE(proved.certificate.blocks.size() == 1);
  const auto refuted = prove(kernel::make_problem("I(X;Y) <= I(X;Z)", {"X -> Y -> Z"}));
  CHECK_FALSE(refuted.proved);
  CHECK(refuted.verdict.verified);
  REQUIRE(refuted.verdict.violation.has_value());
  CHECK(*refuted.verdict.violation < 0);
}

TEST_CASE("'=' goals need both directions: a one-sided identity fails in the other") {
  const auto both = prove(kernel::make_problem("I(X;Y,Z) = I(X;Y) + I(X;Z|Y)", {}));
  CHECK(both.proved);
  CHECK(both.certificate.blocks.size() == 2);
  const auto one_sided = prove(kernel::make_problem("H(X,Y) = H(X) + H(Y)", {}));
  CHECK_FALSE(one_sided.proved);
  CHECK(one_sided.certificate.violated == kernel::Direction::ge);  // H(X,Y) <= H(X)+H(Y) holds
}

TEST_CASE("variables that always occur together are merged, and the certificate names the originals") {
  const auto result = prove(kernel::make_problem("H(A,B,C) >= H(A,B)", {}));
  CHECK(result.proved);
  CHECK(result.statistics.merged_variables == 2);
  REQUIRE(result.merged_groups.size() == 1);
  CHECK(result.merged_groups[0] == std::vector<std::string>{"A", "B"});
  // A counterexample over merged variables is still checked over all three originals.
  const auto refuted = prove(kernel::make_problem("H(A,B) >= H(A,B,C)", {}));
  CHECK_FALSE(refuted.proved);
  CHECK(refuted.certificate.point.size() == 7);
}

TEST_CASE("the same problem gives the byte-identical certificate") {
  const auto problem = kernel::make_problem("[A;B;C;D] + I(E;B|C) + I(E;C|B) + I(B;C|E) >= -3*I(E;A,D|B,C)", {});
  const auto first = prove(problem);
  const auto second = prove(problem);
  CHECK(first.proved);
  CHECK(kernel::write_certificate(first.certificate) == kernel::write_certificate(second.certificate));
}

TEST_CASE("limits: too many variables is Error::limit, a bad time limit is bad input") {
  ProverOptions small;
  small.max_variables = 3;
  const auto problem = kernel::make_problem("I(A;B|C) + I(C;D) >= 0", {});
  CHECK_THROWS_AS(prove(problem, small), Error);
  try {
    prove(problem, small);
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::limit);
    CHECK(std::string(e.what()) ==
          "--max-variables: the problem has 4 variables after merging (4 as stated), above the limit 3; the LP would have 28 elemental inequalities");
  }
  ProverOptions zero;
  zero.time_limit_seconds = 0;
  CHECK_THROWS_WITH_AS(prove(problem, zero), "--time-limit: must be a positive number of seconds", Error);
}
