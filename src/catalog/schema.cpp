// The catalog schema, enforced at load time. Every message names the file, the entry and the
// field. Unknown keys are rejected so that a typo ("defualt") cannot silently drop a value.
#include "recallbound/catalog/architecture.hpp"

#include "recallbound/error.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <set>

namespace recallbound::catalog {
namespace {

using Json = nlohmann::ordered_json;

constexpr const char* catalog_format = "recallbound-catalog";

class Where {  // the "file: architecture 'id'" prefix of every message
 public:
  explicit Where(std::string prefix) : prefix_(std::move(prefix)) {}
  [[nodiscard]] std::string field(const std::string& name) const { return prefix_ + ": " + name; }
  [[noreturn]] void fail(const std::string& field_name, const std::string& what) const {
    throw Error::bad_input(field(field_name) + ": " + what);
  }
  [[nodiscard]] const std::string& prefix() const { return prefix_; }

 private:
  std::string prefix_;
};

void reject_unknown_keys(const Json& object, const std::set<std::string>& allowed, const Where& where,
                         const std::string& field_name) {
  for (const auto& item : object.items()) {
    if (allowed.count(item.key())) continue;
    std::vector<std::string> names(allowed.begin(), allowed.end());
    auto near = closest_names(item.key(), names, 1);
    std::string hint = near.empty() ? "" : " (did you mean '" + near.front() + "'?)";
    where.fail(field_name.empty() ? item.key() : field_name + "." + item.key(), "unknown field" + hint);
  }
}

const Json& required(const Json& object, const std::string& key, const Where& where, const std::string& path) {
  auto found = object.find(key);
  if (found == object.end()) where.fail(path + key, "missing (required)");
  return *found;
}

std::string required_string(const Json& object, const std::string& key, const Where& where,
                            const std::string& path = "") {
  const Json& value = required(object, key, where, path);
  if (!value.is_string() || value.get<std::string>().empty())
    where.fail(path + key, "must be a non-empty string");
  return value.get<std::string>();
}

std::string optional_string(const Json& object, const std::string& key, const Where& where,
                            const std::string& path = "") {
  auto found = object.find(key);
  if (found == object.end()) return "";
  if (!found->is_string()) where.fail(path + key, "must be a string");
  return found->get<std::string>();
}

// Exact numbers: JSON integers, or strings such as "1/2", "0.5", "1e6" (a JSON 0.5 would have gone
// through a double, so non-integer JSON numbers are refused).
Rational exact_number(const Json& value, const Where& where, const std::string& field_name) {
  if (value.is_number_integer()) {
    return value.is_number_unsigned() ? Rational(Integer(value.get<std::uint64_t>()))
                                      : Rational(Integer(value.get<std::int64_t>()));
  }
  if (value.is_string()) return parse_rational(value.get<std::string>(), where.field(field_name));
  where.fail(field_name, "must be an integer or an exact number written as a string (\"1/2\", \"0.5\")");
}

Formula formula_field(const Json& object, const std::string& key, const Where& where, const std::string& path) {
  const Json& value = required(object, key, where, path);
  if (value.is_number_integer()) return Formula::parse(value.dump(), where.field(path + key));
  if (!value.is_string()) where.fail(path + key, "must be a formula string");
  return Formula::parse(value.get<std::string>(), where.field(path + key));
}

void check_name(const std::string& name, const Where& where, const std::string& field_name) {
  if (!is_identifier(name)) where.fail(field_name, "'" + name + "' is not a valid name (letters, digits, _)");
  if (name == "T") where.fail(field_name, "'T' is reserved for the context length");
  if (is_reserved_name(name)) where.fail(field_name, "'" + name + "' is a function name");
}

std::vector<Parameter> parse_parameters(const Json& list, const Where& where) {
  if (!list.is_array() || list.empty()) where.fail("parameters", "must be a non-empty array");
  std::vector<Parameter> out;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const Json& item = list[i];
    std::string path = "parameters[" + std::to_string(i) + "].";
    if (!item.is_object()) where.fail(path.substr(0, path.size() - 1), "must be an object");
    reject_unknown_keys(item, {"name", "default", "min", "integer", "description", "source"}, where,
                        path.substr(0, path.size() - 1));
    Parameter p;
    p.name = required_string(item, "name", where, path);
    check_name(p.name, where, path + "name");
    if (!seen.insert(p.name).second) where.fail(path + "name", "'" + p.name + "' is declared twice");
    p.default_value = exact_number(required(item, "default", where, path), where, path + "default");
    if (item.contains("min")) p.minimum = exact_number(item["min"], where, path + "min");
    if (item.contains("integer")) {
      if (!item["integer"].is_boolean()) where.fail(path + "integer", "must be true or false");
      p.integer = item["integer"].get<bool>();
    }
    p.description = required_string(item, "description", where, path);
    p.source = optional_string(item, "source", where, path);
    if (p.default_value < p.minimum)
      where.fail(path + "default", to_exact_string(p.default_value) + " is below the minimum " +
                                       to_exact_string(p.minimum));
    if (p.integer && denominator(p.default_value) != 1)
      where.fail(path + "default", to_exact_string(p.default_value) + " is not an integer");
    out.push_back(std::move(p));
  }
  return out;
}

std::vector<Block> parse_blocks(const Json& list, const Where& where) {
  if (!list.is_array() || list.empty()) where.fail("blocks", "must be a non-empty array");
  std::vector<Block> out;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const Json& item = list[i];
    std::string path = "blocks[" + std::to_string(i) + "].";
    if (!item.is_object()) where.fail("blocks[" + std::to_string(i) + "]", "must be an object");
    reject_unknown_keys(item, {"name", "count", "state", "madds", "source"}, where, path.substr(0, path.size() - 1));
    Block block{required_string(item, "name", where, path), formula_field(item, "count", where, path), {},
                formula_field(item, "madds", where, path), optional_string(item, "source", where, path)};
    const Json& state = required(item, "state", where, path);
    if (!state.is_array() || state.empty()) where.fail(path + "state", "must be a non-empty array of buffers");
    for (std::size_t j = 0; j < state.size(); ++j) {
      std::string buffer_path = path + "state[" + std::to_string(j) + "].";
      if (!state[j].is_object()) where.fail(buffer_path.substr(0, buffer_path.size() - 1), "must be an object");
      reject_unknown_keys(state[j], {"name", "numbers", "what"}, where, buffer_path.substr(0, buffer_path.size() - 1));
      block.state.push_back({required_string(state[j], "name", where, buffer_path),
                             formula_field(state[j], "numbers", where, buffer_path),
                             required_string(state[j], "what", where, buffer_path)});
    }
    out.push_back(std::move(block));
  }
  return out;
}

