// The proof-script kernel: the family schemata cross-checked against the LP prover for N = 2..6,
// fail-closed behaviour with missing or forged certificates, exact numeric steps against closed
// forms, the rejected files, and malformed input.
#include "proof_files.hpp"

#include "recallbound/error.hpp"

#include <doctest/doctest.h>

#include <regex>

namespace {

using recallbound::kernel::check_script;
using recallbound::kernel::CertificateSource;

std::string names(const std::string& stem, std::size_t n) {
  std::string text;
  for (std::size_t i = 1; i <= n; ++i) text += (i > 1 ? "," : "") + stem + std::to_string(i);
  return text;
}

bool proved(const std::string& goal, const std::vector<std::string>& givens) {
  const auto problem = recallbound::kernel::make_problem(goal, givens);
  const auto result = recallbound::prover::prove(problem);
  // The prover's word is not enough: the kernel checks the certificate against the problem.
  return result.proved && recallbound::kernel::check_certificate(result.certificate, problem).verified;
}

const CertificateSource no_certificates = [](const recallbound::kernel::Problem&) {
  return std::optional<recallbound::kernel::Certificate>();
};

std::string closed_script(const std::string& body) {
  return "recallbound-proof 1\nsymbol N integer >= 1\n" + body + "end\n";
}

}  // namespace

TEST_CASE("subadditivity schema: its instances N = 2..6 are Shannon theorems, and the reverse is not") {
  for (std::size_t n = 2; n <= 6; ++n) {
    std::string sum;
    for (std::size_t i = 1; i <= n; ++i) sum += (i > 1 ? " + " : "") + ("H(X" + std::to_string(i) + "|Z)");
    CHECK_MESSAGE(proved("H(" + names("X", n) + "|Z) <= " + sum, {}), "N = " << n);
    CHECK_MESSAGE(!proved("H(" + names("X", n) + "|Z) >= " + sum, {}), "N = " << n);
  }
}

TEST_CASE("independence schema: mutual independence gives the sum, N = 2..6: without it, no") {
  for (std::size_t n = 2; n <= 6; ++n) {
    std::string sum, bars;
    for (std::size_t i = 1; i <= n; ++i) {
      sum += (i > 1 ? " + " : "") + ("H(X" + std::to_string(i) + ")");
      bars += (i > 1 ? " || " : "") + ("X" + std::to_string(i));
    }
    CHECK_MESSAGE(proved("H(" + names("X", n) + ") = " + sum, {bars}), "N = " << n);
    CHECK_MESSAGE(!proved("H(" + names("X", n) + ") = " + sum, {}), "N = " << n);
  }
}

TEST_CASE("sum of N equal terms: the LP prover agrees for N = 2..6, and the kernel normalises it") {
  for (std::size_t n = 2; n <= 6; ++n) {
    std::string sum;
    std::vector<std::string> equal;
    for (std::size_t i = 1; i <= n; ++i) {
      sum += (i > 1 ? " + " : "") + ("H(X" + std::to_string(i) + ")");
      if (i > 1) equal.push_back("H(X" + std::to_string(i) + ") = H(X1)");
    }
    CHECK_MESSAGE(proved(sum + " = " + std::to_string(n) + "*H(X1)", equal), "N = " << n);
    CHECK_MESSAGE(!proved(sum + " = " + std::to_string(n) + "*H(X1)", {}), "N = " << n);
  }
  const auto holds = [](const std::string& claim) {
    const std::string text = "recallbound-proof 1\nsymbol N integer >= 1\nsymbol V integer >= 2\nindex i in 1..N\n"
                             "1. " + claim + " by linear\nconclude 1\nend\n";
    return check_script(text, "s", no_certificates).verified;
  };
  CHECK(holds("sum[i=1..N](3*log2(V)) = 3*N*log2(V)"));
  CHECK_FALSE(holds("sum[i=1..N](3*log2(V)) = 3*(N + 1)*log2(V)"));
  CHECK(holds("sum[i=1..N](1) >= 1 - 1 + N"));
}

