# Install rules and an exported CMake package: find_package(recallbound) gives recallbound::recallbound.
include(CMakePackageConfigHelpers)
get_property(layers GLOBAL PROPERTY RECALLBOUND_LAYERS)
install(TARGETS ${layers} recallbound recallbound_dep_mpfi recallbound_dep_glpk
  EXPORT recallboundTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY include/recallbound DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT recallboundTargets NAMESPACE recallbound:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/recallbound)
configure_package_config_file(cmake/recallboundConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/recallboundConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/recallbound)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/recallboundConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/recallboundConfig.cmake ${CMAKE_CURRENT_BINARY_DIR}/recallboundConfigVersion.cmake
  cmake/RecallboundDependencies.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/recallbound)