std::vector<Preset> parse_presets(const Json& list, const Where& where, const std::vector<Parameter>& parameters) {
  if (!list.is_array()) where.fail("presets", "must be an array");
  std::vector<Preset> out;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const Json& item = list[i];
    std::string path = "presets[" + std::to_string(i) + "].";
    if (!item.is_object()) where.fail("presets[" + std::to_string(i) + "]", "must be an object");
    reject_unknown_keys(item, {"id", "name", "values", "source", "notes"}, where, path.substr(0, path.size() - 1));
    Preset preset;
    preset.id = required_string(item, "id", where, path);
    preset.name = required_string(item, "name", where, path);
    preset.source = required_string(item, "source", where, path);
    preset.notes = optional_string(item, "notes", where, path);
    const Json& values = required(item, "values", where, path);
    if (!values.is_object()) where.fail(path + "values", "must be an object of parameter: value");
    for (const auto& value : values.items()) {
      std::string field_name = path + "values." + value.key();
      auto declared = std::find_if(parameters.begin(), parameters.end(),
                                   [&](const Parameter& p) { return p.name == value.key(); });
      if (declared == parameters.end()) where.fail(field_name, "not a parameter of this architecture");
      Rational v = exact_number(value.value(), where, field_name);
      if (v < declared->minimum)
        where.fail(field_name, to_exact_string(v) + " is below the minimum " + to_exact_string(declared->minimum));
      if (declared->integer && denominator(v) != 1) where.fail(field_name, to_exact_string(v) + " is not an integer");
      preset.values.emplace_back(value.key(), v);
    }
    out.push_back(std::move(preset));
  }
  return out;
}

