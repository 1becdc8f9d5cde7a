// `recallbound arch list | show | state`: the architecture catalog and exact state accounting.
#include "commands/arch_support.hpp"
#include "enclosure_json.hpp"
#include "output.hpp"
#include "recall_proof.hpp"

#include "recallbound/bounds/capacity.hpp"
#include "recallbound/bounds/state_bits.hpp"
#include "recallbound/error.hpp"

#include <fmt/core.h>

#include <iostream>
#include <memory>
#include <set>

namespace recallbound::cli {
namespace arch_support {

catalog::Catalog load_catalog(const std::string& spec_file) {
  catalog::Catalog all = catalog::Catalog::builtin();
  if (!spec_file.empty()) all.merge(catalog::Catalog::from_file(spec_file));
  return all;
}

std::pair<const catalog::Architecture*, const catalog::Preset*> find_configuration(const catalog::Catalog& all,
                                                                                   const std::string& name,
                                                                                   const std::string& preset) {
  if (preset.empty()) return {&all.find(name), nullptr};
  auto found = all.find_preset(preset);
  if (!name.empty() && name != found.first->id)
    throw Error::bad_input("--preset: '" + preset + "' is a preset of '" + found.first->id + "', not of '" + name + "'");
  return found;
}

std::vector<std::pair<std::string, std::string>> parse_sets(const std::vector<std::string>& sets) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& item : sets) {
    auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == item.size())
      throw Error::bad_input("--set: '" + item + "' is not of the form name=value");
    out.emplace_back(item.substr(0, eq), item.substr(eq + 1));
  }
  return out;
}

bool state_depends_on_context(const catalog::Architecture& architecture) {
  std::set<std::string> reads_t{"T"};  // T and the derived values computed from it
  auto reads = [&](const catalog::Formula& f) {
    for (const auto& n : f.names())
      if (reads_t.count(n)) return true;
    return false;
  };
  for (const auto& d : architecture.derived)  // dependency order, so one pass suffices
    if (reads(d.formula)) reads_t.insert(d.name);
  for (const auto& b : architecture.blocks) {
    if (reads(b.count)) return true;
    for (const auto& s : b.state)
      if (reads(s.numbers)) return true;
  }
  return false;
}

std::string grouped(const Integer& value) {
  std::string digits = (value < 0 ? Integer(-value) : value).str();
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return value < 0 ? "-" + out : out;
}

nlohmann::ordered_json growth_json(const catalog::Growth& growth) {
  return {{"vanishes", growth.vanishes}, {"exponent", growth.exponent}, {"text", growth.to_string()}};
}

nlohmann::ordered_json place_json(const catalog::TrianglePlace& place) {
  return {{"label", place.label()},          {"efficiency", place.efficiency}, {"compactness", place.compactness},
          {"recall", place.recall},          {"state_growth", growth_json(place.state)},
          {"cost_growth", growth_json(place.cost)}};
}

std::string place_words(const catalog::TrianglePlace& place) {
  auto yes = [](bool b) { return b ? "yes" : "no"; };
  return fmt::format("{}  (efficiency {}: per-token cost grows as {}; compactness {}: state grows as {}; recall {})",
                     place.label(), yes(place.efficiency), place.cost.to_string(), yes(place.compactness),
                     place.state.to_string(), yes(place.recall));
}

ResolvedState resolve_state(const catalog::Catalog& all, const std::string& name, const std::string& preset_id,
                            const std::vector<std::string>& sets, const std::string& context_text,
                            const std::string& precision) {
  ResolvedState r;
  if (preset_id.empty() && name.empty()) throw Error::bad_input("arch state: give an architecture NAME or --preset P");
  std::tie(r.arch, r.preset) = find_configuration(all, name, preset_id);
  r.context = parse_integer(context_text, "--context");
  if (r.context < 0) throw Error::bad_input("--context: " + r.context.str() + " is out of range; T must be an integer >= 0");
  r.format = number_format(precision);
  r.config = catalog::configure(*r.arch, r.preset, parse_sets(sets));
  r.account = catalog::account(r.config, r.context);
  r.bits_form = format_state_bits(r.account.state_numbers, r.format, CountingMode::all_encodings);
  std::optional<Rational> bits = r.bits_form.exact_rational();
  if (!bits) throw Error::internal("state bits of an all-encodings count are not an integer");
  r.bits = *bits;
  return r;
}

}  // namespace arch_support

