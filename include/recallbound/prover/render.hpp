#pragma once
// Human-readable and LaTeX renderings of certificates the kernel accepted: the goal's direction
// written as a sum of named nonnegative Shannon terms and given (zero or nonnegative) terms, short
// enough to paste into an appendix. Renderings are not checked; the certificate is the proof.
#include "recallbound/kernel/certificate.hpp"

#include <string>

namespace recallbound::prover {

/// Plain text; for a counterexample, the violated direction, the amount and the point.
std::string render_text(const kernel::Certificate& certificate);
/// A LaTeX `align*` environment per direction (proof) or a table of the point (counterexample).
std::string render_latex(const kernel::Certificate& certificate);

}  // namespace recallbound::prover