// Every name a formula reads must be a parameter, an earlier derived value or T.
void check_formula_names(const Formula& formula, const std::set<std::string>& known, const Where& where,
                         const std::string& field_name) {
  for (const auto& name : formula.names()) {
    if (known.count(name)) continue;
    std::vector<std::string> candidates;  // T is always known; suggesting it for every typo would mislead
    for (const auto& candidate : known)
      if (candidate != "T") candidates.push_back(candidate);
    auto near = closest_names(name, candidates, 1);
    where.fail(field_name, "unknown name '" + name + "' in '" + formula.text() + "'" +
                               (near.empty() ? "" : " (did you mean '" + near.front() + "'?)"));
  }
}

Architecture parse_architecture(const Json& item, const std::string& file, std::size_t index) {
  std::string id = item.is_object() && item.contains("id") && item["id"].is_string() ? item["id"].get<std::string>()
                                                                                       : "#" + std::to_string(index);
  Where where(file + ": architecture '" + id + "'");
  if (!item.is_object()) where.fail("entry", "must be an object");
  reject_unknown_keys(item, {"id", "name", "year", "family", "citation", "summary", "notes", "parameters", "derived",
                             "blocks", "presets", "path"},
                      where, "");
  Architecture arch;
  arch.origin = file;
  arch.id = required_string(item, "id", where);
  for (char c : arch.id)
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '-' ||
          c == '.'))
      where.fail("id", "'" + arch.id + "' may contain only lower-case letters, digits, '-' and '.'");
  arch.name = required_string(item, "name", where);
  const Json& year = required(item, "year", where, "");
  if (!year.is_number_integer() || year.get<std::int64_t>() < 1950 || year.get<std::int64_t>() > 2026)
    where.fail("year", "must be an integer year between 1950 and 2026");
  arch.year = year.get<std::int64_t>();
  arch.family = required_string(item, "family", where);
  const auto& families = family_names();
  if (std::find(families.begin(), families.end(), arch.family) == families.end()) {
    std::string list;
    for (const auto& f : families) list += (list.empty() ? "" : ", ") + f;
    where.fail("family", "'" + arch.family + "' is not one of: " + list);
  }
  arch.citation = required_string(item, "citation", where);
  arch.summary = required_string(item, "summary", where);
  arch.notes = optional_string(item, "notes", where);
  arch.parameters = parse_parameters(required(item, "parameters", where, ""), where);

  std::set<std::string> known{"T"};
  for (const auto& p : arch.parameters) known.insert(p.name);
  if (item.contains("derived")) {
    const Json& derived = item["derived"];
    if (!derived.is_array()) where.fail("derived", "must be an array of {name, formula}");
    for (std::size_t i = 0; i < derived.size(); ++i) {
      std::string path = "derived[" + std::to_string(i) + "].";
      if (!derived[i].is_object()) where.fail(path.substr(0, path.size() - 1), "must be an object");
      reject_unknown_keys(derived[i], {"name", "formula"}, where, path.substr(0, path.size() - 1));
      DerivedValue value{required_string(derived[i], "name", where, path), formula_field(derived[i], "formula", where, path)};
      check_name(value.name, where, path + "name");
      if (known.count(value.name)) where.fail(path + "name", "'" + value.name + "' is already defined");
      // Only earlier names are visible: the order in the file is the evaluation order, so no cycles.
      check_formula_names(value.formula, known, where, path + "formula");
      known.insert(value.name);
      arch.derived.push_back(std::move(value));
    }
  }
  arch.blocks = parse_blocks(required(item, "blocks", where, ""), where);
  for (std::size_t i = 0; i < arch.blocks.size(); ++i) {
    std::string path = "blocks[" + std::to_string(i) + "].";
    check_formula_names(arch.blocks[i].count, known, where, path + "count");
    check_formula_names(arch.blocks[i].madds, known, where, path + "madds");
    for (std::size_t j = 0; j < arch.blocks[i].state.size(); ++j)
      check_formula_names(arch.blocks[i].state[j].numbers, known, where,
                          path + "state[" + std::to_string(j) + "].numbers");
    if (arch.blocks[i].count.names().count("T")) where.fail(path + "count", "a layer count may not depend on T");
  }
  if (item.contains("presets")) arch.presets = parse_presets(item["presets"], where, arch.parameters);
  if (item.contains("path")) {
    const Json& path = item["path"];
    if (!path.is_object()) where.fail("path", "must be an object {parameter, values, description}");
    reject_unknown_keys(path, {"parameter", "values", "description"}, where, "path");
    PathSpec spec;
    spec.parameter = required_string(path, "parameter", where, "path.");
    auto declared = std::find_if(arch.parameters.begin(), arch.parameters.end(),
                                 [&](const Parameter& p) { return p.name == spec.parameter; });
    if (declared == arch.parameters.end()) where.fail("path.parameter", "'" + spec.parameter + "' is not a parameter");
    const Json& values = required(path, "values", where, "path.");
    if (!values.is_array() || values.size() < 2) where.fail("path.values", "must be an array of at least two values");
    for (std::size_t i = 0; i < values.size(); ++i) {
      Rational v = exact_number(values[i], where, "path.values[" + std::to_string(i) + "]");
      if (v < declared->minimum || (declared->integer && denominator(v) != 1))
        where.fail("path.values[" + std::to_string(i) + "]", to_exact_string(v) + " is not an allowed value of " + spec.parameter);
      spec.values.push_back(v);
    }
    spec.description = required_string(path, "description", where, "path.");
    arch.path = std::move(spec);
  } else if (arch.family == "hybrid") {
    where.fail("path", "missing: a hybrid must name the parameter along which it moves in the triangle");
  }
  return arch;
}

