#pragma once
// Proof scripts (proofs/README.md, "Proof scripts"): declarations, hypotheses and numbered steps,
// each step citing a rule and earlier steps. The kernel checks them line by line with exact
// arithmetic only and stops at the first step that does not follow.
//
// Shannon-type steps are justified by certificates (proofs/CERTIFICATE.md). The kernel does not
// search for them: the caller passes a CertificateSource (the `check` command asks the untrusted
// LP prover), and the kernel accepts the step only if the certificate it gets back is a proof of
// exactly the problem the step states, as judged by check_certificate. A verified counterexample
// is reported as the reason the step fails.
#include "recallbound/kernel/certificate.hpp"

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace recallbound::kernel {

/// Returns a certificate for `problem` (proof or counterexample), or nothing if it has none.
using CertificateSource = std::function<std::optional<Certificate>(const Problem& problem)>;

struct ScriptVerdict {
  bool verified = false;
  std::string title;
  /// Verified: the theorem the script proves, e.g. "N*log2(V) - ... <= B" and its hypotheses.
  std::string conclusion;
  std::vector<std::string> hypotheses;
  /// Rejected: where and why ("FILE:LINE:COLUMN: step 7 (shannon): ...").
  std::size_t failed_line = 0;
  std::size_t failed_column = 0;
  std::size_t failed_step = 0;
  std::string failure;
  std::size_t steps_checked = 0;
  std::size_t certificates_checked = 0;
};

/// Checks a proof script. A malformed script (syntax, undeclared names) throws Error::bad_input
/// "FILE:LINE:COLUMN: message"; a well-formed script whose proof fails gets verified == false.
ScriptVerdict check_script(std::string_view text, std::string_view file, const CertificateSource& certificates);

}  // namespace recallbound::kernel
