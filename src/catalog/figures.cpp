// Hand-written SVG (no plotting dependency): fixed canvas, explicit coordinates, escaped text.
#include "recallbound/catalog/figures.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <map>

namespace recallbound::catalog {
namespace {

constexpr const char* palette[] = {"#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02",
                                   "#a6761d", "#1f78b4", "#b2182b", "#4d4d4d", "#8c510a", "#01665e",
                                   "#762a83", "#35978f", "#f46d43", "#4393c3"};
constexpr std::size_t palette_size = sizeof(palette) / sizeof(palette[0]);

std::string escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

struct Point {
  double x, y;
};

std::string text(Point at, const std::string& content, int size, const std::string& anchor = "middle",
                 const std::string& extra = "") {
  return fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"{}\" text-anchor=\"{}\"{}>{}</text>\n", at.x, at.y,
                     size, anchor, extra, escape(content));
}

// Names listed in columns inside a box, top-left at `at`.
std::string name_list(Point at, const std::string& heading, const std::vector<std::string>& names, std::size_t columns,
                      double column_width) {
  std::string out = text({at.x, at.y}, heading, 14, "start", " font-weight=\"bold\"");
  std::size_t rows = (names.size() + columns - 1) / std::max<std::size_t>(columns, 1);
  for (std::size_t i = 0; i < names.size(); ++i) {
    std::size_t column = i / std::max<std::size_t>(rows, 1), row = i % std::max<std::size_t>(rows, 1);
    out += text({at.x + static_cast<double>(column) * column_width, at.y + 17.0 + 13.0 * static_cast<double>(row)}, names[i],
                11, "start", " fill=\"#333\"");
  }
  return out;
}

}  // namespace

