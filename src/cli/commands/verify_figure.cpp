#include "verify_figure.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>

namespace recallbound::cli {
namespace {

constexpr double width = 640, height = 420, left = 70, right = 20, top = 30, bottom = 50;

// A readable axis maximum: 1, 2 or 5 times a power of ten, at least `value`.
double nice_ceiling(double value) {
  if (!(value > 0)) return 1;
  const double p = std::pow(10, std::floor(std::log10(value)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * p >= value) return m * p;
  return 10 * p;
}

const char* verdict_color(verify::Verdict v) {
  switch (v) {
    case verify::Verdict::violation: return "#c62828";
    case verify::Verdict::consistent: return "#2e7d32";
    case verify::Verdict::inconclusive: return "#f9a825";
  }
  return "#000";
}

}  // namespace

void write_verify_figure(std::ostream& out, const verify::Report& report, bool zoom_to_recalled) {
  double max_pairs = 0, max_bits = 0, max_state = 0;
  for (const auto& r : report.rows) {
    const double n = r.observation.pairs.convert_to<double>();
    max_pairs = std::max(max_pairs, n);
    max_state = std::max(max_state, r.state_bits.midpoint_double());
    max_bits = std::max(max_bits, r.bits_upper.midpoint_double());
    if (!zoom_to_recalled)
      max_bits = std::max({max_bits, r.state_bits.midpoint_double(), n * std::log2(r.observation.vocab.convert_to<double>())});
  }
  const double xmax = nice_ceiling(max_pairs), ymax = nice_ceiling(max_bits * 1.05);
  auto x = [&](double n) { return left + (width - left - right) * n / xmax; };
  auto y = [&](double b) { return height - bottom - (height - top - bottom) * std::clamp(b, 0.0, ymax) / ymax; };

  out << fmt::format(R"(<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" font-family="sans-serif" font-size="12">)",
                     width, height)
      << "\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  out << fmt::format("<text x=\"{}\" y=\"18\" font-size=\"14\">recalled bits vs pairs: {}</text>\n", left,
                     verify::verdict_name(report.verdict));
  // Axes and ticks.
  out << fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"black\"/>\n", left, height - bottom, width - right);
  out << fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"black\"/>\n", left, top, height - bottom);
  for (int i = 0; i <= 5; ++i) {
    const double n = xmax * i / 5, b = ymax * i / 5;
    out << fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{:g}</text>\n", x(n), height - bottom + 16, n);
    out << fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{:g}</text>\n", left - 6, y(b) + 4, b);
  }
  out << fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">pairs written N</text>\n", (left + width - right) / 2, height - 12);
  out << fmt::format("<text transform=\"translate(16 {}) rotate(-90)\" text-anchor=\"middle\">bits</text>\n", (top + height - bottom) / 2);
  // Perfect recall N log2 V (the vocabulary of the first row; rows of one run share it).
  const double log_v = std::log2(report.rows.front().observation.vocab.convert_to<double>());
  const double recall_end = std::min(xmax, ymax / log_v);  // clipped where it leaves the plot
  out << fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#777\" stroke-dasharray=\"5 4\"/>\n", x(0), y(0),
                     x(recall_end), y(recall_end * log_v));
  if (max_state > ymax)
    out << fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"#1565c0\">state bits B up to {:g}: above this scale</text>\n",
                       width - right, top + 14, max_state);
  // The state's bits B: a step line through the rows (a constant when declared).
  std::string state_path;
  double previous = 0;
  for (std::size_t i = 0; i < report.rows.size(); ++i) {
    const auto& r = report.rows[i];
    const double n = r.observation.pairs.convert_to<double>(), b = r.state_bits.midpoint_double();
    state_path += fmt::format("{}{:.2f},{:.2f} ", i == 0 ? "M" : "L", x(i == 0 ? 0 : previous), y(b));
    state_path += fmt::format("L{:.2f},{:.2f} ", x(i + 1 == report.rows.size() ? xmax : n), y(b));
    previous = n;
  }
  out << "<path d=\"" << state_path << "\" fill=\"none\" stroke=\"#1565c0\" stroke-width=\"2\"/>\n";
  // Rows: the point estimate with its confidence bounds.
  for (const auto& r : report.rows) {
    const double n = r.observation.pairs.convert_to<double>();
    out << fmt::format("<line x1=\"{0:.2f}\" y1=\"{1:.2f}\" x2=\"{0:.2f}\" y2=\"{2:.2f}\" stroke=\"{3}\" stroke-width=\"2\"/>\n", x(n),
                       y(r.bits_lower.midpoint_double()), y(r.bits_upper.midpoint_double()), verdict_color(r.verdict));
    out << fmt::format("<circle cx=\"{:.2f}\" cy=\"{:.2f}\" r=\"4\" fill=\"{}\"/>\n", x(n), y(r.bits_estimate.midpoint_double()),
                       verdict_color(r.verdict));
  }
  // Legend.
  const double lx = left + 12, ly = top + 10;
  out << fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"#1565c0\" stroke-width=\"2\"/>"
                     "<text x=\"{3}\" y=\"{4}\">state bits B</text>\n", lx, ly, lx + 24, lx + 30, ly + 4);
  out << fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"#777\" stroke-dasharray=\"5 4\"/>"
                     "<text x=\"{3}\" y=\"{4}\">perfect recall N log2 V</text>\n", lx, ly + 18, lx + 24, lx + 30, ly + 22);
  out << fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"4\" fill=\"#555\"/><text x=\"{}\" y=\"{}\">Fano bits N D(eps, V), "
                     "bars: confidence bounds</text>\n", lx + 12, ly + 36, lx + 30, ly + 40);
  out << "</svg>\n";
}

}  // namespace recallbound::cli
