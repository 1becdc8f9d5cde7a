// Reading and writing certificates (proofs/CERTIFICATE.md). Reading is strict: one statement per
// line in a fixed order, and the first deviation is reported with its line (rule F or V).
#include "recallbound/error.hpp"
#include "recallbound/kernel/certificate.hpp"

#include <sstream>

namespace recallbound::kernel {

namespace {

std::string trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r");
  return std::string(text.substr(first, last - first + 1));
}

struct Line {
  std::size_t number = 0;
  std::string keyword;
  std::string rest;
};

class Reader {
 public:
  explicit Reader(std::string_view text) {
    std::size_t number = 0;
    std::size_t start = 0;
    while (start <= text.size()) {
      const auto newline = text.find('\n', start);
      const auto end = newline == std::string_view::npos ? text.size() : newline;
      ++number;
      const std::string content = trim(text.substr(start, end - start));
      if (!content.empty() && content[0] != '#') {
        const auto blank = content.find_first_of(" \t");
        Line line{number, content.substr(0, blank), blank == std::string::npos ? "" : trim(content.substr(blank))};
        lines_.push_back(line);
      }
      if (newline == std::string_view::npos) break;
      start = newline + 1;
    }
    last_line_ = number;
  }

  [[nodiscard]] bool at_end() const { return position_ >= lines_.size(); }
  [[nodiscard]] const Line& peek() const { return lines_[position_]; }
  [[nodiscard]] bool next_is(std::string_view keyword) const { return !at_end() && peek().keyword == keyword; }
  const Line& take(std::string_view keyword) {
    if (at_end())
      fail(last_line_, "F", "the file ends where '" + std::string(keyword) + "' was expected (truncated?)");
    if (peek().keyword != keyword)
      fail(peek().number, "F", "expected '" + std::string(keyword) + "' but found '" + peek().keyword + "'");
    return lines_[position_++];
  }

  [[noreturn]] static void fail(std::size_t line, std::string_view rule, const std::string& message) {
    throw Error::bad_input("line " + std::to_string(line) + ": rule " + std::string(rule) + ": " + message);
  }

 private:
  std::vector<Line> lines_;
  std::size_t position_ = 0;
  std::size_t last_line_ = 0;
};

// Runs `parse`, turning a bad-input error into a rule F (or V, for undeclared names) failure.
template <class Parse>
auto at_line(const Line& line, Parse&& parse) {
  try {
    return parse();
  } catch (const Error& e) {
    const std::string message = e.what();
    Reader::fail(line.number, message.find("unknown variable") != std::string::npos ? "V" : "F", message);
  }
}

std::vector<std::string> split_blanks(const std::string& text) {
  std::vector<std::string> words;
  std::istringstream stream(text);
  for (std::string word; stream >> word;) words.push_back(word);
  return words;
}

Direction parse_direction(const Line& line) {
  if (line.rest == "ge") return Direction::ge;
  if (line.rest == "le") return Direction::le;
  Reader::fail(line.number, "F", "direction must be 'ge' or 'le', found '" + line.rest + "'");
}

Rational parse_multiplier(const Line& line, const std::string& word) {
  return at_line(line, [&] { return parse_rational(word, "multiplier"); });
}

}  // namespace

