// The kernel's checker through its API: accepted certificates, each rule's rejection, and the
// binding of a certificate to its problem.
#include "recallbound/kernel/certificate.hpp"

#include <doctest/doctest.h>

using namespace recallbound;
using namespace recallbound::kernel;

namespace {
// I(X;Z) <= I(X;Y) given X -> Y -> Z: I(X;Y) - I(X;Z) = I(X;Y|Z) - I(X;Z|Y).
Certificate dpi_certificate() {
  Certificate c;
  c.problem = make_problem("I(X;Z) <= I(X;Y)", {"X -> Y -> Z"});
  c.stored_digest = problem_digest(c.problem);
  ProofBlock block;
  block.direction = Direction::le;
  block.terms.push_back({Rational(1), BasicQuantity{false, 0b001, 0b100, 0b010}, 0});  // X=bit 0, Z=bit 1, Y=bit 2
  block.uses.push_back({1, 1, Rational(-1), 0});
  c.blocks.push_back(block);
  return c;
}
}  // namespace

TEST_CASE("a hand-written data-processing certificate is VERIFIED and survives a text round trip") {
  const Certificate c = dpi_certificate();
  const Verdict v = check_certificate(c);
  CHECK(v.verified);
  CHECK(v.failure.empty());
  const std::string text = write_certificate(c);
  CHECK(check_certificate_text(text).verified);
  CHECK(write_certificate(parse_certificate(text)) == text);
}

TEST_CASE("each rule rejects its violation, naming the rule") {
  Certificate c = dpi_certificate();
  c.blocks[0].terms[0].multiplier = -1;
  CHECK(check_certificate(c).failure.find("rule T") != std::string::npos);
  c = dpi_certificate();
  c.blocks[0].uses[0].multiplier = 0;
  CHECK(check_certificate(c).failure.find("rule U") != std::string::npos);
  c = dpi_certificate();
  c.blocks[0].uses.clear();
  const Verdict e = check_certificate(c);
  CHECK_FALSE(e.verified);
  CHECK(e.failure == "rule E: direction le: the terms do not add up to the goal; the difference is H(Y) - H(X,Y) - H(Z,Y) + H(X,Z,Y)");
  c = dpi_certificate();
  c.blocks[0].direction = Direction::ge;
  CHECK(check_certificate(c).failure.find("rule B") != std::string::npos);
  c = dpi_certificate();
  c.stored_digest[10] = c.stored_digest[10] == '0' ? '1' : '0';
  CHECK(check_certificate(c).failure.find("rule D") != std::string::npos);
}

TEST_CASE("a certificate cannot be replayed against another problem") {
  const Certificate c = dpi_certificate();
  CHECK(check_certificate(c, make_problem("I(X;Z) <= I(X;Y)", {"X -> Y -> Z"})).verified);
  CHECK(check_certificate(c, make_problem("H(X)+H(Z)-H(X,Z) <= H(X) - H(X|Y)", {"X -> Y -> Z"})).verified);
  const Verdict other = check_certificate(c, make_problem("I(X;Y) <= I(X;Z)", {"X -> Y -> Z"}));
  CHECK_FALSE(other.verified);
  CHECK(other.failure.find("rule D") != std::string::npos);
  // A Markov chain read backwards is the same constraint; a different chain is not.
  CHECK(check_certificate(c, make_problem("I(X;Z) <= I(X;Y)", {"Z -> Y -> X"})).verified);
  CHECK_FALSE(check_certificate(c, make_problem("I(X;Z) <= I(X;Y)", {"X -> Z -> Y"})).verified);
}

TEST_CASE("counterexample: XOR point shows pairwise independence does not imply mutual independence") {
  Certificate c;
  c.kind = CertificateKind::counterexample;
  c.problem = make_problem("H(X) + H(Y) + H(Z) <= H(X,Y,Z)", {"X || Y", "Y || Z", "X || Z"});
  c.stored_digest = problem_digest(c.problem);
  c.violated = Direction::le;
  for (VariableSet s = 1; s < 8; ++s) {
    const int bits = __builtin_popcountll(s);
    c.point.push_back({s, Rational(bits == 1 ? 1 : 2), 0});  // fair bits X, Y and Z = X xor Y
  }
  const Verdict v = check_certificate(c);
  CHECK(v.verified);
  REQUIRE(v.violation.has_value());
  CHECK(*v.violation == -1);  // H(X,Y,Z) - 3 = 2 - 3
  c.point[6].value = 3;       // H(X,Y,Z) = 3: no longer a counterexample
  CHECK(check_certificate(c).failure.find("rule C") != std::string::npos);
  c.point[6].value = 5;  // above H(X)+H(Y)+H(Z): breaks an elemental inequality... and the given
  CHECK_FALSE(check_certificate(c).verified);
}

TEST_CASE("malformed text is REJECTED with its line, never accepted partially") {
  const std::string good = write_certificate(dpi_certificate());
  CHECK(check_certificate_text(good.substr(0, good.size() / 2)).failure.find("rule F") != std::string::npos);
  const Verdict v = check_certificate_text("recallbound-certificate 7\n");
  CHECK(v.failure == "line 1: rule F: unsupported certificate version '7'; this kernel reads version 1");
  CHECK_FALSE(check_certificate_text("").verified);
  CHECK_FALSE(check_certificate_text(good + "garbage\n").verified);
}