namespace {

using namespace arch_support;
using Json = nlohmann::ordered_json;

const char* origin_name(catalog::ValueOrigin origin) {
  switch (origin) {
    case catalog::ValueOrigin::default_value: return "default";
    case catalog::ValueOrigin::preset: return "preset";
    case catalog::ValueOrigin::user: return "--set";
  }
  return "default";
}


// ---- arch list ---------------------------------------------------------------------------

struct ListOptions {
  std::string family, spec;
  bool json = false, presets = false;
};

int run_list(const ListOptions& o) {
  catalog::Catalog all = load_catalog(o.spec);
  if (!o.family.empty()) {
    const auto& families = catalog::family_names();
    if (std::find(families.begin(), families.end(), o.family) == families.end()) {
      std::string list;
      for (const auto& f : families) list += (list.empty() ? "" : ", ") + f;
      throw Error::bad_input("--family: unknown family '" + o.family + "'; known: " + list);
    }
  }
  Json rows = Json::array();
  for (const auto& arch : all.architectures()) {
    if (!o.family.empty() && arch.family != o.family) continue;
    catalog::TrianglePlace place = catalog::classify(catalog::configure(arch, nullptr, {}));
    Json presets = Json::array();
    for (const auto& p : arch.presets) presets.push_back(p.id);
    rows.push_back({{"id", arch.id}, {"name", arch.name}, {"year", arch.year}, {"family", arch.family},
                    {"citation", arch.citation}, {"triangle", place.label()}, {"presets", presets}});
  }
  if (o.json) {
    print_json(std::cout, Json{{"count", rows.size()}, {"architectures", rows}});
    return exit_code::ok;
  }
  std::cout << fmt::format("{:<30} {:>4}  {:<20} {:<6} {}\n", "id", "year", "family", "place", "name");
  for (const auto& row : rows) {
    std::cout << fmt::format("{:<30} {:>4}  {:<20} {:<6} {}\n", row["id"].get<std::string>(), row["year"].get<std::int64_t>(),
                             row["family"].get<std::string>(), row["triangle"].get<std::string>(),
                             row["name"].get<std::string>());
    if (o.presets)
      for (const auto& p : row["presets"]) std::cout << "    preset " << p.get<std::string>() << '\n';
  }
  std::cout << rows.size() << " architectures (place: E efficiency, C compactness, R recall; see 'recallbound triangle')\n";
  return exit_code::ok;
}

// ---- arch show ---------------------------------------------------------------------------

struct ShowOptions {
  std::string name, spec;
  bool json = false;
};

Json architecture_json(const catalog::Architecture& arch) {
  Json parameters = Json::array();
  for (const auto& p : arch.parameters)
    parameters.push_back({{"name", p.name}, {"default", to_exact_string(p.default_value)},
                          {"min", to_exact_string(p.minimum)}, {"integer", p.integer},
                          {"description", p.description}, {"source", p.source}});
  Json derived = Json::array();
  for (const auto& d : arch.derived) derived.push_back({{"name", d.name}, {"formula", d.formula.text()}});
  Json blocks = Json::array();
  for (const auto& b : arch.blocks) {
    Json state = Json::array();
    for (const auto& s : b.state) state.push_back({{"name", s.name}, {"numbers", s.numbers.text()}, {"what", s.what}});
    blocks.push_back({{"name", b.name}, {"count", b.count.text()}, {"state", state}, {"madds", b.madds.text()},
                      {"source", b.source}});
  }
  Json presets = Json::array();
  for (const auto& p : arch.presets) {
    Json values = Json::object();
    for (const auto& [name, value] : p.values) values[name] = to_exact_string(value);
    presets.push_back({{"id", p.id}, {"name", p.name}, {"values", values}, {"source", p.source}, {"notes", p.notes}});
  }
  Json out{{"id", arch.id},       {"name", arch.name},         {"year", arch.year},
           {"family", arch.family}, {"citation", arch.citation}, {"summary", arch.summary},
           {"notes", arch.notes}, {"origin", arch.origin},     {"parameters", parameters},
           {"derived", derived},  {"blocks", blocks},          {"presets", presets}};
  if (arch.path) {
    Json values = Json::array();
    for (const auto& v : arch.path->values) values.push_back(to_exact_string(v));
    out["path"] = {{"parameter", arch.path->parameter}, {"values", values}, {"description", arch.path->description}};
  }
  out["triangle"] = place_json(catalog::classify(catalog::configure(arch, nullptr, {})));
  return out;
}

int run_show(const ShowOptions& o) {
  catalog::Catalog all = load_catalog(o.spec);
  const catalog::Architecture& arch = all.find(o.name);
  if (o.json) {
    print_json(std::cout, architecture_json(arch));
    return exit_code::ok;
  }
  std::cout << arch.name << " [" << arch.id << "], " << arch.year << ", family " << arch.family << '\n'
            << "  " << arch.citation << "\n  " << arch.summary << '\n';
  if (!arch.notes.empty()) std::cout << "  notes: " << arch.notes << '\n';
  std::cout << "parameters:\n";
  for (const auto& p : arch.parameters)
    std::cout << fmt::format("  {:<18} = {:<10} {}{}\n", p.name, to_exact_string(p.default_value), p.description,
                             p.source.empty() ? "" : " [" + p.source + "]");
  for (const auto& d : arch.derived) std::cout << fmt::format("  {:<18} = {}\n", d.name, d.formula.text());
  for (const auto& b : arch.blocks) {
    std::cout << "block " << b.name << " x (" << b.count.text() << ") layers" << (b.source.empty() ? "" : "  [" + b.source + "]")
              << '\n';
    for (const auto& s : b.state) std::cout << fmt::format("  state {:<14} {}   ({})\n", s.name, s.numbers.text(), s.what);
    std::cout << "  multiply-adds per token: " << b.madds.text() << '\n';
  }
  for (const auto& p : arch.presets) std::cout << "preset " << p.id << ": " << p.name << "  [" << p.source << "]\n";
  if (arch.path) std::cout << "triangle path along " << arch.path->parameter << ": " << arch.path->description << '\n';
  std::cout << "triangle (defaults): " << place_words(catalog::classify(catalog::configure(arch, nullptr, {}))) << '\n';
  return exit_code::ok;
}

// ---- arch state --------------------------------------------------------------------------

struct StateOptions {
  std::string name, preset, spec, context = "4096", precision = "bf16", vocab, error, emit_proof;
  std::vector<std::string> sets;
  bool json = false;
};

/// The --emit-proof instance of `arch state`: B is the configuration's exact state bits, and the script's
/// title and comments record the architecture, preset, overrides, context and precision behind it.
RecallInstance state_instance(const catalog::Architecture& arch, const catalog::Preset* preset,
                              const catalog::Configuration& config, const Integer& context, const NumberFormat& format,
                              const catalog::StateAccount& account, const Rational& bits, const Integer& vocab,
                              const Rational& error, const Integer& max, const std::string& spec) {
  std::string overrides;
  for (const auto& p : config.parameters)
    if (p.origin == catalog::ValueOrigin::user) overrides += (overrides.empty() ? "" : ", ") + p.name + "=" + to_exact_string(p.value);
  std::string command = "recallbound arch state " + arch.id;
  if (preset) command += " --preset " + preset->id;
  for (const auto& p : config.parameters)
    if (p.origin == catalog::ValueOrigin::user) command += " --set " + p.name + "=" + to_exact_string(p.value);
  if (!spec.empty()) command += " --spec " + spec;
  command += " --context " + context.str() + " --precision " + format.name + " --vocab " + vocab.str() + " --error " +
             to_exact_string(error);
  RecallInstance in{std::nullopt, vocab, error, bits, max, command, {}, {}};
  in.subject = "state of " + arch.id + (preset ? " preset " + preset->id : std::string()) +
               (overrides.empty() ? "" : " with " + overrides) + ", T = " + context.str() + ", " + format.name;
  in.notes.push_back("Architecture: " + arch.name + " [" + arch.id + "], " + arch.citation);
  if (!spec.empty()) in.notes.push_back("Catalog: built-in plus " + spec + " (entry from " + arch.origin + ")");
  in.notes.push_back("Preset: " + (preset ? preset->id + " (" + preset->name + "; values from " + preset->source + ")"
                                          : std::string("none (catalog defaults)")));
  in.notes.push_back("Overrides (--set): " + (overrides.empty() ? std::string("none") : overrides));
  in.notes.push_back("Context: T = " + context.str());
  in.notes.push_back("Precision: " + format.name + " (" + std::to_string(format.bits) + " bits per number)");
  in.notes.push_back("State: " + account.state_numbers.str() + " numbers = " + to_exact_string(bits) +
                     " bits (B below), counted as in `recallbound arch state`");
  return in;
}

int run_state(const StateOptions& o) {
  catalog::Catalog all = load_catalog(o.spec);
  // Option-level checks first, so that a bad combination is reported whatever the architecture.
  if (o.vocab.empty() != o.error.empty()) throw Error::bad_input("--vocab and --error: give both or neither");
  if (!o.emit_proof.empty() && o.vocab.empty())
    throw Error::bad_input("--emit-proof: needs --vocab and --error (the proof is of the certified max pairs)");
  const ResolvedState resolved = resolve_state(all, o.name, o.preset, o.sets, o.context, o.precision);
  const catalog::Architecture* arch = resolved.arch;
  const catalog::Preset* preset = resolved.preset;
  const catalog::Configuration& config = resolved.config;
  const Integer& context = resolved.context;
  const NumberFormat& format = resolved.format;
  const catalog::StateAccount& account = resolved.account;
  const LogForm& bits_form = resolved.bits_form;
  const std::optional<Rational> bits = resolved.bits;
  catalog::TrianglePlace place = catalog::classify(config);

  Json out{{"architecture", arch->id}, {"preset", preset ? Json(preset->id) : Json(nullptr)},
           {"context", context.str()}, {"precision", {{"name", format.name}, {"bits", format.bits}}},
           {"conventions", {{"conv", conv_convention}, {"notes", arch->notes}}}};
  Json params = Json::object();
  for (const auto& p : config.parameters) params[p.name] = {{"value", to_exact_string(p.value)}, {"origin", origin_name(p.origin)}};
  out["parameters"] = params;
  Json derived = Json::object();
  for (const auto& d : config.derived) derived[d.name] = to_exact_string(d.value);
  out["derived"] = derived;
  Json blocks = Json::array();
  for (const auto& b : account.blocks) {
    Json buffers = Json::array();
    for (const auto& buf : b.buffers)
      buffers.push_back({{"name", buf.name}, {"formula", buf.formula}, {"numbers", buf.numbers.str()}, {"what", buf.what}});
    blocks.push_back({{"name", b.name}, {"layers", b.layers.str()}, {"numbers_per_layer", b.numbers_per_layer.str()},
                      {"numbers_total", b.numbers_total.str()}, {"madds_per_layer", b.madds_per_layer.str()},
                      {"madds_total", b.madds_total.str()}, {"buffers", buffers}});
  }
  out["blocks"] = blocks;
  out["state_numbers"] = account.state_numbers.str();
  out["state_bits"] = to_exact_string(*bits);
  out["madds_per_token"] = account.madds_per_token.str();
  out["kv_elements_per_token"] = account.kv_elements_per_token.str();
  out["triangle"] = place_json(place);

  std::optional<CapacityResult> bound;
  if (!o.vocab.empty()) {
    Integer vocab = checked_vocab(parse_rational(o.vocab, "--vocab"));
    Rational error = checked_error(parse_rational(o.error, "--error"));
    bound = max_pairs(bits_form, vocab, error);
    Json b{{"vocab", vocab.str()}, {"error", to_exact_string(error)}, {"unbounded", bound->unbounded}};
    if (!bound->unbounded) {
      b["max_pairs"] = bound->max_pairs.str();
      b["bits_per_pair"] = enclosure_json(bound->denominator, 30);  // D(eps, V), outward-rounded decimals
      b["ratio"] = enclosure_json(bound->ratio, 30);                 // B / D
    }
    out["bound"] = b;
    if (!o.emit_proof.empty()) {
      if (bound->unbounded)
        throw Error::bad_input("--emit-proof: the bound is vacuous (eps >= 1 - 1/V); there is no maximum to prove");
      write_atomically(o.emit_proof, [&](std::ostream& file) {
        file << recall_instance_script(state_instance(*arch, preset, config, context, format, account, *bits, vocab, error,
                                                      bound->max_pairs, o.spec));
      });
    }
  }
  if (o.json) {
    print_json(std::cout, out);
    return exit_code::ok;
  }
  std::cout << arch->name << " [" << arch->id << "]" << (preset ? " preset " + preset->id : std::string()) << ", context T = "
            << grouped(context) << ", " << format.name << " (" << format.bits << " bits per number)\n";
  if (preset) std::cout << "  values from " << preset->source << '\n';
  if (preset && !preset->notes.empty()) std::cout << "  note: " << preset->notes << '\n';
  std::cout << "parameters:";
  for (const auto& p : config.parameters)
    std::cout << ' ' << p.name << '=' << to_exact_string(p.value) << (p.origin == catalog::ValueOrigin::user ? "*" : "");
  for (const auto& d : config.derived) std::cout << ' ' << d.name << '=' << to_exact_string(d.value);
  std::cout << "\n\n" << fmt::format("{:<22} {:>8} {:>18} {:>22} {:>18}\n", "block / buffer", "layers", "numbers/layer",
                                     "numbers (all layers)", "madds/token/layer");
  for (const auto& b : account.blocks) {
    std::cout << fmt::format("{:<22} {:>8} {:>18} {:>22} {:>18}\n", b.name, grouped(b.layers), grouped(b.numbers_per_layer),
                             grouped(b.numbers_total), grouped(b.madds_per_layer));
    for (const auto& buf : b.buffers)
      std::cout << fmt::format("  {:<20} {:>8} {:>18}   = {}\n", buf.name, "", grouped(buf.numbers), buf.formula);
  }
  std::cout << "\nstate:                 " << grouped(account.state_numbers) << " numbers = "
            << grouped(numerator(*bits)) << " bits in " << format.name << '\n'
            << "multiply-adds / token: " << grouped(account.madds_per_token) << " (token mixers and their projections)\n"
            << "KV elements / token:   " << grouped(account.kv_elements_per_token) << " (state growth per token, empty cache)\n"
            << "triangle:              " << place_words(place) << '\n'
            << "convention:            " << conv_convention << '\n';
  if (bound) {
    std::cout << "certified max pairs:   ";
    if (bound->unbounded) std::cout << "unbounded (eps >= 1 - 1/V: the bound says nothing)\n";
    else std::cout << grouped(bound->max_pairs) << " (N * D(eps, V) <= B with V = " << o.vocab << ", eps = " << o.error << ")\n";
  }
  return exit_code::ok;
}

}  // namespace

