#pragma once
// SVG figures for talks: the efficiency / compactness / recall triangle with the catalog placed in
// it and the hybrids' paths, and the certified recall bound against context length. Coordinates
// are doubles: figures are for looking at, never for deciding anything.
#include "recallbound/catalog/triangle.hpp"

#include <string>
#include <utility>
#include <vector>

namespace recallbound::catalog {

struct PlacedEntry {
  std::string id;
  TrianglePlace place;
};

struct HybridPathFigure {
  std::string id;
  std::string parameter;
  std::vector<std::pair<std::string, FigurePoint>> points;  // (parameter value, position)
};

/// The triangle: entries grouped by their exact class, hybrid paths drawn at finite context.
std::string triangle_svg(const std::vector<PlacedEntry>& entries, const std::vector<HybridPathFigure>& paths);

struct RecallSeries {
  std::string name;
  std::vector<std::pair<double, double>> points;  // (context T, certified max pairs), both > 0
};

/// Log-log plot of certified max pairs against context, with the line N = T / 2 (the pairs a
/// context of T tokens holds) for reference. `subtitle` states V, eps and the number format.
std::string recall_vs_context_svg(const std::vector<RecallSeries>& series, const std::string& subtitle);

}  // namespace recallbound::catalog