std::string triangle_svg(const std::vector<PlacedEntry>& entries, const std::vector<HybridPathFigure>& paths) {
  const double width = 1280, height = 1060;
  const Point E{170, 615}, C{730, 615}, R{450, 130};  // equilateral: side 560, height 485
  auto mix = [&](double e, double c, double r) {
    return Point{e * E.x + c * C.x + r * R.x, e * E.y + c * C.y + r * R.y};
  };
  std::map<std::string, std::vector<std::string>> groups;
  for (const auto& entry : entries) groups[entry.place.label()].push_back(entry.id);

  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
      "font-family=\"Helvetica, Arial, sans-serif\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n",
      width, height);
  svg += text({width / 2, 32}, "Efficiency, compactness, recall: no architecture has all three", 22, "middle",
              " font-weight=\"bold\"");
  svg += text({width / 2, 56},
              fmt::format("{} catalog entries, classified exactly from their formulas (growth in context length T)",
                          entries.size()),
              13, "middle", " fill=\"#555\"");
  // The triangle, its impossible centre and the impossible C-R edge.
  svg += fmt::format("<polygon points=\"{:.1f},{:.1f} {:.1f},{:.1f} {:.1f},{:.1f}\" fill=\"#f7f7f7\" stroke=\"#222\" stroke-width=\"2\"/>\n",
                     E.x, E.y, C.x, C.y, R.x, R.y);
  svg += fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#b2182b\" stroke-width=\"4\" stroke-dasharray=\"10,6\"/>\n",
                     C.x, C.y, R.x, R.y);
  Point centre = mix(1.0 / 3, 1.0 / 3, 1.0 / 3);
  svg += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"34\" fill=\"#fde0dd\" stroke=\"#b2182b\"/>\n", centre.x, centre.y);
  svg += text({centre.x, centre.y - 3}, "E+C+R", 13, "middle", " fill=\"#b2182b\" font-weight=\"bold\"");
  svg += text({centre.x, centre.y + 13}, "empty", 11, "middle", " fill=\"#b2182b\"");
  Point cr_mid = mix(0, 0.5, 0.5);
  svg += text({cr_mid.x + 18, cr_mid.y - 10}, "C+R impossible:", 12, "start", " fill=\"#b2182b\" font-weight=\"bold\"");
  svg += text({cr_mid.x + 18, cr_mid.y + 6}, "recall of N ~ T pairs needs", 12, "start", " fill=\"#b2182b\"");
  svg += text({cr_mid.x + 18, cr_mid.y + 21}, "B >= N D(eps,V) ~ T bits of state", 12, "start", " fill=\"#b2182b\"");
  // Vertex labels.
  svg += text({E.x - 10, E.y + 30}, "Efficiency", 17, "middle", " font-weight=\"bold\"");
  svg += text({E.x - 10, E.y + 47}, "per-token cost O(1) in T", 11, "middle", " fill=\"#555\"");
  svg += text({C.x + 10, C.y + 30}, "Compactness", 17, "middle", " font-weight=\"bold\"");
  svg += text({C.x + 10, C.y + 47}, "state O(1) in T", 11, "middle", " fill=\"#555\"");
  svg += text({R.x, R.y - 45}, "Recall", 17, "middle", " font-weight=\"bold\"");
  svg += text({R.x, R.y - 28}, "state grows >= linearly in T", 11, "middle", " fill=\"#555\"");
  // Group markers with counts.
  const std::map<std::string, Point> anchor{{"E+C", mix(0.5, 0.5, 0)}, {"R", mix(0, 0, 1)},   {"E+R", mix(0.5, 0, 0.5)},
                                            {"E", mix(1, 0, 0)},        {"C", mix(0, 1, 0)}};
  for (const auto& [label, names] : groups) {
    auto found = anchor.find(label);
    if (found == anchor.end()) continue;
    svg += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"{:.1f}\" fill=\"#2166ac\" fill-opacity=\"0.85\"/>\n",
                       found->second.x, found->second.y, 8.0 + std::sqrt(static_cast<double>(names.size())) * 2.5);
    svg += text({found->second.x, found->second.y + 4}, std::to_string(names.size()), 11, "middle",
                " fill=\"white\" font-weight=\"bold\"");
  }
  // Hybrid paths at finite context.
  for (std::size_t i = 0; i < paths.size(); ++i) {
    const auto& path = paths[i];
    const char* colour = palette[i % palette_size];
    std::string points;
    for (const auto& [value, p] : path.points) {
      Point at = mix(p.efficiency, p.compactness, p.recall);
      points += fmt::format("{:.1f},{:.1f} ", at.x, at.y);
    }
    svg += fmt::format("<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2.2\" stroke-opacity=\"0.9\"/>\n",
                       points, colour);
    for (const auto& [value, p] : path.points) {
      Point at = mix(p.efficiency, p.compactness, p.recall);
      svg += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3\" fill=\"{}\"/>\n", at.x, at.y, colour);
    }
    // Legend entry on the right.
    Point legend{850, 150.0 + 19.0 * static_cast<double>(i)};
    svg += fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"{}\" stroke-width=\"3\"/>\n",
                       legend.x, legend.y - 4, legend.x + 24, legend.y - 4, colour);
    std::string range = path.points.empty() ? "" : path.points.front().first + " .. " + path.points.back().first;
    svg += text({legend.x + 30, legend.y}, path.id + "  (" + path.parameter + " " + range + ")", 12, "start");
  }
  svg += text({850, 128}, "Hybrid paths (position at finite context)", 14, "start", " font-weight=\"bold\"");
  double legend_end = 150.0 + 19.0 * static_cast<double>(paths.size());
  svg += text({850, legend_end + 4}, "E = 1 - cost slope, C = 1 - state slope, R = state slope;", 11, "start", " fill=\"#555\"");
  svg += text({850, legend_end + 19}, "slopes of log-log growth between T = 2^10 and 2^20", 11, "start", " fill=\"#555\"");
  // Lists of names per class.
  double y = 710;
  for (const std::string label : {"E+C", "R", "E+R", "E", "C", "none"}) {
    auto found = groups.find(label);
    if (found == groups.end()) continue;
    std::vector<std::string> names = found->second;
    std::sort(names.begin(), names.end());
    std::string heading = label + " (" + std::to_string(names.size()) + ")";
    svg += name_list({40, y}, heading, names, 6, 190);
    y += 36.0 + 13.0 * std::ceil(static_cast<double>(names.size()) / 6.0);
  }
  svg += "</svg>\n";
  return svg;
}