TEST_CASE("member and data-processing steps of the theorem: instances N = 2..6") {
  for (std::size_t n = 2; n <= 6; ++n) {
    const std::string xs = names("X", n), ys = names("Y", n);
    // Step 16 with the block spelled out: conditioning on all answers beats one answer.
    CHECK(proved("H(X1|" + ys + ") <= H(X1|Y1)", {}));
    // Step 9: answers that are a function of (S, R), R independent of the values.
    CHECK(proved("I(" + xs + ";" + ys + ") <= H(S)", {xs + " || R", ys + " : S,R"}));
    CHECK(!proved("I(" + xs + ";" + ys + ") <= H(S)", {ys + " : S,R"}));
  }
}

TEST_CASE("every proof verifies, every rejected file fails at its named line") {
  const auto source = recallbound::test::prover_source();
  for (const auto& file : recallbound::test::proof_files(false)) {
    const auto verdict = check_script(recallbound::test::join(recallbound::test::read_lines(file)), file, source);
    CHECK_MESSAGE(verdict.verified, file << ": " << verdict.failure);
  }
  const auto rejected = recallbound::test::proof_files(true);
  CHECK(rejected.size() >= 5);
  for (const auto& file : rejected) {
    const auto lines = recallbound::test::read_lines(file);
    std::size_t expected = 0;
    for (const auto& line : lines)
      if (line.rfind("# expect-rejected-at: ", 0) == 0) expected = std::stoul(line.substr(22));
    const auto verdict = check_script(recallbound::test::join(lines), file, source);
    CHECK_MESSAGE(!verdict.verified, file);
    CHECK_MESSAGE(verdict.failed_line == expected, file << ": " << verdict.failure);
  }
}

TEST_CASE("fails closed: no certificate, or a certificate for another problem") {
  const std::string dpi = recallbound::test::join(
      recallbound::test::read_lines(recallbound::test::source_dir() + "/proofs/data_processing.proof"));
  const auto without = check_script(dpi, "dpi", no_certificates);
  CHECK_FALSE(without.verified);
  CHECK(without.failure.find("step 2 (shannon): no certificate") != std::string::npos);
  // A genuine proof certificate, but of a different (true) inequality.
  const auto other = recallbound::prover::prove(recallbound::kernel::make_problem("I(A;B) <= H(A)", {}));
  REQUIRE(other.proved);
  const CertificateSource forged = [&](const recallbound::kernel::Problem&) {
    return std::optional<recallbound::kernel::Certificate>(other.certificate);
  };
  const auto with_forged = check_script(dpi, "dpi", forged);
  CHECK_FALSE(with_forged.verified);
  CHECK(with_forged.failure.find("certificate for this Shannon step was rejected") != std::string::npos);
}

TEST_CASE("numeric steps are decided exactly, including exact zeros") {
  // D(1/2, 2) = 1 - h2(1/2) - (1/2) log2 1 = 0 exactly: '>= 0' and '= 0' hold, '> 0' does not.
  const auto check = [](const std::string& claim) {
    return check_script(closed_script("1. " + claim + " by numeric\nconclude 1\n"), "n", no_certificates).verified;
  };
  CHECK(check("D(1/2, 2) >= 0"));
  CHECK(check("D(1/2, 2) = 0"));
  CHECK_FALSE(check("D(1/2, 2) > 0"));
  CHECK(check("D(1/100, 32000) > 0"));
  CHECK(check("log2(8) = 3"));
  CHECK_FALSE(check("log2(8) = 3 + 1/1000000000000"));
  CHECK(check("h2(1/4) = 2 - 3/4*log2(3)"));
  CHECK_FALSE(check("h2(2) >= 0"));  // outside the domain: rejected, not evaluated
}

TEST_CASE("max-integer and min-integer against closed forms (eps = 0, V a power of two)") {
  // With eps = 0 and V = 2^k, D = k, so N <= floor(B / k) and B >= ceil(N * k), exactly.
  const auto max_pairs = [](const std::string& v, const std::string& b, const std::string& k) {
    const std::string body = "symbol M integer >= 0\n1. hypothesis M*D(0, " + v + ") <= " + b + "\n2. M <= " + k +
                             " by max-integer 1\nconclude 2\n";
    return check_script(closed_script(body), "m", no_certificates).verified;
  };
  CHECK(max_pairs("2", "1000", "1000"));
  CHECK(max_pairs("8", "1000", "333"));
  CHECK_FALSE(max_pairs("8", "1000", "334"));
  CHECK_FALSE(max_pairs("8", "1000", "332"));
  CHECK(max_pairs("4", "7/2", "1"));
  CHECK(max_pairs("1024", "30", "3"));
  const auto min_bits = [](const std::string& n, const std::string& k) {
    const std::string body = "symbol B integer >= 0\n1. hypothesis " + n + "*D(0, 8) <= B\n2. B >= " + k +
                             " by min-integer 1\nconclude 2\n";
    return check_script(closed_script(body), "b", no_certificates).verified;
  };
  CHECK(min_bits("7", "21"));
  CHECK_FALSE(min_bits("7", "22"));
  CHECK(min_bits("7/3", "7"));
}