Certificate parse_certificate(std::string_view text) {
  Reader reader(text);
  Certificate certificate;
  if (const Line& header = reader.take("recallbound-certificate"); header.rest != "1")
    Reader::fail(header.number, "F", "unsupported certificate version '" + header.rest + "'; this kernel reads version 1");
  const Line& kind = reader.take("kind");
  if (kind.rest == "proof") {
    certificate.kind = CertificateKind::proof;
  } else if (kind.rest == "counterexample") {
    certificate.kind = CertificateKind::counterexample;
  } else {
    Reader::fail(kind.number, "F", "kind must be 'proof' or 'counterexample', found '" + kind.rest + "'");
  }
  const Line& variables_line = reader.take("variables");
  const auto declared = split_blanks(variables_line.rest);
  if (declared.empty()) Reader::fail(variables_line.number, "V", "no variables declared");
  VariableTable variables = at_line(variables_line, [&] { return VariableTable(declared); });
  Problem& problem = certificate.problem;
  problem.variables = declared;
  const Line& goal = reader.take("goal");
  problem.goal_text = goal.rest;
  problem.goal = at_line(goal, [&] { return parse_relation(goal.rest, variables, "goal"); });
  while (reader.next_is("given")) {
    const Line& given = reader.take("given");
    problem.given_texts.push_back(given.rest);
    problem.givens.push_back(at_line(given, [&] {
      return parse_constraint(given.rest, variables, "given " + std::to_string(problem.givens.size() + 1));
    }));
  }
  certificate.stored_digest = reader.take("problem-digest").rest;

  if (certificate.kind == CertificateKind::proof) {
    while (reader.next_is("direction")) {
      const Line& head = reader.take("direction");
      ProofBlock block;
      block.direction = parse_direction(head);
      block.line = head.number;
      while (!reader.at_end() && (reader.next_is("term") || reader.next_is("use"))) {
        const Line line = reader.peek();
        reader.take(line.keyword);
        const auto blank = line.rest.find(' ');
        if (blank == std::string::npos) Reader::fail(line.number, "F", "expected '" + line.keyword + "' followed by two fields");
        const std::string first = line.rest.substr(0, blank);
        const std::string second = trim(line.rest.substr(blank));
        if (line.keyword == "term") {
          TermLine term{parse_multiplier(line, first), {}, line.number};
          term.quantity = at_line(line, [&] { return parse_basic_quantity(second, variables, "term"); });
          block.terms.push_back(term);
        } else {
          const auto dot = first.find('.');
          UseLine use;
          use.line = line.number;
          at_line(line, [&] {
            if (dot == std::string::npos) throw Error::bad_input("use: expected J.K (given J, component K), found '" + first + "'");
            const Integer j = parse_integer(first.substr(0, dot), "use: given number");
            const Integer k = parse_integer(first.substr(dot + 1), "use: component number");
            if (j < 1 || k < 1 || j > 1000000 || k > 1000000)
              throw Error::bad_input("use: given and component numbers must be between 1 and 1000000");
            use.given = j.convert_to<std::size_t>();
            use.component = k.convert_to<std::size_t>();
            return 0;
          });
          use.multiplier = parse_multiplier(line, second);
          block.uses.push_back(use);
        }
      }
      reader.take("qed");
      certificate.blocks.push_back(std::move(block));
    }
  } else {
    certificate.violated = parse_direction(reader.take("violates"));
    while (reader.next_is("point")) {
      const Line& line = reader.take("point");
      const auto equals = line.rest.find('=');
      if (equals == std::string::npos) Reader::fail(line.number, "F", "expected 'point H(S) = VALUE'");
      PointValue value;
      value.line = line.number;
      const BasicQuantity quantity =
          at_line(line, [&] { return parse_basic_quantity(trim(line.rest.substr(0, equals)), variables, "point"); });
      if (!quantity.is_entropy || quantity.condition != 0)
        Reader::fail(line.number, "F", "a point coordinate is an unconditional H(S)");
      value.set = quantity.first;
      value.value = parse_multiplier(line, trim(line.rest.substr(equals + 1)));
      certificate.point.push_back(value);
    }
  }
  reader.take("end");
  if (!reader.at_end()) Reader::fail(reader.peek().number, "F", "nothing but comments may follow 'end'");
  return certificate;
}

std::string write_certificate(const Certificate& certificate) {
  const Problem& problem = certificate.problem;
  const auto& names = problem.variables;
  std::string out = "recallbound-certificate 1\n";
  out += std::string("kind ") + (certificate.kind == CertificateKind::proof ? "proof" : "counterexample") + "\n";
  out += "variables";
  for (const auto& name : names) out += ' ' + name;
  out += "\ngoal " + problem.goal_text + "\n";
  for (const auto& given : problem.given_texts) out += "given " + given + "\n";
  out += "problem-digest " + problem_digest(problem) + "\n";
  if (certificate.kind == CertificateKind::proof) {
    for (const auto& block : certificate.blocks) {
      out += "direction " + direction_name(block.direction) + "\n";
      for (const auto& term : block.terms)
        out += "term " + to_exact_string(term.multiplier) + " " + term.quantity.text(names) + "\n";
      for (const auto& use : block.uses)
        out += "use " + std::to_string(use.given) + "." + std::to_string(use.component) + " " +
               to_exact_string(use.multiplier) + "\n";
      out += "qed\n";
    }
  } else {
    out += "violates " + direction_name(certificate.violated) + "\n";
    for (const auto& value : certificate.point)
      out += "point H(" + set_text(value.set, names) + ") = " + to_exact_string(value.value) + "\n";
  }
  out += "end\n";
  return out;
}

}  // namespace recallbound::kernel
