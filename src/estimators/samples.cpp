#include "recallbound/estimators/samples.hpp"

#include "recallbound/error.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <unordered_map>

namespace recallbound::estimators {
namespace {

std::string_view trimmed(std::string_view s) {
  const auto hash = s.find('#');
  if (hash != std::string_view::npos) s = s.substr(0, hash);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

SymbolSamples read_symbols(std::istream& in, const std::string& name) {
  SymbolSamples out;
  std::unordered_map<std::string, std::uint64_t> id_of;
  std::string line;
  while (std::getline(in, line)) {
    const auto s = trimmed(line);
    if (s.empty()) continue;
    auto [it, inserted] = id_of.try_emplace(std::string(s), out.symbols.size());
    if (inserted) out.symbols.emplace_back(s);
    out.ids.push_back(it->second);
  }
  if (out.ids.empty()) throw Error::bad_input(name + ": no samples (one symbol per line expected)");
  return out;
}

SampleMatrix read_matrix(std::istream& in, const std::string& name) {
  std::vector<double> values;
  std::size_t columns = 0, rows = 0, number = 0;
  std::string line;
  while (std::getline(in, line)) {
    ++number;
    const auto s = trimmed(line);
    if (s.empty()) continue;
    std::size_t count = 0;
    const char* p = s.data();
    const char* end = s.data() + s.size();
    while (p < end) {
      while (p < end && (std::isspace(static_cast<unsigned char>(*p)) || *p == ',')) ++p;
      if (p == end) break;
      double v = 0;
      const auto [next, ec] = std::from_chars(p, end, v);
      if (ec != std::errc() || (next < end && !std::isspace(static_cast<unsigned char>(*next)) && *next != ','))
        throw Error::bad_input(name + ":" + std::to_string(number) + ": '" +
                               std::string(p, static_cast<std::size_t>(std::find_if(p, end, [](char c) { return c == ',' || std::isspace(static_cast<unsigned char>(c)); }) - p)) +
                               "' is not a number");
      if (!std::isfinite(v)) throw Error::bad_input(name + ":" + std::to_string(number) + ": non-finite value (nan or inf)");
      values.push_back(v);
      ++count;
      p = next;
    }
    if (rows == 0) columns = count;
    if (count != columns)
      throw Error::bad_input(name + ":" + std::to_string(number) + ": " + std::to_string(count) + " numbers, but the first sample has " +
                             std::to_string(columns));
    ++rows;
  }
  if (rows == 0) throw Error::bad_input(name + ": no samples (one sample of numbers per line expected)");
  SampleMatrix m(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(columns));
  std::copy(values.begin(), values.end(), m.data());
  return m;
}

}  // namespace recallbound::estimators
