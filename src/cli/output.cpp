#include "output.hpp"

#include "recallbound/error.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <unistd.h>

namespace recallbound::cli {

void write_atomically(const std::string& path, const std::function<void(std::ostream&)>& produce) {
  if (path == "-") {
    produce(std::cout);
    std::cout.flush();
    return;
  }
  namespace fs = std::filesystem;
  fs::path target(path);
  fs::path temporary = target;
  temporary += ".tmp." + std::to_string(::getpid());
  try {
    {
      std::ofstream file(temporary, std::ios::binary | std::ios::trunc);
      if (!file) throw Error::bad_input("output: cannot write '" + path + "'");
      produce(file);
      file.flush();
      if (!file) throw Error::bad_input("output: write to '" + path + "' failed");
    }
    fs::rename(temporary, target);
  } catch (...) {
    std::error_code ignored;
    fs::remove(temporary, ignored);
    throw;
  }
}

void print_json(std::ostream& out, const nlohmann::json& value) { out << value.dump(2) << '\n'; }

}  // namespace recallbound::cli
