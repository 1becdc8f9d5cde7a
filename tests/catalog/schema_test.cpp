// The shipped catalog and the schema enforced at load time: messages name file, entry and field.
#include "recallbound/catalog/accounting.hpp"
#include "recallbound/catalog/architecture.hpp"
#include "recallbound/error.hpp"

#include <doctest/doctest.h>

#include <set>

using recallbound::Error;
using recallbound::Integer;
using namespace recallbound::catalog;

namespace {

// A minimal valid document around one architecture entry, so each test changes one thing.
std::string document(const std::string& entry) {
  return R"({"format": "recallbound-catalog", "version": 1, "architectures": [)" + entry + "]}";
}

const std::string valid_entry = R"({
  "id": "toy", "name": "Toy", "year": 2024, "family": "ssm", "citation": "none", "summary": "a toy",
  "parameters": [{"name": "d", "default": 4, "min": 1, "description": "width"}],
  "blocks": [{"name": "b", "count": "2", "madds": "d * d",
              "state": [{"name": "s", "numbers": "d * d", "what": "matrix"}]}]
})";

std::string load_error(const std::string& text) {
  try {
    (void)Catalog::from_json_text(text, "user.json");
  } catch (const Error& e) {
    CHECK(e.kind() == recallbound::ErrorKind::bad_input);
    return e.what();
  }
  return "no error";
}

std::string with(const std::string& from, const std::string& to) {
  std::string entry = valid_entry;
  auto at = entry.find(from);
  REQUIRE(at != std::string::npos);
  return document(entry.replace(at, from.size(), to));
}

}  // namespace

TEST_CASE("catalog: the shipped catalog has at least 60 valid entries with unique ids") {
  const auto& all = Catalog::builtin().architectures();
  CHECK(all.size() >= 60);
  std::set<std::string> ids;
  for (const auto& arch : all) {
    CHECK_MESSAGE(ids.insert(arch.id).second, arch.id);
    CHECK_MESSAGE(!arch.citation.empty(), arch.id);
    CHECK_MESSAGE(arch.year <= 2026, arch.id);
    // Every entry evaluates at its defaults, at T = 0, 1 and 10^6, to non-negative integers.
    Configuration config = configure(arch, nullptr, {});
    for (long t : {0L, 1L, 1000000L}) {
      StateAccount account = recallbound::catalog::account(config, Integer(t));
      CHECK_MESSAGE(account.state_numbers >= 0, arch.id);
      CHECK_MESSAGE(account.madds_per_token >= 0, arch.id);
    }
  }
}

TEST_CASE("catalog: every family of the issue is covered") {
  std::set<std::string> families;
  for (const auto& arch : Catalog::builtin().architectures()) families.insert(arch.family);
  for (const auto& family : family_names()) CHECK_MESSAGE(families.count(family), family);
}

TEST_CASE("catalog: the seven reference models are present with the models layer's parameters") {
  const auto& catalog = Catalog::builtin();
  for (std::string id : {"softmax-attention", "sliding-window-attention", "linear-attention", "mamba2-ssm", "deltanet",
                         "gated-deltanet", "based"}) {
    const Architecture& arch = catalog.find(id);
    std::set<std::string> names;
    for (const auto& p : arch.parameters) names.insert(p.name);
    CHECK_MESSAGE(names.count("d"), id);
    CHECK_MESSAGE(names.count("d_v"), id);
    CHECK_MESSAGE(names.count("conv"), id);
  }
  CHECK(catalog_state_numbers("linear-attention", {{"d", "64"}, {"d_v", "64"}, {"feature_dim", "64"}, {"conv", "2"}},
                              Integer(1000)) == Integer(64 * 64 + 1 * 64));  // S [64, 64] + token shift, no normaliser
  CHECK(catalog_state_numbers("softmax-attention", {{"d", "32"}, {"d_v", "16"}}, Integer(100)) ==
        Integer(100 * (32 + 16) + 32));
  CHECK(catalog_state_numbers("sliding-window-attention", {{"window", "8"}}, Integer(100)) == Integer(8 * 128 + 64));
  CHECK(catalog_state_numbers("based", {{"feature_dim", "4"}, {"window", "8"}, {"d", "16"}, {"d_v", "16"}},
                              Integer(3)) == Integer((1 + 4 + 16) * 16 + (1 + 4 + 16) + 3 * 32 + 16));
}

TEST_CASE("schema: a valid document loads and evaluates") {
  Catalog catalog = Catalog::from_json_text(document(valid_entry), "user.json");
  REQUIRE(catalog.architectures().size() == 1);
  CHECK(state_numbers(configure(catalog.architectures()[0], nullptr, {}), Integer(5)) == Integer(2 * 16));
}

