#pragma once
// Certificates (proofs/CERTIFICATE.md) and the trusted checker (proofs/README.md).
// check_certificate is the kernel's one entry point for later proof layers: "check this linear
// information inequality certificate against this exact problem", returning a structured verdict.
#include "recallbound/kernel/problem.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace recallbound::kernel {

enum class CertificateKind { proof, counterexample };

struct TermLine {
  Rational multiplier;
  BasicQuantity quantity;
  std::size_t line = 0;
};
struct UseLine {
  std::size_t given = 0;      // 1-based
  std::size_t component = 0;  // 1-based
  Rational multiplier;
  std::size_t line = 0;
};
struct ProofBlock {
  Direction direction = Direction::ge;
  std::vector<TermLine> terms;
  std::vector<UseLine> uses;
  std::size_t line = 0;
};
struct PointValue {
  VariableSet set = 0;
  Rational value;
  std::size_t line = 0;
};

struct Certificate {
  CertificateKind kind = CertificateKind::proof;
  Problem problem;
  std::string stored_digest;
  std::vector<ProofBlock> blocks;  // proof
  Direction violated = Direction::ge;  // counterexample
  std::vector<PointValue> point;       // counterexample
};

struct Verdict {
  bool verified = false;
  CertificateKind kind = CertificateKind::proof;
  /// Empty when verified; otherwise the first failing check, e.g. "line 9: rule T: ...".
  std::string failure;
  /// Elementary checks performed (terms, uses, coordinates, elemental inequalities, ...).
  std::size_t checks = 0;
  /// Counterexample only: the (negative) value of the violated direction's form at the point.
  std::optional<Rational> violation;
  std::string digest;
};

/// Parses certificate text; throws Error::bad_input "line L: rule F|V: ..." on the first error.
Certificate parse_certificate(std::string_view text);
/// The certificate as text (what the prover writes); parse_certificate(write_certificate(c)) == c.
std::string write_certificate(const Certificate& certificate);

/// Checks every rule of proofs/README.md in order and stops at the first failure.
Verdict check_certificate(const Certificate& certificate);
/// As above, and the certificate must be about `expected` (same canonical problem text).
Verdict check_certificate(const Certificate& certificate, const Problem& expected);
/// Parse then check; a file that does not parse is REJECTED (never an exception).
Verdict check_certificate_text(std::string_view text);

}  // namespace recallbound::kernel
