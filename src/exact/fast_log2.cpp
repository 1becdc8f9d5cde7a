#include "recallbound/exact/fast_log2.hpp"

#include "recallbound/exact/interval.hpp"

namespace recallbound {

const FastLog2Table& fast_log2_table() {
  static const FastLog2Table table = [] {
    FastLog2Table t;
    for (std::size_t i = 0; i < FastLog2Table::cells; ++i) {
      double centre = 1 + static_cast<double>(2 * i + 1) * 0x1p-9;  // exact
      t.inverse_centre[i] = 1 / centre;
      Interval exact_centre(Rational(centre), 128), log2_centre(128);
      mpfi_log2(log2_centre.raw(), exact_centre.raw());
      // Nearest double to the left end: within half an ulp plus the enclosure's width (< 2^-120).
      t.log2_centre[i] = mpfr_get_d(&log2_centre.raw()->left, MPFR_RNDN);
    }
    return t;
  }();
  return table;
}

}  // namespace recallbound
