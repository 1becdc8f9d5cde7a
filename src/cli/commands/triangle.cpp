// `recallbound triangle`: every catalog entry placed in the efficiency / compactness / recall
// triangle, the hybrids' paths, and the figures (triangle; recall bound against context).
#include "commands/arch_support.hpp"
#include "output.hpp"

#include "recallbound/bounds/capacity.hpp"
#include "recallbound/bounds/state_bits.hpp"
#include "recallbound/catalog/figures.hpp"
#include "recallbound/error.hpp"

#include <fmt/core.h>

#include <iostream>
#include <map>
#include <memory>
#include <sstream>

namespace recallbound::cli::arch_support {
namespace {

using Json = nlohmann::ordered_json;

constexpr const char* default_recall_presets =
    "mamba-2.8b,mamba2-2.7b,rwkv7-world-2.9b,recurrentgemma-2b,jamba-v0.1,llama-3-8b,mistral-7b-v0.1,qwen3-next-80b-a3b";

struct TriangleOptions {
  std::string spec, svg, recall_svg, presets = default_recall_presets, vocab = "32000", error = "1/100",
                                     precision = "bf16";
  bool json = false;
};

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ','))
    if (!item.empty()) out.push_back(item);
  if (out.empty()) throw Error::bad_input("--presets: give at least one preset id, comma-separated");
  return out;
}

// Certified max pairs at T = 2^10 .. 2^24 for each preset: exact integers, doubles for the plot.
Json recall_curves(const catalog::Catalog& all, const TriangleOptions& o, std::vector<catalog::RecallSeries>& series) {
  Integer vocab = checked_vocab(parse_rational(o.vocab, "--vocab"));
  Rational error = checked_error(parse_rational(o.error, "--error"));
  NumberFormat format = number_format(o.precision);
  Json curves = Json::array();
  for (const auto& id : split_list(o.presets)) {
    auto [arch, preset] = all.find_preset(id);
    catalog::Configuration config = catalog::configure(*arch, preset, {});
    catalog::RecallSeries one{id, {}};
    Json points = Json::array();
    for (unsigned k = 10; k <= 24; ++k) {
      Integer T = Integer(1) << k;
      Integer numbers = catalog::state_numbers(config, T);
      CapacityResult bound = max_pairs(format_state_bits(numbers, format, CountingMode::all_encodings), vocab, error);
      if (bound.unbounded)
        throw Error::bad_input("--error: " + o.error + " is at or above 1 - 1/V, where the bound says nothing; lower it");
      points.push_back({{"context", T.str()}, {"state_numbers", numbers.str()}, {"max_pairs", bound.max_pairs.str()}});
      one.points.emplace_back(to_display_double(Rational(T)), to_display_double(Rational(bound.max_pairs)));
    }
    series.push_back(std::move(one));
    curves.push_back({{"preset", id}, {"architecture", arch->id}, {"points", points}});
  }
  return {{"vocab", vocab.str()}, {"error", to_exact_string(error)}, {"precision", format.name}, {"curves", curves}};
}

