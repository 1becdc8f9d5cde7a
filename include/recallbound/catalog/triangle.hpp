#pragma once
// The efficiency / compactness / recall triangle, derived from the formulas, never typed in.
//   Efficiency:  the per-token multiply-adds stay bounded as the context T grows (growth T^0).
//   Compactness: the persistent state stays bounded as T grows (T^0).
//   Recall:      the state grows at least linearly in T (T^1 or faster). Recalling N pairs
//                with N proportional to T needs B >= N * D(eps, V) = c T bits by the bound.
// Growth exponents are exact: each formula is evaluated at T = 2^k for large k, and the exponent
// d is the integer with 2^(d - 1/2) < f(2T) / f(T) < 2^(d + 1/2), confirmed at three doublings.
#include "recallbound/catalog/accounting.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace recallbound::catalog {

struct Growth {
  bool vanishes = false;   // the quantity is 0 for large T
  std::int64_t exponent = 0;  // f(T) = Theta(T^exponent) when !vanishes
  [[nodiscard]] std::string to_string() const;  // "T^0", "T^1", "0"
};

struct TrianglePlace {
  Growth state;
  Growth cost;
  bool efficiency = false;
  bool compactness = false;
  bool recall = false;
  [[nodiscard]] std::string label() const;  // e.g. "E+C", "R", "none"
};

/// Exact growth exponent of f(T) in T. Throws Error::limit when f's doubling ratio has not
/// settled by T = 2^200 (the catalog tests rule that out for the shipped entries).
Growth growth_of(const std::function<Integer(const Integer&)>& f);

TrianglePlace classify(const Configuration& configuration);

/// Continuous coordinates for figures at finite context: the average log-log slope of state and
/// of cost between T = 2^10 and 2^20, each clamped to [0, 1], and the barycentric weights
/// E = 1 - cost slope, C = 1 - state slope, R = state slope. Doubles: for drawing only.
struct FigurePoint {
  double state_slope = 0;
  double cost_slope = 0;
  double efficiency = 0, compactness = 0, recall = 0;  // barycentric weights, sum 1
};
FigurePoint figure_point(const Configuration& configuration);

struct PathPoint {
  Rational value;          // the path parameter's value
  TrianglePlace place;
  FigurePoint point;
};
/// The hybrid's path: the entry's path parameter set to each listed value, the rest from `base`.
std::vector<PathPoint> trace_path(const Architecture& architecture, const Configuration& base);

}  // namespace recallbound::catalog
