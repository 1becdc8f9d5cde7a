// The LP reductions (symmetry orbits, quotient by elementals the givens force to 0): each changes
// the LP that is solved, never the verdict or what the kernel accepts. The oracle is the unreduced
// LP (ProverOptions::reduce = false) and closed-form counts.
#include "prover/quotient.hpp"
#include "prover/symmetry.hpp"
#include "prover/zero_closure.hpp"
#include "recallbound/prover/prover.hpp"

#include <doctest/doctest.h>

#include <bit>
#include <random>

using namespace recallbound;
using namespace recallbound::prover;
using kernel::LinearForm;
using kernel::VariableSet;

namespace {

ProverOptions unreduced() {
  ProverOptions options;
  options.reduce = false;
  return options;
}

std::vector<detail::ReducedComponent> components_of(const kernel::Problem& problem) {
  std::vector<detail::ReducedComponent> result;
  for (std::size_t j = 0; j < problem.givens.size(); ++j) {
    const auto expanded = problem.givens[j].components();
    for (std::size_t k = 0; k < expanded.size(); ++k)
      result.push_back({j + 1, k + 1, expanded[k].form, expanded[k].equality});
  }
  return result;
}

std::string chain(std::size_t n) {
  std::string text;
  for (std::size_t i = 1; i <= n; ++i) text += (text.empty() ? "X" : " -> X") + std::to_string(i);
  return text;
}

/// Han's inequality for n variables with coefficient `factor` on the joint entropy (n - 1 is the true one).
std::string han(std::size_t n, std::size_t factor = 0) {
  if (factor == 0) factor = n - 1;
  std::string lhs, all;
  for (std::size_t i = 1; i <= n; ++i) {
    std::string set;
    for (std::size_t j = 1; j <= n; ++j)
      if (j != i) set += (set.empty() ? "X" : ",X") + std::to_string(j);
    lhs += (lhs.empty() ? "H(" : " + H(") + set + ")";
    all += (all.empty() ? "X" : ",X") + std::to_string(i);
  }
  return lhs + " >= " + std::to_string(factor) + "*H(" + all + ")";
}

}  // namespace

TEST_CASE("recognise_zero_fact: conditional independence, mutual independence, functional dependence") {
  const VariableSet a = 1, b = 2, c = 4, d = 8;
  const auto ci = detail::recognise_zero_fact(LinearForm::mutual_information(a | d, b, c).scaled(Rational(3)), 7);
  REQUIRE(ci.has_value());
  CHECK(ci->component == 7);
  CHECK(ci->scale == 3);
  REQUIRE(ci->parts.size() == 1);
  CHECK(((ci->parts[0].a == (a | d) && ci->parts[0].b == b) || (ci->parts[0].a == b && ci->parts[0].b == (a | d))));
  CHECK(ci->parts[0].c == c);
  LinearForm independence = LinearForm::entropy(a) + LinearForm::entropy(b) + LinearForm::entropy(c | d) -
                            LinearForm::entropy(a | b | c | d);
  const auto mutual = detail::recognise_zero_fact(independence, 0);
  REQUIRE(mutual.has_value());
  CHECK(mutual->parts.size() == 2);
  const auto function = detail::recognise_zero_fact(LinearForm::conditional_entropy(c, a | b), 0);
  REQUIRE(function.has_value());
  CHECK(function->functional);
  CHECK(function->u == (a | b | c));
  CHECK(function->s == (a | b));
  // Not a nonnegative combination of elementals: H(A) - 2 H(B), and I(A;B) - I(A;C).
  CHECK_FALSE(detail::recognise_zero_fact(LinearForm::entropy(a) - LinearForm::entropy(b).scaled(Rational(2)), 0));
  CHECK_FALSE(detail::recognise_zero_fact(LinearForm::mutual_information(a, b, 0) - LinearForm::mutual_information(a, c, 0), 0));
}

TEST_CASE("the closure of a Markov chain's givens is the global Markov property (d-separation count)") {
  for (std::size_t n = 3; n <= 7; ++n) {
    const auto problem = kernel::make_problem("I(X1;X2) >= 0", {chain(n)});
    // Oracle: I(Xa;Xb|K) = 0 exactly when some member of K lies strictly between a and b.
    std::size_t separated = 0;
    for (const auto& e : detail::elemental_inequalities(n)) {
      if (!e.pair) continue;
      const VariableSet between = ((VariableSet{1} << e.j) - 1) & ~((VariableSet{1} << (e.i + 1)) - 1);
      if ((e.given & between) != 0) ++separated;
    }
    CAPTURE(n);
    CHECK(detail::forced_zero_count(n, components_of(problem)) == separated);
  }
}

TEST_CASE("pair_elemental_index agrees with the enumeration order") {
  for (std::size_t n = 2; n <= 6; ++n) {
    const auto all = detail::elemental_inequalities(n);
    for (std::size_t k = 0; k < all.size(); ++k)
      if (all[k].pair) CHECK(detail::pair_elemental_index(n, all[k].i, all[k].j, all[k].given) == k);
  }
}

