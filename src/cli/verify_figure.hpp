#pragma once
// The figure of a verify report: bits recalled (Fano, with its confidence bounds) against pairs
// written, the state's bits and perfect recall (N log2 V) drawn in. Plain SVG, no dependencies.
#include "recallbound/verify/check.hpp"

#include <ostream>

namespace recallbound::cli {

void write_verify_figure(std::ostream& out, const verify::Report& report);

}  // namespace recallbound::cli