TEST_CASE("indices, unused steps and declarations") {
  const std::string head =
      "recallbound-proof 1\nsymbol N integer >= 1\nindex i in 1..N\nsymbol e[i] real >= 0 <= 1\n";
  // A step for each i cannot be used as if it held for one particular term without the index.
  const auto indexed = check_script(head + "1. hypothesis e[i] <= 1/2\n2. 0 <= 1/2 by linear 1\nconclude 2\nend\n", "x",
                                    no_certificates);
  CHECK_FALSE(indexed.verified);
  CHECK(indexed.failure.find("holds for each i") != std::string::npos);
  // Summing keeps it sound: sum e[i] <= N/2.
  CHECK(check_script(head + "1. hypothesis e[i] <= 1/2\n2. sum[i=1..N](e[i]) <= 1/2*N by sum 1\nconclude 2\nend\n", "x",
                     no_certificates).verified);
  const auto unused = check_script(head + "1. hypothesis e[i] <= 1/2\n2. 1 >= 0 by numeric\nconclude 2\nend\n", "x",
                                   no_certificates);
  CHECK_FALSE(unused.verified);
  CHECK(unused.failure == "x:5:1: step 1 is not used by the conclusion (step 2)");
  const auto broken = check_script("recallbound-proof 1\nsymbol N integer >= 1 = 0\n1. N >= 0 by numeric\nconclude 1\nend\n",
                                   "y", no_certificates);
  CHECK_FALSE(broken.verified);
  CHECK(broken.failed_line == 2);
}

TEST_CASE("malformed scripts: bad_input with file:line:column") {
  const auto message = [](const std::string& text) {
    try {
      check_script(text, "f.proof", no_certificates);
    } catch (const recallbound::Error& e) {
      CHECK(e.kind() == recallbound::ErrorKind::bad_input);
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  CHECK(message("proof 1\nend\n") == "f.proof:1:1: a proof script starts with the line `recallbound-proof 1`");
  CHECK(message("recallbound-proof 1\nvariables X\n1. H(X) >= 0 by shannon\n") == "f.proof:4:1: the script must end with `end`");
  CHECK(message("recallbound-proof 1\nvariables X\n1. H(Y) >= 0 by shannon\nconclude 1\nend\n") ==
        "f.proof:3:6: unknown random variable 'Y' (declare it with `variables` or `family`)");
  CHECK(message("recallbound-proof 1\nvariables X\n1. H(X) >= 0 by shannon\n1. H(X) >= 0 by shannon\nconclude 1\nend\n") ==
        "f.proof:4:1: step numbers must be positive and increasing");
  CHECK(message("recallbound-proof 1\nsymbol N integer\n1. N $ 0 by numeric\nconclude 1\nend\n") ==
        "f.proof:3:6: unexpected character '$'");
  CHECK(message("recallbound-proof 1\nvariables X\n1. X >= 0 by numeric\nconclude 1\nend\n") ==
        "f.proof:3:4: the random variable 'X' may only appear inside H(...) or I(...)");
  CHECK(message("recallbound-proof 1\nsymbol sum integer\nend\n") == "f.proof:2:8: 'sum' is a reserved word");
  // Names follow the problem grammar's rule (letters and digits, then primes): X'1 is two tokens.
  CHECK(message("recallbound-proof 1\nvariables X'1\nend\n") != "accepted");
  CHECK(message("recallbound-proof 1\nvariables X', Y1'\n1. H(X', Y1') >= H(X') by shannon\nconclude 1\nend\n") == "accepted");
}
