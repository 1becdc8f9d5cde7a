# Every third-party dependency comes from a Debian package installed by scripts/install-deps.sh.
find_package(PkgConfig REQUIRED)
find_package(Boost 1.74 REQUIRED)
find_package(fmt REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(Eigen3 3.4 REQUIRED NO_MODULE)
find_package(nanoflann REQUIRED)
find_package(CLI11 CONFIG QUIET)

pkg_check_modules(GMP REQUIRED IMPORTED_TARGET gmp)
pkg_check_modules(MPFR REQUIRED IMPORTED_TARGET mpfr)

# MPFI and GLPK ship no CMake or pkg-config files on Debian: find them by hand.
find_path(MPFI_INCLUDE_DIR mpfi.h REQUIRED)
find_library(MPFI_LIBRARY mpfi REQUIRED)
add_library(recallbound_dep_mpfi INTERFACE)
target_include_directories(recallbound_dep_mpfi INTERFACE ${MPFI_INCLUDE_DIR})
target_link_libraries(recallbound_dep_mpfi INTERFACE ${MPFI_LIBRARY} PkgConfig::MPFR PkgConfig::GMP)

find_path(GLPK_INCLUDE_DIR glpk.h REQUIRED)
find_library(GLPK_LIBRARY glpk REQUIRED)
add_library(recallbound_dep_glpk INTERFACE)
target_include_directories(recallbound_dep_glpk INTERFACE ${GLPK_INCLUDE_DIR})
target_link_libraries(recallbound_dep_glpk INTERFACE ${GLPK_LIBRARY})

if(NOT TARGET CLI11::CLI11)
  find_path(CLI11_INCLUDE_DIR CLI/CLI.hpp REQUIRED)
  add_library(CLI11::CLI11 INTERFACE IMPORTED)
  target_include_directories(CLI11::CLI11 INTERFACE ${CLI11_INCLUDE_DIR})
endif()