void add_arch_commands(CLI::App& root, CommandList& commands) {
  CLI::App* arch = root.add_subcommand("arch", "The architecture catalog: list, show, and exact state accounting.");
  arch->require_subcommand(1);
  arch->footer("Exit codes: 0 success, 1 internal error, 2 bad input (unknown name, bad parameter, malformed --spec).");

  auto list_options = std::make_shared<ListOptions>();
  CLI::App* list = arch->add_subcommand("list", "List the catalog's architectures.");
  list->add_option("--family", list_options->family, "Only this family (attention, ssm, hybrid, ...)");
  list->add_flag("--presets", list_options->presets, "Also list each entry's presets");
  list->add_option("--spec", list_options->spec, "Also load the architectures of this catalog file");
  list->add_flag("--json", list_options->json, "JSON output (docs/catalog.md)");
  commands.push_back({list, [list_options] { return run_list(*list_options); }});

  auto show_options = std::make_shared<ShowOptions>();
  CLI::App* show = arch->add_subcommand("show", "Show one architecture: parameters, formulas, presets, sources.");
  show->add_option("name", show_options->name, "Architecture id")->required();
  show->add_option("--spec", show_options->spec, "Also load the architectures of this catalog file");
  show->add_flag("--json", show_options->json, "JSON output (docs/catalog.md)");
  commands.push_back({show, [show_options] { return run_show(*show_options); }});

  auto state_options = std::make_shared<StateOptions>();
  CLI::App* state = arch->add_subcommand("state", "Exact inference state, per-token cost and recall bound of a configuration.");
  state->add_option("name", state_options->name, "Architecture id (optional with --preset)");
  state->add_option("--preset", state_options->preset, "A released checkpoint's configuration");
  state->add_option("--set", state_options->sets, "Override a parameter: name=value (repeat --set for each)")
      ->allow_extra_args(false);
  state->add_option("--context", state_options->context, "Context length T (default 4096)");
  state->add_option("--precision", state_options->precision, "Number format of the state (default bf16)");
  state->add_option("--vocab", state_options->vocab, "Value alphabet size V for the certified max pairs");
  state->add_option("--error", state_options->error, "Average error eps for the certified max pairs");
  state->add_option("--spec", state_options->spec, "Also load the architectures of this catalog file");
  state->add_option("--emit-proof", state_options->emit_proof,
                    "Also write a proof script of the certified max pairs (needs --vocab/--error; check it with `recallbound check`)");
  state->add_flag("--json", state_options->json, "JSON output (docs/catalog.md)");
  commands.push_back({state, [state_options] { return run_state(*state_options); }});

  arch_support::add_triangle_command(root, commands);
}

}  // namespace recallbound::cli