std::string recall_vs_context_svg(const std::vector<RecallSeries>& series, const std::string& subtitle) {
  const double width = 1000, height = 680;
  const double left = 110, right = 760, top = 90, bottom = 590;
  double x_min = 1e300, x_max = 0, y_min = 1e300, y_max = 0;
  for (const auto& s : series)
    for (const auto& [x, y] : s.points) {
      if (x <= 0 || y <= 0) continue;
      x_min = std::min(x_min, x), x_max = std::max(x_max, x);
      y_min = std::min(y_min, y), y_max = std::max(y_max, y);
    }
  if (x_max <= 0) x_min = 1, x_max = 10, y_min = 1, y_max = 10;
  // The reference line N = T / 2 must be visible too.
  y_min = std::min(y_min, x_min / 2), y_max = std::max(y_max, x_max / 2);
  double lx0 = std::floor(std::log10(x_min)), lx1 = std::ceil(std::log10(x_max));
  double ly0 = std::floor(std::log10(y_min)), ly1 = std::ceil(std::log10(y_max));
  if (lx1 <= lx0) lx1 = lx0 + 1;
  if (ly1 <= ly0) ly1 = ly0 + 1;
  auto px = [&](double x) { return left + (std::log10(x) - lx0) / (lx1 - lx0) * (right - left); };
  auto py = [&](double y) { return bottom - (std::log10(y) - ly0) / (ly1 - ly0) * (bottom - top); };

  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
      "font-family=\"Helvetica, Arial, sans-serif\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n",
      width, height);
  svg += text({width / 2, 32}, "Certified recall bound against context length", 21, "middle", " font-weight=\"bold\"");
  svg += text({width / 2, 54}, subtitle, 13, "middle", " fill=\"#555\"");
  // Grid and axes with decade ticks.
  for (double d = lx0; d <= lx1; d += 1) {
    double x = left + (d - lx0) / (lx1 - lx0) * (right - left);
    svg += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1}\" x2=\"{0:.1f}\" y2=\"{2}\" stroke=\"#e5e5e5\"/>\n", x, top, bottom);
    svg += text({x, bottom + 20}, fmt::format("1e{}", static_cast<int>(d)), 12);
  }
  for (double d = ly0; d <= ly1; d += 1) {
    double y = bottom - (d - ly0) / (ly1 - ly0) * (bottom - top);
    svg += fmt::format("<line x1=\"{0}\" y1=\"{1:.1f}\" x2=\"{2}\" y2=\"{1:.1f}\" stroke=\"#e5e5e5\"/>\n", left, y, right);
    svg += text({left - 8, y + 4}, fmt::format("1e{}", static_cast<int>(d)), 12, "end");
  }
  svg += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#222\"/>\n", left, top,
                     right - left, bottom - top);
  svg += text({(left + right) / 2, bottom + 45}, "context length T (tokens)", 14);
  svg += text({28, (top + bottom) / 2}, "certified max pairs N", 14, "middle",
              fmt::format(" transform=\"rotate(-90 28 {:.1f})\"", (top + bottom) / 2));
  // Reference: a context of T tokens holds T / 2 key-value pairs.
  svg += fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#999\" stroke-width=\"2\" stroke-dasharray=\"8,5\"/>\n",
                     px(std::pow(10, lx0)), py(std::pow(10, lx0) / 2), px(std::pow(10, lx1)), py(std::pow(10, lx1) / 2));
  for (std::size_t i = 0; i < series.size(); ++i) {
    const char* colour = palette[i % palette_size];
    std::string points;
    for (const auto& [x, y] : series[i].points)
      if (x > 0 && y > 0) points += fmt::format("{:.1f},{:.1f} ", px(x), py(y));
    svg += fmt::format("<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2.5\"/>\n", points, colour);
    double ly = top + 10 + 22.0 * static_cast<double>(i);
    svg += fmt::format("<line x1=\"{}\" y1=\"{:.1f}\" x2=\"{}\" y2=\"{:.1f}\" stroke=\"{}\" stroke-width=\"3\"/>\n", right + 20,
                       ly, right + 46, ly, colour);
    svg += text({right + 52, ly + 4}, series[i].name, 13, "start");
  }
  double ly = top + 10 + 22.0 * static_cast<double>(series.size());
  svg += fmt::format("<line x1=\"{}\" y1=\"{:.1f}\" x2=\"{}\" y2=\"{:.1f}\" stroke=\"#999\" stroke-width=\"2\" stroke-dasharray=\"8,5\"/>\n",
                     right + 20, ly, right + 46, ly);
  svg += text({right + 52, ly + 4}, "N = T / 2 (pairs in context)", 13, "start");
  svg += text({right + 20, ly + 30}, "Below the dashed line a model", 11, "start", " fill=\"#555\"");
  svg += text({right + 20, ly + 44}, "cannot recall every pair its", 11, "start", " fill=\"#555\"");
  svg += text({right + 20, ly + 58}, "context holds, whatever its", 11, "start", " fill=\"#555\"");
  svg += text({right + 20, ly + 72}, "weights.", 11, "start", " fill=\"#555\"");
  svg += "</svg>\n";
  return svg;
}

}  // namespace recallbound::catalog
