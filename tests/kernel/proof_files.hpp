#pragma once
// Test helpers: the proof scripts under proofs/, and the prover as the kernel's certificate source.
#include "recallbound/error.hpp"
#include "recallbound/kernel/script.hpp"
#include "recallbound/prover/prover.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace recallbound::test {

using Lines = std::vector<std::string>;

inline std::string source_dir() {
  const char* dir = std::getenv("RECALLBOUND_SOURCE_DIR");
  return dir ? dir : ".";
}

/// proofs/*.proof and proofs/instances/*.proof (and proofs/rejected/*.proof when asked), sorted.
inline std::vector<std::string> proof_files(bool rejected) {
  std::vector<std::string> files;
  const std::filesystem::path root = std::filesystem::path(source_dir()) / "proofs";
  for (const auto& dir : rejected ? std::vector<std::filesystem::path>{root / "rejected"}
                                  : std::vector<std::filesystem::path>{root, root / "instances"})
    if (std::filesystem::is_directory(dir))
      for (const auto& entry : std::filesystem::directory_iterator(dir))
        if (entry.path().extension() == ".proof") files.push_back(entry.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

inline Lines read_lines(const std::string& path) {
  std::ifstream in(path);
  Lines lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

inline std::string join(const Lines& lines) {
  std::string text;
  for (const auto& line : lines) text += line + "\n";
  return text;
}

inline kernel::CertificateSource prover_source() {
  return [](const kernel::Problem& problem) -> std::optional<kernel::Certificate> {
    try {
      return prover::prove(problem).certificate;
    } catch (const Error&) {
      return std::nullopt;
    }
  };
}

}  // namespace recallbound::test
