// estimate mi / estimate entropy: information estimates from sample files, with intervals.
#include "command.hpp"
#include "output.hpp"

#include "recallbound/error.hpp"
#include "recallbound/estimators/continuous.hpp"
#include "recallbound/estimators/discrete.hpp"
#include "recallbound/estimators/projected.hpp"
#include "recallbound/estimators/samples.hpp"
#include "recallbound/estimators/uncertainty.hpp"
#include "recallbound/exact/number.hpp"

#include <boost/math/distributions/normal.hpp>
#include <fmt/core.h>

#include <cmath>
#include <fstream>
#include <memory>
#include <numeric>

namespace recallbound::cli {
namespace {

using namespace recallbound::estimators;

struct EstimateOptions {
  std::string x_path, y_path, method = "ksg", x_alphabet, y_alphabet, out_path = "-", project = "none";
  std::size_t k = 3, replicates = 0, threads = 1;
  std::uint64_t seed = 1;
  double confidence = 0.95;
  bool json = false;
};

std::ifstream open_samples(const std::string& path, const char* option) {
  if (path.empty()) throw Error::bad_input(std::string(option) + ": a sample file is required");
  std::ifstream file(path, std::ios::binary);
  if (!file) throw Error::bad_input(std::string(option) + ": cannot open '" + path + "'");
  return file;
}

SymbolSamples symbols_from(const std::string& path, const char* option) {
  auto file = open_samples(path, option);
  return read_symbols(file, path);
}

SampleMatrix matrix_from(const std::string& path, const char* option) {
  auto file = open_samples(path, option);
  return read_matrix(file, path);
}

std::uint64_t alphabet_from(const std::string& text, const char* option, std::size_t observed) {
  if (text.empty()) return 0;
  const Integer k = parse_integer(text, option);
  if (k < 1 || k > Integer(std::numeric_limits<std::uint32_t>::max()) + 1)
    throw Error::bad_input(std::string(option) + ": " + text + " is out of range; the alphabet size must be in [1, 2^32]");
  const auto value = k.convert_to<std::uint64_t>();
  if (value < observed)
    throw Error::bad_input(std::string(option) + ": " + text + " is below the " + std::to_string(observed) +
                           " distinct symbols in the samples");
  return value;
}

SampleMatrix rows_of(const SampleMatrix& m, std::span<const std::size_t> idx) {
  SampleMatrix out(static_cast<Eigen::Index>(idx.size()), m.cols());
  for (std::size_t r = 0; r < idx.size(); ++r) out.row(static_cast<Eigen::Index>(r)) = m.row(static_cast<Eigen::Index>(idx[r]));
  return out;
}

void check_sizes(std::size_t x, std::size_t y) {
  if (x != y)
    throw Error::bad_input("--y: " + std::to_string(y) + " samples, but --x has " + std::to_string(x) +
                           "; both must have one row per sample");
}

struct Outcome {
  BootstrapInterval interval;
  std::string interval_method;
  std::size_t samples = 0;
  nlohmann::json extra = nlohmann::json::object();
};

Outcome run_interval(std::size_t n, const EstimateOptions& o, bool knn,
                     const std::function<double(std::span<const std::size_t>)>& statistic) {
  checked_confidence(o.confidence, "--confidence");
  if (o.replicates > 100000)
    throw Error::bad_input("--bootstrap: " + std::to_string(o.replicates) + " is out of range; use 0..100000 replicates");
  Outcome out;
  out.samples = n;
  out.interval = knn ? half_sample_interval(n, o.replicates, o.confidence, o.seed, statistic)
                     : bootstrap(n, o.replicates, o.confidence, o.seed, statistic);
  out.interval_method = o.replicates == 0 ? "none" : knn ? "half-sampling (delete-n/2 jackknife), normal" : "percentile bootstrap";
  return out;
}

// --project cca:K (ksg) or lda:K (mixed): the cross-fitted lower-bound estimate.
Outcome estimate_projected(const EstimateOptions& o, const Projection& p) {
  auto describe = [&](const ProjectedEstimate& e) {
    return nlohmann::json{{"kind", projection_name(p)},
                          {"fit", "cross-fitted: maps fitted on one random half (split by --seed), applied to the other"},
                          {"fold_bits", {e.fold_bits[0], e.fold_bits[1]}},
                          {"x_components", e.x_components},
                          {"y_components", e.y_components},
                          {"target", "a lower bound on I(X; Y) by data processing"}};
  };
  if (o.method == "ksg") {
    if (p.kind != ProjectionKind::cca) throw Error::bad_input("--project: ksg takes cca:K (lda:K is for --method mixed)");
    const SampleMatrix x = matrix_from(o.x_path, "--x"), y = matrix_from(o.y_path, "--y");
    check_sizes(static_cast<std::size_t>(x.rows()), static_cast<std::size_t>(y.rows()));
    const ProjectedEstimate full = projected_ksg_bits(x, y, p.components, o.k, o.seed, o.threads);
    // Half-samples have n/2 rows, so the one call with n rows is the original sample.
    Outcome out = run_interval(static_cast<std::size_t>(x.rows()), o, true, [&](std::span<const std::size_t> idx) {
      if (idx.size() == static_cast<std::size_t>(x.rows())) return full.bits;
      return projected_ksg_bits(rows_of(x, idx), rows_of(y, idx), p.components, o.k, o.seed, o.threads).bits;
    });
    out.extra = {{"projection", describe(full)}};
    return out;
  }
  if (o.method == "mixed") {
    if (p.kind != ProjectionKind::lda) throw Error::bad_input("--project: mixed takes lda:K (cca:K is for --method ksg)");
    const SymbolSamples labels = symbols_from(o.x_path, "--x");
    const SampleMatrix y = matrix_from(o.y_path, "--y");
    check_sizes(labels.ids.size(), static_cast<std::size_t>(y.rows()));
    auto labels_of = [&](std::span<const std::size_t> idx) {
      std::vector<std::int64_t> l;
      l.reserve(idx.size());
      for (auto i : idx) l.push_back(static_cast<std::int64_t>(labels.ids[i]));
      return l;
    };
    std::vector<std::size_t> all(labels.ids.size());
    std::iota(all.begin(), all.end(), std::size_t{0});
    const ProjectedEstimate full = projected_mixed_bits(labels_of(all), y, p.components, o.k, o.seed, o.threads);
    Outcome out = run_interval(labels.ids.size(), o, true, [&](std::span<const std::size_t> idx) {
      if (idx.size() == labels.ids.size()) return full.bits;
      return projected_mixed_bits(labels_of(idx), rows_of(y, idx), p.components, o.k, o.seed, o.threads).bits;
    });
    out.extra = {{"projection", describe(full)}};
    return out;
  }
  throw Error::bad_input("--project: only --method ksg (cca:K) and --method mixed (lda:K) take a projection");
}

Outcome estimate_mi(const EstimateOptions& o) {
  const std::string& m = o.method;
  if (const Projection p = parse_projection(o.project, "--project"); p.kind != ProjectionKind::none)
    return estimate_projected(o, p);
  if (m == "ksg" || m == "gauss") {
    const SampleMatrix x = matrix_from(o.x_path, "--x"), y = matrix_from(o.y_path, "--y");
    check_sizes(static_cast<std::size_t>(x.rows()), static_cast<std::size_t>(y.rows()));
    const bool ksg = m == "ksg";
    return run_interval(static_cast<std::size_t>(x.rows()), o, ksg, [&](std::span<const std::size_t> idx) {
      const SampleMatrix xs = rows_of(x, idx), ys = rows_of(y, idx);
      return ksg ? ksg_bits(xs, ys, o.k, o.threads) : gaussian_bits(xs, ys);
    });
  }
  if (m == "mixed") {
    const SymbolSamples labels = symbols_from(o.x_path, "--x");
    const SampleMatrix y = matrix_from(o.y_path, "--y");
    check_sizes(labels.ids.size(), static_cast<std::size_t>(y.rows()));
    return run_interval(labels.ids.size(), o, true, [&](std::span<const std::size_t> idx) {
      std::vector<std::int64_t> l;
      l.reserve(idx.size());
      for (auto i : idx) l.push_back(static_cast<std::int64_t>(labels.ids[i]));
      return mixed_bits(l, rows_of(y, idx), o.k);
    });
  }
  const DiscreteMethod method = parse_discrete_method(m, "--method");
  const SymbolSamples x = symbols_from(o.x_path, "--x"), y = symbols_from(o.y_path, "--y");
  check_sizes(x.ids.size(), y.ids.size());
  const std::uint64_t kx = alphabet_from(o.x_alphabet, "--x-alphabet", x.symbols.size());
  const std::uint64_t ky = alphabet_from(o.y_alphabet, "--y-alphabet", y.symbols.size());
  if (method == DiscreteMethod::nsb && (kx == 0 || ky == 0))
    throw Error::bad_input("--method nsb: give the alphabet sizes --x-alphabet and --y-alphabet");
  Outcome out = run_interval(x.ids.size(), o, false, [&](std::span<const std::size_t> idx) {
    SparseConfusion table;
    for (auto i : idx) table.add(x.ids[i], y.ids[i]);
    return mutual_information_bits(table, method, kx, ky);
  });
  out.extra = {{"x_symbols", x.symbols.size()}, {"y_symbols", y.symbols.size()}};
  return out;
}

Outcome estimate_entropy(const EstimateOptions& o) {
  const DiscreteMethod method = parse_discrete_method(o.method, "--method");
  const SymbolSamples x = symbols_from(o.x_path, "--x");
  const std::uint64_t k = alphabet_from(o.x_alphabet, "--alphabet", x.symbols.size());
  if (method == DiscreteMethod::nsb && k == 0) throw Error::bad_input("--method nsb: give the alphabet size --alphabet");
  Outcome out = run_interval(x.ids.size(), o, false, [&](std::span<const std::size_t> idx) {
    std::vector<std::uint64_t> counts(x.symbols.size(), 0);
    for (auto i : idx) ++counts[x.ids[i]];
    return entropy_bits(counts, method, k);
  });
  out.extra = {{"symbols", x.symbols.size()}};
  if (method == DiscreteMethod::nsb) {
    // The Bayesian posterior of H itself (not a resampling interval): mean +- z sd.
    std::vector<std::uint64_t> counts(x.symbols.size(), 0);
    for (auto id : x.ids) ++counts[id];
    const NsbPosterior post = nsb_posterior_bits(counts, k);
    const double z = boost::math::quantile(boost::math::normal(), 0.5 + o.confidence / 2);
    out.extra["posterior"] = {{"mean_bits", post.mean_bits},
                              {"standard_deviation_bits", post.standard_deviation_bits},
                              {"interval", {{"method", "posterior mean +- z sd (normal approximation to the NSB posterior)"},
                                            {"confidence", o.confidence},
                                            {"lower", std::max(0.0, post.mean_bits - z * post.standard_deviation_bits)},
                                            {"upper", std::min(std::log2(static_cast<double>(k)), post.mean_bits + z * post.standard_deviation_bits)}}}};
  }
  if (k != 0) out.extra["plugin_bias_bound_bits"] = plugin_bias_bound_bits(x.ids.size(), k);
  return out;
}

void report(const std::string& command, const EstimateOptions& o, const Outcome& r) {
  write_atomically(o.out_path, [&](std::ostream& out) {
    const auto& i = r.interval;
    if (o.json) {
      nlohmann::json j = {{"command", command}, {"method", o.method}, {"samples", std::to_string(r.samples)},
                          {"estimate_bits", i.estimate}, {"certified", false}};
      if (o.method == "ksg" || o.method == "mixed") j["k"] = o.k;
      j["interval"] = o.replicates == 0
                          ? nlohmann::json(nullptr)
                          : nlohmann::json{{"method", r.interval_method}, {"confidence", o.confidence}, {"lower", i.lower},
                                           {"upper", i.upper}, {"standard_error", i.standard_error},
                                           {"replicates", i.replicates}, {"seed", o.seed}};
      j.update(r.extra);
      print_json(out, j);
      return;
    }
    out << fmt::format("{} ({}): {:.6g} bits from {} samples (an estimate, not certified)\n", command, o.method, i.estimate,
                       r.samples);
    if (o.replicates > 0)
      out << fmt::format("  {:.3g}% interval [{:.6g}, {:.6g}], standard error {:.3g} ({}, {} replicates, seed {})\n",
                         100 * o.confidence, i.lower, i.upper, i.standard_error, r.interval_method, i.replicates, o.seed);
    if (r.extra.contains("projection"))
      out << fmt::format("  projected ({}, cross-fitted halves {:.6g} and {:.6g} bits): a lower-bound target, I(P X; Q Y) <= I(X; Y)\n",
                         r.extra["projection"]["kind"].get<std::string>(), r.extra["projection"]["fold_bits"][0].get<double>(),
                         r.extra["projection"]["fold_bits"][1].get<double>());
    if (r.extra.contains("posterior")) {
      const auto& post = r.extra["posterior"];
      out << fmt::format("  NSB posterior: sd {:.6g} bits; {:.3g}% credible interval [{:.6g}, {:.6g}] (mean +- z sd)\n",
                         post["standard_deviation_bits"].get<double>(), 100 * o.confidence,
                         post["interval"]["lower"].get<double>(), post["interval"]["upper"].get<double>());
    }
    if (r.extra.contains("plugin_bias_bound_bits"))
      out << fmt::format("  plug-in bias bound log2(1 + (K - 1) / n) = {:.6g} bits\n", r.extra["plugin_bias_bound_bits"].get<double>());
  });
}

void add_common(CLI::App& c, EstimateOptions& o) {
  c.add_option("--bootstrap", o.replicates, "Resampling replicates for an interval (0 = none)")->capture_default_str();
  c.add_option("--seed", o.seed, "Seed of the resampling (same seed, same output)")->capture_default_str();
  c.add_option("--confidence", o.confidence, "Interval confidence level in (0, 1)")->capture_default_str();
  c.add_option("--out", o.out_path, "Write the result to FILE (atomically) instead of stdout");
  c.add_flag("--json", o.json, "JSON output (shape in docs/estimators.md)");
}

}  // namespace

void add_estimate_commands(CLI::App& root, CommandList& commands) {
  auto* estimate = root.add_subcommand("estimate", "Entropy and mutual-information estimates from samples (not certified)");
  estimate->require_subcommand(1);

  auto mi = std::make_shared<EstimateOptions>();
  auto* m = estimate->add_subcommand("mi", "Estimate I(X; Y) in bits");
  m->add_option("--x", mi->x_path, "Samples of X, one per line (labels for discrete methods and mixed)")->required();
  m->add_option("--y", mi->y_path, "Samples of Y, one per line (numbers for ksg, gauss, mixed)")->required();
  m->add_option("--method", mi->method, "plugin | mm | cs | nsb (discrete), ksg | gauss (continuous), mixed (label vs continuous)")
      ->check(CLI::IsMember({"plugin", "mm", "cs", "nsb", "ksg", "gauss", "mixed"}))
      ->capture_default_str();
  m->add_option("--k", mi->k, "Neighbours for ksg and mixed")->capture_default_str();
  m->add_option("--threads", mi->threads, "Threads for ksg in more than 8 joint coordinates (same result for any count)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{256}))
      ->capture_default_str();
  m->add_option("--project", mi->project,
                "none | cca:K (ksg) | lda:K (mixed): estimate I(P X; Q Y) <= I(X; Y) in K dimensions, maps cross-fitted on "
                "random halves (split by --seed)")
      ->capture_default_str();
  m->add_option("--x-alphabet", mi->x_alphabet, "Alphabet size of X (nsb; integer)");
  m->add_option("--y-alphabet", mi->y_alphabet, "Alphabet size of Y (nsb; integer)");
  add_common(*m, *mi);
  m->footer("Exit codes: 0 ok, 1 internal error, 2 bad input.");
  commands.push_back({m, [mi] {
                        report("estimate mi", *mi, estimate_mi(*mi));
                        return exit_code::ok;
                      }});

  auto ent = std::make_shared<EstimateOptions>();
  ent->method = "mm";
  auto* e = estimate->add_subcommand("entropy", "Estimate H(X) in bits from discrete samples");
  e->add_option("--x", ent->x_path, "Samples of X, one symbol per line")->required();
  e->add_option("--method", ent->method, "plugin | mm | cs | nsb")
      ->check(CLI::IsMember({"plugin", "mm", "cs", "nsb"}))
      ->capture_default_str();
  e->add_option("--alphabet", ent->x_alphabet, "Alphabet size K (required by nsb; enables the plug-in bias bound)");
  add_common(*e, *ent);
  e->footer("Exit codes: 0 ok, 1 internal error, 2 bad input.");
  commands.push_back({e, [ent] {
                        report("estimate entropy", *ent, estimate_entropy(*ent));
                        return exit_code::ok;
                      }});
}

}  // namespace recallbound::cli