TEST_CASE("a Markov chain's LP lives in n(n+1)/2 coordinates: verdicts and kernel checks match the plain LP") {
  for (std::size_t n = 4; n <= 7; ++n) {
    const std::string last = "X" + std::to_string(n);
    for (const std::string& goal : {"I(X1;" + last + ") <= I(X1;X2)", "I(X1;X2) <= I(X1;" + last + ")",
                                    "I(X1;" + last + "|X2) = 0", "H(X1," + last + ") >= H(X1) + H(X2)"}) {
      const auto problem = kernel::make_problem(goal, {chain(n)});
      const auto reduced = prove(problem);
      const auto plain = prove(problem, unreduced());
      CAPTURE(goal);
      CHECK(reduced.statistics.reduction.rfind("independence", 0) == 0);
      CHECK(plain.statistics.reduction == "none");
      CHECK(reduced.statistics.lp_rows == n * (n + 1) / 2);
      CHECK(plain.statistics.lp_rows == (std::size_t{1} << n) - 1);
      CHECK(reduced.proved == plain.proved);
      CHECK(reduced.verdict.verified);
      CHECK(kernel::check_certificate_text(kernel::write_certificate(reduced.certificate)).verified);
    }
  }
}

TEST_CASE("functional dependence and independence givens reduce too, with verified certificates") {
  const auto function = prove(kernel::make_problem("H(X,Y) = H(X)", {"Y : X"}));
  CHECK(function.proved);
  CHECK(function.statistics.reduction.rfind("independence", 0) == 0);
  CHECK(function.certificate.blocks.size() == 2);
  const auto over = prove(kernel::make_problem("H(Y) >= H(X)", {"Y : X", "I(X;Z) >= 0"}));
  CHECK_FALSE(over.proved);
  CHECK(over.verdict.verified);
  const auto independent = prove(kernel::make_problem("I(A;B|C) <= I(A;B,C)", {"A || B,C"}));
  CHECK(independent.proved == prove(kernel::make_problem("I(A;B|C) <= I(A;B,C)", {"A || B,C"}), unreduced()).proved);
}

TEST_CASE("Han's inequality is solved over orbits of S_n: the expanded certificate passes the kernel") {
  // n = 3, 4: the orbit proof is short and kept; n = 11: past the size where the plain LP is tried.
  for (const std::size_t n : {std::size_t{3}, std::size_t{4}, std::size_t{11}}) {
    const auto result = prove(kernel::make_problem(han(n), {}));
    CAPTURE(n);
    CHECK(result.proved);
    CHECK(result.statistics.reduction == "symmetry S" + std::to_string(n));
    CHECK(result.statistics.lp_rows == n);  // one row per set size
    CHECK(kernel::check_certificate_text(kernel::write_certificate(result.certificate)).verified);
    // Orbits are expanded whole: the number of terms is a sum of orbit sizes, so a multiple-free
    // count that the orbit structure fixes (every pair elemental, here).
    CHECK(result.certificate.blocks[0].terms.size() == n * (n - 1) / 2 * (std::size_t{1} << (n - 2)));
  }
}

TEST_CASE("a long orbit proof gives way to the plain LP's shorter one where that LP is cheap") {
  for (std::size_t n = 5; n <= 7; ++n) {
    CAPTURE(n);
    const auto result = prove(kernel::make_problem(han(n), {}));
    CHECK(result.proved);
    CHECK(result.statistics.reduction == "none");
    // Fewer terms than the n(n-1)/2 * 2^(n-2) pair elementals the orbit proof needs.
    CHECK(result.certificate.blocks[0].terms.size() < n * (n - 1) / 2 * (std::size_t{1} << (n - 2)));
    CHECK(kernel::check_certificate_text(kernel::write_certificate(result.certificate)).verified);
  }
  // An over-claimed Han has no proof: the symmetric LP's counterexample is kept (no second solve).
  const auto over = prove(kernel::make_problem(han(6, 6), {}));
  CHECK_FALSE(over.proved);
  CHECK(over.statistics.reduction == "symmetry S6");
}