TEST_CASE("schema: malformed files give messages naming file, entry and field") {
  CHECK(load_error("{\"format\": \"recallbound-catalog\",\n \"version\": 1,\n \"architectures\": [,]}")
            == "user.json: line 3, column 20: not valid JSON (syntax error while parsing value - unexpected ','; expected '[', '{', or a literal)");
  CHECK(load_error(R"({"format": "other", "version": 1, "architectures": []})") ==
        "user.json: format: must be \"recallbound-catalog\"");
  CHECK(load_error(with(R"("min": 1,)", R"("mni": 1,)")) ==
        "user.json: architecture 'toy': parameters[0].mni: unknown field (did you mean 'min'?)");
  CHECK(load_error(with(R"("citation": "none", )", "")) == "user.json: architecture 'toy': citation: missing (required)");
  CHECK(load_error(with(R"("numbers": "d * d")", R"("numbers": "d * e")")) ==
        "user.json: architecture 'toy': blocks[0].state[0].numbers: unknown name 'e' in 'd * e' (did you mean 'd'?)");
  CHECK(load_error(with(R"("madds": "d * d")", R"("madds": "d * (d")")) ==
        "user.json: architecture 'toy': blocks[0].madds: column 7: expected ')' to close the '(' at column 5: d * (d");
  CHECK(load_error(with(R"("default": 4)", R"("default": -4)")) ==
        "user.json: architecture 'toy': parameters[0].default: -4 is below the minimum 1");
  CHECK(load_error(with(R"("default": 4)", R"("default": 0.5)")) ==
        "user.json: architecture 'toy': parameters[0].default: must be an integer or an exact number written as a string (\"1/2\", \"0.5\")");
  CHECK(load_error(with(R"("family": "ssm")", R"("family": "hybrid")")) ==
        "user.json: architecture 'toy': path: missing: a hybrid must name the parameter along which it moves in the triangle");
  CHECK(load_error(with(R"("family": "ssm")", R"("family": "rnn")")).find("family: 'rnn' is not one of: attention") !=
        std::string::npos);
  CHECK(load_error(with(R"("count": "2")", R"("count": "T")")) ==
        "user.json: architecture 'toy': blocks[0].count: a layer count may not depend on T");
  CHECK(load_error(with(R"("name": "d")", R"("name": "T")")) ==
        "user.json: architecture 'toy': parameters[0].name: 'T' is reserved for the context length");
  CHECK(load_error(with(R"("year": 2024)", R"("year": 2031)")) ==
        "user.json: architecture 'toy': year: must be an integer year between 1950 and 2026");
  CHECK(load_error(document(valid_entry + "," + valid_entry)) ==
        "user.json: architecture 'toy': id: already defined in user.json");
}

TEST_CASE("schema: presets may only set declared parameters within range") {
  std::string entry = valid_entry;
  entry.insert(entry.rfind('}'), R"(, "presets": [{"id": "p", "name": "P", "source": "s", "values": {"q": 2}}])");
  CHECK(load_error(document(entry)) == "user.json: architecture 'toy': presets[0].values.q: not a parameter of this architecture");
  entry = valid_entry;
  entry.insert(entry.rfind('}'), R"(, "presets": [{"id": "p", "name": "P", "source": "s", "values": {"d": "3/2"}}])");
  CHECK(load_error(document(entry)) == "user.json: architecture 'toy': presets[0].values.d: 3/2 is not an integer");
}

TEST_CASE("lookup: unknown names suggest the closest ones") {
  const auto& catalog = Catalog::builtin();
  try {
    (void)catalog.find("mamba3");
    FAIL("no error");
  } catch (const Error& e) {
    std::string message = e.what();
    CHECK(message.rfind("architecture: unknown name 'mamba3'; closest: mamba", 0) == 0);
  }
  try {
    (void)catalog.find_preset("llama-3-7b");
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).rfind("--preset: unknown preset 'llama-3-7b'; closest: llama-3-8b", 0) == 0);
  }
}

TEST_CASE("configure: --set values are checked against each parameter's range") {
  const Architecture& arch = Catalog::builtin().find("mamba");
  auto error_of = [&](const std::string& name, const std::string& value) {
    try {
      (void)configure(arch, nullptr, {{name, value}});
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(error_of("d_state", "-3") == "--set d_state: -3 is out of range; d_state must be an integer >= 1");
  CHECK(error_of("d_state", "1.5") == "--set d_state: 3/2 is out of range; d_state must be an integer >= 1");
  CHECK(error_of("d_stat", "3").rfind("--set d_stat: 'mamba' has no parameter 'd_stat'; closest: d_state", 0) == 0);
  CHECK(error_of("d_state", "abc").rfind("--set d_state: 'abc' is not an exact number", 0) == 0);
  Configuration config = configure(arch, nullptr, {{"d_state", "32"}});
  CHECK(state_numbers(config, Integer(1)) == Integer(64 * (5120 * 32 + 5120 * 3)));
}

TEST_CASE("configure: counts that come out negative or fractional are bad input") {
  const Architecture& jamba = Catalog::builtin().find("jamba");
  Configuration config = configure(jamba, nullptr, {{"attn_layers", "40"}});
  CHECK_THROWS_WITH_AS(state_numbers(config, Integer(1)),
                       "jamba: block mamba count = n_layers - attn_layers evaluates to -8, a negative count; check the parameters",
                       Error);
  const Architecture& gla = Catalog::builtin().find("gla");
  Configuration odd = configure(gla, nullptr, {{"d_model", "2049"}});
  CHECK_THROWS_WITH_AS(state_numbers(odd, Integer(1)),
                       "gla: block gla buffer state = key_dim * value_dim / n_heads evaluates to 4198401/8, not an integer; check the parameters",
                       Error);
}
