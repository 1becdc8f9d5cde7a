#include "recallbound/catalog/accounting.hpp"

#include "recallbound/error.hpp"

#include <algorithm>

namespace recallbound::catalog {
namespace {

std::string range_text(const Parameter& p) {
  return std::string(p.integer ? "an integer" : "a number") + " >= " + to_exact_string(p.minimum);
}

Rational checked_value(const Parameter& p, const Rational& value, const std::string& field) {
  if (value < p.minimum || (p.integer && denominator(value) != 1))
    throw Error::bad_input(field + ": " + to_exact_string(value) + " is out of range; " + p.name + " must be " +
                           range_text(p));
  return value;
}

// The exact integer a count formula must produce.
Integer whole_count(const Rational& value, const std::string& what, const std::string& formula) {
  if (denominator(value) != 1)
    throw Error::bad_input(what + " = " + formula + " evaluates to " + to_exact_string(value) +
                           ", not an integer; check the parameters");
  if (value < 0)
    throw Error::bad_input(what + " = " + formula + " evaluates to " + to_exact_string(value) +
                           ", a negative count; check the parameters");
  return numerator(value);
}

}  // namespace

Bindings Configuration::bindings() const {
  Bindings out;
  for (const auto& p : parameters) out[p.name] = p.value;
  for (const auto& d : derived) out[d.name] = d.value;
  return out;
}

Configuration configure(const Architecture& architecture, const Preset* preset,
                        const std::vector<std::pair<std::string, std::string>>& overrides) {
  Configuration config;
  config.architecture = &architecture;
  config.preset = preset;
  for (const auto& p : architecture.parameters)
    config.parameters.push_back({p.name, p.default_value, ValueOrigin::default_value});
  auto slot = [&](const std::string& name) -> ConfiguredValue* {
    for (auto& value : config.parameters)
      if (value.name == name) return &value;
    return nullptr;
  };
  auto declared = [&](const std::string& name) -> const Parameter& {
    return *std::find_if(architecture.parameters.begin(), architecture.parameters.end(),
                         [&](const Parameter& p) { return p.name == name; });
  };
  if (preset) {
    for (const auto& [name, value] : preset->values) {
      ConfiguredValue* target = slot(name);
      if (!target) throw Error::internal("preset '" + preset->id + "' sets unknown parameter '" + name + "'");
      target->value = value;
      target->origin = ValueOrigin::preset;
    }
  }
  for (const auto& [name, text] : overrides) {
    ConfiguredValue* target = slot(name);
    if (!target) {
      std::vector<std::string> names;
      for (const auto& p : architecture.parameters) names.push_back(p.name);
      auto near = closest_names(name, names, 3);
      std::string hint;
      for (std::size_t i = 0; i < near.size(); ++i) hint += (i ? ", " : "; closest: ") + near[i];
      throw Error::bad_input("--set " + name + ": '" + architecture.id + "' has no parameter '" + name + "'" + hint);
    }
    const Parameter& p = declared(name);
    target->value = checked_value(p, parse_rational(text, "--set " + name), "--set " + name);
    target->origin = ValueOrigin::user;
  }
  Bindings bindings = config.bindings();
  for (const auto& d : architecture.derived) {
    Rational value = d.formula.evaluate(bindings, architecture.id + ": derived " + d.name);
    bindings[d.name] = value;
    config.derived.push_back({d.name, value, ValueOrigin::default_value});
  }
  return config;
}

StateAccount account(const Configuration& configuration, const Integer& T) {
  if (!configuration.architecture) throw Error::internal("account: configuration without an architecture");
  if (T < 0) throw Error::bad_input("--context: " + T.str() + " is out of range; T must be an integer >= 0");
  const Architecture& arch = *configuration.architecture;
  Bindings bindings = configuration.bindings();
  auto evaluate_total = [&](const Integer& context, bool keep) {
    bindings["T"] = Rational(context);
    StateAccount result;
    result.context = context;
    for (const auto& block : arch.blocks) {
      std::string where = arch.id + ": block " + block.name;
      BlockAccount account_of_block;
      account_of_block.name = block.name;
      account_of_block.layers = whole_count(block.count.evaluate(bindings, where + " count"), where + " count",
                                            block.count.text());
      for (const auto& buffer : block.state) {
        std::string buffer_where = where + " buffer " + buffer.name;
        Integer numbers = whole_count(buffer.numbers.evaluate(bindings, buffer_where), buffer_where, buffer.numbers.text());
        account_of_block.numbers_per_layer += numbers;
        if (keep) account_of_block.buffers.push_back({buffer.name, buffer.numbers.text(), numbers, buffer.what});
      }
      account_of_block.madds_per_layer =
          whole_count(block.madds.evaluate(bindings, where + " madds"), where + " madds", block.madds.text());
      account_of_block.numbers_total = account_of_block.layers * account_of_block.numbers_per_layer;
      account_of_block.madds_total = account_of_block.layers * account_of_block.madds_per_layer;
      result.state_numbers += account_of_block.numbers_total;
      result.madds_per_token += account_of_block.madds_total;
      result.blocks.push_back(std::move(account_of_block));
    }
    return result;
  };
  StateAccount result = evaluate_total(T, true);
  result.kv_elements_per_token = evaluate_total(1, false).state_numbers - evaluate_total(0, false).state_numbers;
  return result;
}

Integer state_numbers(const Configuration& configuration, const Integer& T) {
  return account(configuration, T).state_numbers;
}

Integer madds_per_token(const Configuration& configuration, const Integer& T) {
  return account(configuration, T).madds_per_token;
}

Integer catalog_state_numbers(const std::string& arch_id,
                              const std::vector<std::pair<std::string, std::string>>& overrides, const Integer& T) {
  const Architecture& arch = Catalog::builtin().find(arch_id);
  return state_numbers(configure(arch, nullptr, overrides), T);
}

}  // namespace recallbound::catalog