// nlohmann's message repeats the position ("[json.exception.parse_error.101] parse error at line 3,
// column 20: syntax error ..."); keep only the reason after it.
std::string parse_error_reason(const std::string& message) {
  std::size_t column = message.rfind("column ");
  std::size_t colon = column == std::string::npos ? std::string::npos : message.find(": ", column);
  return colon == std::string::npos ? message : message.substr(colon + 2);
}

}  // namespace

const std::vector<std::string>& family_names() {
  static const std::vector<std::string> names{"attention",       "kv-sharing-attention", "sparse-attention",
                                              "efficient-attention", "recurrent-memory", "ssm",
                                              "linear-recurrence",   "hybrid"};
  return names;
}

Catalog Catalog::from_json_text(const std::string& text, const std::string& file) {
  Json document;
  try {
    document = Json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    // nlohmann reports the byte offset; turn it into line and column for a person.
    std::size_t offset = std::min<std::size_t>(e.byte == 0 ? 0 : e.byte - 1, text.size());
    std::size_t line = 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
    std::size_t line_start = text.rfind('\n', offset == 0 ? 0 : offset - 1);
    std::size_t column = offset - (line_start == std::string::npos ? 0 : line_start + 1) + 1;
    throw Error::bad_input(file + ": line " + std::to_string(line) + ", column " + std::to_string(column) +
                           ": not valid JSON (" + parse_error_reason(e.what()) + ")");
  }
  Where where(file);
  if (!document.is_object()) where.fail("document", "must be a JSON object with format, version, architectures");
  reject_unknown_keys(document, {"format", "version", "architectures", "comment"}, where, "");
  if (document.value("format", "") != catalog_format)
    where.fail("format", std::string("must be \"") + catalog_format + "\"");
  if (!document.contains("version") || document["version"] != 1) where.fail("version", "must be 1");
  const Json& list = required(document, "architectures", where, "");
  if (!list.is_array()) where.fail("architectures", "must be an array");
  Catalog catalog;
  for (std::size_t i = 0; i < list.size(); ++i) {
    Catalog one;
    one.architectures_.push_back(parse_architecture(list[i], file, i));
    catalog.merge(one);
  }
  return catalog;
}

}  // namespace recallbound::catalog
