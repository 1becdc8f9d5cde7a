#pragma once
// The figure of a verify report: bits recalled (Fano, with its confidence bounds) against pairs
// written, the state's bits and perfect recall (N log2 V) drawn in. Plain SVG, no dependencies.
#include "recallbound/verify/check.hpp"

#include <ostream>

namespace recallbound::cli {

/// `zoom_to_recalled`: scale the bits axis to the recalled bits rather than to the state's bits
/// and perfect recall, which are then clipped (the state's bits named at the top when off scale),
/// so a curve far below a large state is still readable.
void write_verify_figure(std::ostream& out, const verify::Report& report, bool zoom_to_recalled = false);

}  // namespace recallbound::cli