TEST_CASE("symmetry detection: a given that breaks the symmetry shrinks or removes the group") {
  const std::vector<std::string> declared = {"X1", "X2", "X3"};
  const auto han3 = kernel::make_problem(han(3), {"X1 -> X2 -> X3"}, declared);
  auto target = kernel::direction_form(han3.goal, kernel::Direction::ge);
  auto blocks = detail::symmetry_blocks(3, target, components_of(han3));
  // I(X1;X3|X2) = 0 is fixed by swapping X1 and X3 only.
  CHECK(blocks.count == 2);
  CHECK(blocks.block_of[0] == blocks.block_of[2]);
  CHECK(blocks.block_of[0] != blocks.block_of[1]);
  CHECK(prove(han3).statistics.reduction == "symmetry S2");

  const auto broken = kernel::make_problem(han(3), {"H(X1) >= 2*H(X2)"}, declared);
  blocks = detail::symmetry_blocks(3, kernel::direction_form(broken.goal, kernel::Direction::ge), components_of(broken));
  CHECK(blocks.trivial());
  const auto result = prove(broken);
  CHECK(result.statistics.reduction == "none");
  CHECK(result.proved == prove(broken, unreduced()).proved);

  // Components permuted among themselves: one orbit of three, every member used.
  const auto pairwise = kernel::make_problem("H(A,B) + H(B,C) + H(A,C) = 2*H(A) + 2*H(B) + 2*H(C)",
                                             {"I(A;B) = 0", "I(B;C) = 0", "I(A;C) = 0"});
  blocks = detail::symmetry_blocks(3, kernel::direction_form(pairwise.goal, kernel::Direction::ge), components_of(pairwise));
  CHECK(blocks.count == 1);
  CHECK(blocks.component_orbit[0] == std::vector<std::size_t>{0, 1, 2});
  const auto proof = prove(pairwise);
  CHECK(proof.proved);
  CHECK(proof.statistics.reduction == "symmetry S3");
  REQUIRE(proof.certificate.blocks.size() == 2);
  CHECK(proof.certificate.blocks[0].uses.size() == 3);  // ge needs the givens; le is Shannon alone
  CHECK(proof.certificate.blocks[1].uses.empty());
}

TEST_CASE("random problems: reduced and plain LPs agree on every verdict (seeded)") {
  std::mt19937_64 random(20261128);
  const std::vector<std::string> names = {"A", "B", "C", "D"};
  auto pick_set = [&](std::uint64_t mask) {
    std::string text;
    for (std::size_t v = 0; v < 4; ++v)
      if (((mask >> v) & 1U) != 0) text += (text.empty() ? "" : ",") + names[v];
    return text;
  };
  const std::vector<std::vector<std::string>> given_sets = {
      {"A -> B -> C -> D"}, {"A || B || C"}, {"D : A,B"}, {"A -> B -> C", "I(A;D|B) = 0"}, {"A,B || C,D"}, {}};
  std::size_t agreed = 0, proved = 0;
  for (std::size_t trial = 0; trial < 40; ++trial) {
    std::string goal;
    for (std::size_t t = 0; t < 3; ++t) {
      const std::uint64_t a = 1 + random() % 15, b = 1 + random() % 15, c = random() % 16;
      const long coefficient = static_cast<long>(random() % 5) - 2;
      if (coefficient == 0) continue;
      goal += (coefficient > 0 ? " + " : " - ") + std::to_string(std::labs(coefficient)) + "*I(" + pick_set(a) + ";" +
              pick_set(b) + (c != 0 ? "|" + pick_set(c) : "") + ")";
    }
    if (goal.empty()) continue;
    const auto problem = kernel::make_problem(goal + " >= 0", given_sets[trial % given_sets.size()], names);
    const auto reduced = prove(problem);
    const auto plain = prove(problem, unreduced());
    CAPTURE(goal);
    CHECK(reduced.verdict.verified);
    CHECK(reduced.proved == plain.proved);
    agreed += reduced.proved == plain.proved ? 1 : 0;
    proved += reduced.proved ? 1 : 0;
  }
  CHECK(agreed >= 30);
  CHECK(proved > 0);          // both verdicts occur, so the comparison means something
  CHECK(proved < agreed);
}

TEST_CASE("cyclic covers: the cyclic shift and the reversal are detected and used, transpositions are not") {
  const std::vector<std::string> declared = {"X1", "X2", "X3", "X4", "X5"};
  const std::string cover = "H(X1,X2) + H(X2,X3) + H(X3,X4) + H(X4,X5) + H(X5,X1)";
  for (const auto& [factor, provable] : {std::pair{"2", true}, std::pair{"3", false}}) {
    const auto problem = kernel::make_problem(cover + " >= " + factor + "*H(X1,X2,X3,X4,X5)", {}, declared);
    const auto blocks = detail::symmetry_blocks(5, kernel::direction_form(problem.goal, kernel::Direction::ge), {});
    CHECK(blocks.count == 5);  // no transposition fixes a 5-cycle of pairs
    CHECK(blocks.extra_names == std::vector<std::string>{"cyclic shift", "reversal"});
    const auto reduced = prove(problem);
    CAPTURE(factor);
    CHECK(reduced.statistics.reduction == "symmetry cyclic shift + reversal");
    CHECK(reduced.statistics.lp_rows < 31);
    CHECK(reduced.proved == provable);
    CHECK(prove(problem, unreduced()).proved == provable);
    CHECK(kernel::check_certificate_text(kernel::write_certificate(reduced.certificate)).verified);
  }
  // Shifting the order of a chain's givens is not a symmetry of the components as written.
  const auto chain4 = kernel::make_problem("I(X1;X4) <= I(X2;X3)", {"X1 -> X2 -> X3 -> X4"}, {"X1", "X2", "X3", "X4"});
  CHECK(detail::symmetry_blocks(4, kernel::direction_form(chain4.goal, kernel::Direction::le), components_of(chain4)).trivial());
}
