// The mutation test of issue 5: every proof under proofs/ is altered step by step (a hypothesis
// removed, an inequality turned around, a number changed, a citation pointed elsewhere, a symbol
// such as N given a value that breaks its side condition, e.g. N = 0) and every mutant must be rejected by the kernel.
#include "proof_files.hpp"

#include "recallbound/error.hpp"

#include <doctest/doctest.h>

#include <random>
#include <regex>

namespace {

using recallbound::test::Lines;

struct Mutant {
  std::string what;
  std::string text;
};

std::string claim_part(const std::string& line) {
  const auto by = line.find(" by ");
  return by == std::string::npos ? line : line.substr(0, by);
}

bool is_step(const std::string& line) { return std::regex_search(line, std::regex(R"(^\d+\. )")); }
bool is_hypothesis(const std::string& line) { return std::regex_search(line, std::regex(R"(^\d+\. hypothesis )")); }

std::vector<Mutant> mutants_of(const Lines& lines) {
  std::vector<Mutant> mutants;
  auto with_line = [&](std::size_t i, const std::string& replacement, const std::string& what) {
    Lines copy = lines;
    copy[i] = replacement;
    mutants.push_back({what + " (line " + std::to_string(i + 1) + ")", recallbound::test::join(copy)});
  };
  std::vector<std::string> step_numbers;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    std::smatch m;
    if (is_hypothesis(line)) with_line(i, "", "hypothesis removed");
    if (is_step(line) && !is_hypothesis(line)) {
      const std::string claim = claim_part(line), rest = line.substr(claim.size());
      // An inequality turned around.
      for (const auto& [from, to] : {std::pair{"<=", ">="}, std::pair{">=", "<="}})
        if (auto at = claim.find(from); at != std::string::npos)
          with_line(i, claim.substr(0, at) + to + claim.substr(at + 2) + rest, "inequality turned around");
      // A number changed (outside index brackets such as X[1..N]).
      std::string::const_iterator from = claim.begin();
      const std::regex number(R"((^|[^\[\.\d/A-Za-z_])(\d+))");
      while (std::regex_search(from, claim.cend(), m, number)) {
        const std::size_t at = static_cast<std::size_t>(m[2].first - claim.begin());
        const std::string changed = std::to_string(std::stoull(m[2].str()) + 1);
        if (at > line.find('.') && claim.compare(at + m[2].length(), 2, "..") != 0)  // not the step number, not 1..N
          with_line(i, claim.substr(0, at) + changed + claim.substr(at + m[2].length()) + rest, "number changed");
        from = m[2].second;
      }
      // A citation pointed elsewhere: every other earlier step.
      const std::regex citation(R"((by [a-z\-]+ |, )(\d+))");
      for (auto it = std::sregex_iterator(rest.begin(), rest.end(), citation); it != std::sregex_iterator(); ++it) {
        const std::size_t at = claim.size() + static_cast<std::size_t>((*it)[2].first - rest.begin());
        for (const auto& other : step_numbers)
          if (other != (*it)[2].str() && rest.find(" " + other + ",") == std::string::npos &&
              rest.find(" " + other + "*") == std::string::npos &&
              !std::regex_search(rest, std::regex(" " + other + "$")))
            with_line(i, line.substr(0, at) + other + line.substr(at + (*it)[2].length()), "citation pointed elsewhere");
      }
    }
    if (std::regex_search(line, m, std::regex(R"(^(\d+)\. )"))) step_numbers.push_back(m[1].str());
    // A declared value changed (the instance's numbers no longer match its steps).
    if (std::regex_search(line, m, std::regex(R"(^(symbol .* = )(\d+)$)")))
      with_line(i, m[1].str() + std::to_string(std::stoull(m[2].str()) + 1), "number changed");
    // A symbol given a value that breaks a side condition (its lower bound minus one).
    if (std::regex_search(line, m, std::regex(R"(^(symbol \w+ \w+ >= (-?\d+))(.*?)( = .*)?$)"))) {
      const std::string broken = std::to_string(std::stoll(m[2].str()) - 1);
      with_line(i, m[1].str() + m[3].str() + " = " + broken, "side condition broken by a value");
    }
  }
  return mutants;
}

}  // namespace

TEST_CASE("every mutant of every proof in proofs/ is rejected") {
  const auto files = recallbound::test::proof_files(false);
  REQUIRE(files.size() >= 5);
  const auto source = recallbound::test::prover_source();
  std::size_t total = 0, malformed = 0;
  std::map<std::string, std::size_t> by_kind, malformed_by_kind;
  for (const auto& file : files) {
    const Lines lines = recallbound::test::read_lines(file);
    // The original verifies, so a rejected mutant is rejected because of its mutation.
    REQUIRE_MESSAGE(recallbound::kernel::check_script(recallbound::test::join(lines), file, source).verified, file);
    const auto mutants = mutants_of(lines);
    CHECK_MESSAGE(mutants.size() >= 2, file);
    for (const auto& mutant : mutants) {
      ++total;
      ++by_kind[mutant.what.substr(0, mutant.what.find(" ("))];
      bool verified = false;
      try {
        verified = recallbound::kernel::check_script(mutant.text, file, source).verified;
      } catch (const recallbound::Error& e) {
        if (malformed < 3) MESSAGE(mutant.what << ": " << std::string(e.what()));
        ++malformed;  // not accepted either; counted to keep the test honest about what it checks
        ++malformed_by_kind[mutant.what.substr(0, mutant.what.find(" ("))];
      }
      CHECK_MESSAGE(!verified, file << ": mutant survived: " << mutant.what);
    }
  }
  MESSAGE("mutants: " << total << ", of which malformed: " << malformed);
  for (const auto& [kind, count] : by_kind) MESSAGE(kind << ": " << count << " (malformed: " << malformed_by_kind[kind] << ")");
  CHECK(by_kind.size() == 5);
  CHECK(malformed == 0);  // every mutant is a well-formed wrong proof, rejected by a rule
}

TEST_CASE("random character edits never crash the checker: a verdict or bad_input, nothing else") {
  const std::string original = recallbound::test::join(
      recallbound::test::read_lines(recallbound::test::source_dir() + "/proofs/recall_capacity.proof"));
  const auto source = recallbound::test::prover_source();
  const std::string alphabet = "()[],;|+-*/=<>:.0123456789abcXYZNiS _#\n\t";
  std::mt19937_64 random(20261128);  // fixed seed: the same edits on every run
  std::size_t verdicts = 0, malformed = 0;
  for (std::size_t k = 0; k < 300; ++k) {
    std::string text = original;
    const std::size_t edits = 1 + random() % 4;
    for (std::size_t e = 0; e < edits; ++e) {
      const std::size_t at = random() % text.size();
      const char c = alphabet[random() % alphabet.size()];
      switch (random() % 3) {
        case 0: text.erase(at, 1); break;
        case 1: text.insert(at, 1, c); break;
        default: text[at] = c;
      }
    }
    try {
      recallbound::kernel::check_script(text, "fuzz", source);
      ++verdicts;
    } catch (const recallbound::Error& e) {
      CHECK_MESSAGE(e.kind() == recallbound::ErrorKind::bad_input, e.what());
      CHECK_MESSAGE(std::string(e.what()).rfind("fuzz:", 0) == 0, e.what());  // names the file
      ++malformed;
    }
  }
  MESSAGE(verdicts << " verdicts, " << malformed << " malformed");
  CHECK(verdicts + malformed == 300);
  CHECK(malformed > 0);
}
