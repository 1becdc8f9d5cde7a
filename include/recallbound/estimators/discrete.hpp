#pragma once
// Entropy and mutual-information estimators for discrete data, in bits. Inputs are counts: a
// histogram of one variable, or a confusion table of two held sparsely (only non-zero cells), so
// alphabets up to 10^6 symbols per side (10^12 joint cells) cost memory only for what was seen.
// Estimates are doubles: they are statistics, never certified numbers.
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace recallbound::estimators {

enum class DiscreteMethod {
  plugin,         // maximum likelihood: -sum p log p of the empirical distribution
  miller_madow,   // plug-in + (m - 1) / (2 n) nats, m = number of occupied bins
  chao_shen,      // coverage-adjusted Horvitz-Thompson (Chao & Shen 2003)
  nsb,            // Nemenman-Shafee-Bialek Bayesian estimator; needs the alphabet size
};
/// "plugin", "mm", "cs", "nsb"; throws Error::bad_input naming `field` otherwise.
DiscreteMethod parse_discrete_method(std::string_view name, std::string_view field);
std::string method_name(DiscreteMethod method);

/// Entropy in bits of the distribution behind `counts` (zeros are ignored).
/// `alphabet_size` is K, the number of possible symbols (0 = unknown); NSB requires it and
/// every method checks K >= the number of occupied bins.
double entropy_bits(const std::vector<std::uint64_t>& counts, DiscreteMethod method,
                    std::uint64_t alphabet_size = 0);

/// The NSB posterior of H in bits: its mean (what entropy_bits returns for nsb) and its standard
/// deviation, both integrated over the same posterior of the concentration. The standard deviation
/// is the Bayesian spread given the counts (under the NSB prior), not a frequentist error bar.
/// Requires K >= the number of occupied bins, K >= 1.
struct NsbPosterior {
  double mean_bits = 0;
  double standard_deviation_bits = 0;
};
NsbPosterior nsb_posterior_bits(const std::vector<std::uint64_t>& counts, std::uint64_t alphabet_size);

/// Paninski (2003): 0 <= H - E[plug-in] <= log2(1 + (K - 1) / n). A documented bound on the
/// plug-in estimator's bias, usable when K is known and far larger than n.
double plugin_bias_bound_bits(std::uint64_t samples, std::uint64_t alphabet_size);

/// A two-way table of counts (x, y) -> count over symbols 0 .. K-1, storing only non-zero cells.
class SparseConfusion {
 public:
  void add(std::uint64_t x, std::uint64_t y, std::uint64_t count = 1);
  [[nodiscard]] std::uint64_t total() const { return total_; }
  [[nodiscard]] std::size_t occupied_cells() const { return cells_.size(); }
  /// Counts of the occupied joint cells and of both marginals (order unspecified but fixed).
  [[nodiscard]] std::vector<std::uint64_t> joint_counts() const;
  [[nodiscard]] std::vector<std::uint64_t> x_counts() const;
  [[nodiscard]] std::vector<std::uint64_t> y_counts() const;
  /// Cells in a deterministic order (sorted by x, then y), for resampling.
  struct Cell {
    std::uint64_t x, y, count;
  };
  [[nodiscard]] std::vector<Cell> sorted_cells() const;

 private:
  static std::uint64_t key(std::uint64_t x, std::uint64_t y) { return (x << 32) ^ y; }
  std::unordered_map<std::uint64_t, Cell> cells_;
  std::unordered_map<std::uint64_t, std::uint64_t> x_, y_;
  std::uint64_t total_ = 0;
};

/// I(X; Y) = H(X) + H(Y) - H(X, Y) in bits, each entropy by `method`. For NSB the alphabets are
/// x_alphabet, y_alphabet and their product.
double mutual_information_bits(const SparseConfusion& table, DiscreteMethod method,
                               std::uint64_t x_alphabet = 0, std::uint64_t y_alphabet = 0);

}  // namespace recallbound::estimators
