// check_script: parse, check the declarations' side conditions, check every step in order, and
// require every step to be used by the conclusion. The first failure decides the verdict.
#include "kernel/script_rules.hpp"
#include "recallbound/error.hpp"
#include "recallbound/kernel/script.hpp"

#include <set>

namespace recallbound::kernel {

namespace {

std::string location(std::string_view file, std::size_t line, std::size_t column) {
  return std::string(file) + ":" + std::to_string(line) + ":" + std::to_string(column);
}

}  // namespace

ScriptVerdict check_script(std::string_view text, std::string_view file, const CertificateSource& certificates) {
  script::Script parsed;
  try {
    parsed = script::parse_script(text);
  } catch (const script::SyntaxError& e) {
    throw Error::bad_input(location(file, e.line, e.column) + ": " + e.message);
  }
  ScriptVerdict verdict;
  verdict.title = parsed.title;
  script::RuleChecker checker(parsed, certificates);
  auto reject = [&](std::size_t line, std::size_t column, std::size_t step, const std::string& reason) {
    verdict.failed_line = line;
    verdict.failed_column = column;
    verdict.failed_step = step;
    verdict.failure = location(file, line, column) + ": " + reason;
    verdict.certificates_checked = checker.certificates_checked();
    return verdict;
  };
  std::size_t declaration_line = 0;
  try {
    checker.check_declarations(declaration_line);
  } catch (const script::RuleFailure& f) {
    return reject(declaration_line, f.column, 0, f.message);
  }
  for (const auto& line : parsed.lines) {
    try {
      checker.check(line);
    } catch (const script::RuleFailure& f) {
      const std::string what = line.hypothesis ? "hypothesis" : line.rule;
      return reject(line.source_line, f.column, line.number, "step " + std::to_string(line.number) + " (" + what + "): " + f.message);
    }
    ++verdict.steps_checked;
  }
  // The conclusion must be a step, and every step must serve it: an unused hypothesis or step is
  // a sign that the proof is not the one intended (and a removed hypothesis must be noticed).
  const script::Line* conclusion = nullptr;
  std::map<std::size_t, const script::Line*> by_number;
  for (const auto& line : parsed.lines) by_number[line.number] = &line;
  if (auto it = by_number.find(parsed.conclusion); it != by_number.end()) conclusion = it->second;
  if (!conclusion)
    return reject(parsed.conclusion_source_line, 1, 0, "conclude names step " + std::to_string(parsed.conclusion) + ", which does not exist");
  if (conclusion->hypothesis)
    return reject(parsed.conclusion_source_line, 1, 0, "the conclusion is a hypothesis; it proves nothing");
  if (!script::claim_indices(conclusion->claim).empty())
    return reject(parsed.conclusion_source_line, 1, 0, "the conclusion still depends on an index; sum over it or state it without");
  std::set<std::size_t> used;
  std::vector<std::size_t> pending{conclusion->number};
  while (!pending.empty()) {
    const std::size_t step = pending.back();
    pending.pop_back();
    if (!used.insert(step).second) continue;
    for (const auto& citation : by_number.at(step)->citations) pending.push_back(citation.step);
  }
  for (const auto& line : parsed.lines)
    if (!used.count(line.number))
      return reject(line.source_line, 1, line.number, "step " + std::to_string(line.number) + " is not used by the conclusion (step " +
                                                          std::to_string(conclusion->number) + ")");
  verdict.verified = true;
  verdict.conclusion = conclusion->text;
  for (const auto& line : parsed.lines)
    if (line.hypothesis) verdict.hypotheses.push_back(line.text);
  verdict.certificates_checked = checker.certificates_checked();
  return verdict;
}

}  // namespace recallbound::kernel