int run_triangle(const TriangleOptions& o) {
  catalog::Catalog all = load_catalog(o.spec);
  std::vector<catalog::PlacedEntry> placed;
  std::vector<catalog::HybridPathFigure> paths;
  Json entries = Json::array(), path_json = Json::array();
  std::map<std::string, std::size_t> counts;
  std::size_t all_three = 0;
  for (const auto& arch : all.architectures()) {
    catalog::Configuration config = catalog::configure(arch, nullptr, {});
    catalog::TrianglePlace place = catalog::classify(config);
    if (place.efficiency && place.compactness && place.recall) ++all_three;
    ++counts[place.label()];
    placed.push_back({arch.id, place});
    entries.push_back({{"id", arch.id}, {"family", arch.family}, {"triangle", place_json(place)}});
    if (!arch.path) continue;
    catalog::HybridPathFigure figure{arch.id, arch.path->parameter, {}};
    Json points = Json::array();
    for (const auto& point : catalog::trace_path(arch, config)) {
      if (point.place.efficiency && point.place.compactness && point.place.recall) ++all_three;
      std::string value = to_exact_string(point.value);
      figure.points.emplace_back(value, point.point);
      points.push_back({{"value", value}, {"label", point.place.label()}, {"state_slope", point.point.state_slope},
                        {"cost_slope", point.point.cost_slope},
                        {"weights", {{"efficiency", point.point.efficiency}, {"compactness", point.point.compactness},
                                     {"recall", point.point.recall}}}});
    }
    paths.push_back(std::move(figure));
    path_json.push_back({{"id", arch.id}, {"parameter", arch.path->parameter}, {"points", points}});
  }
  std::vector<catalog::RecallSeries> series;
  Json recall = o.recall_svg.empty() ? Json(nullptr) : recall_curves(all, o, series);
  if (!o.svg.empty())
    write_atomically(o.svg, [&](std::ostream& out) { out << catalog::triangle_svg(placed, paths); });
  if (!o.recall_svg.empty()) {
    std::string subtitle = fmt::format("state in {}, values uniform over V = {}, average error eps = {}: N * D(eps, V) <= B",
                                       o.precision, o.vocab, o.error);
    write_atomically(o.recall_svg, [&](std::ostream& out) { out << catalog::recall_vs_context_svg(series, subtitle); });
  }
  Json count_json = Json::object();
  for (const auto& [label, n] : counts) count_json[label] = n;
  if (o.json) {
    Json out{{"definitions",
              {{"efficiency", "per-token multiply-adds grow as T^0"},
               {"compactness", "state numbers grow as T^0"},
               {"recall", "state numbers grow as T^1 or faster (N ~ T pairs need B >= N D(eps, V) bits)"},
               {"path_weights", "E = 1 - cost slope, C = 1 - state slope, R = state slope; log-log slopes between T = 2^10 and 2^20"}}},
             {"count", entries.size()}, {"counts", count_json}, {"all_three", all_three}, {"entries", entries},
             {"paths", path_json}};
    if (!recall.is_null()) out["recall_bound"] = recall;
    print_json(std::cout, out);
    return exit_code::ok;
  }
  std::cout << fmt::format("{:<30} {:<20} {:<6} {:>7} {:>7}\n", "id", "family", "place", "state", "cost");
  for (std::size_t i = 0; i < placed.size(); ++i)
    std::cout << fmt::format("{:<30} {:<20} {:<6} {:>7} {:>7}\n", placed[i].id, entries[i]["family"].get<std::string>(),
                             placed[i].place.label(), placed[i].place.state.to_string(), placed[i].place.cost.to_string());
  std::cout << "\nhybrid paths (class at each value of the knob):\n";
  for (const auto& path : path_json) {
    std::cout << "  " << path["id"].get<std::string>() << " along " << path["parameter"].get<std::string>() << ":";
    for (const auto& point : path["points"])
      std::cout << ' ' << point["value"].get<std::string>() << "->" << point["label"].get<std::string>();
    std::cout << '\n';
  }
  std::cout << "\ncounts:";
  for (const auto& [label, n] : counts) std::cout << ' ' << label << '=' << n;
  std::cout << "\nentries with all three (efficiency, compactness, recall): " << all_three << " of " << placed.size()
            << " entries and their path points\n"
            << "E: per-token cost O(1) in T; C: state O(1) in T; R: state grows >= linearly in T\n";
  if (!o.svg.empty()) std::cout << "wrote " << o.svg << '\n';
  if (!o.recall_svg.empty()) std::cout << "wrote " << o.recall_svg << '\n';
  return exit_code::ok;
}

}  // namespace

void add_triangle_command(CLI::App& root, CommandList& commands) {
  auto o = std::make_shared<TriangleOptions>();
  CLI::App* cmd = root.add_subcommand(
      "triangle", "Place every catalog entry in the efficiency / compactness / recall triangle (derived from its formulas).");
  cmd->add_flag("--json", o->json, "JSON output (docs/catalog.md)");
  cmd->add_option("--svg", o->svg, "Write the triangle figure (SVG) to this file");
  cmd->add_option("--recall-svg", o->recall_svg, "Write the certified recall bound against context (SVG) to this file");
  cmd->add_option("--presets", o->presets, "Presets for the recall figure, comma-separated")->default_str(default_recall_presets);
  cmd->add_option("--vocab", o->vocab, "V for the recall figure (default 32000)");
  cmd->add_option("--error", o->error, "eps for the recall figure (default 1/100)");
  cmd->add_option("--precision", o->precision, "Number format of the state for the recall figure (default bf16)");
  cmd->add_option("--spec", o->spec, "Also load the architectures of this catalog file");
  cmd->footer("Exit codes: 0 success, 1 internal error, 2 bad input.");
  commands.push_back({cmd, [o] { return run_triangle(*o); }});
}

}  // namespace recallbound::cli::arch_support
