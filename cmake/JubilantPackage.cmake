# Install-side packaging of jubilant-cpp: exported CMake targets (find_package(jubilant CONFIG)
# gives jubilant::jubilant and jubilant::testing), a version file and a pkg-config file.
# Included at the end of the top-level CMakeLists.txt, after every target exists.
include(CMakePackageConfigHelpers)

set(JUBILANT_CMAKE_INSTALL_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/jubilant")

install(EXPORT jubilantTargets NAMESPACE jubilant:: FILE jubilantTargets.cmake
        DESTINATION "${JUBILANT_CMAKE_INSTALL_DIR}")
if(TARGET jubilant_testing)
  install(EXPORT jubilantTestingTargets NAMESPACE jubilant:: FILE jubilantTestingTargets.cmake
          DESTINATION "${JUBILANT_CMAKE_INSTALL_DIR}")
endif()

configure_package_config_file("${CMAKE_CURRENT_LIST_DIR}/jubilantConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/jubilantConfig.cmake"
  INSTALL_DESTINATION "${JUBILANT_CMAKE_INSTALL_DIR}"
  PATH_VARS JUBILANT_PLUGIN_INSTALL_DIR)
# 0.x releases may break the API between minor versions.
write_basic_package_version_file("${PROJECT_BINARY_DIR}/jubilantConfigVersion.cmake"
  COMPATIBILITY SameMinorVersion)
install(FILES "${PROJECT_BINARY_DIR}/jubilantConfig.cmake"
              "${PROJECT_BINARY_DIR}/jubilantConfigVersion.cmake"
        DESTINATION "${JUBILANT_CMAKE_INSTALL_DIR}")

# pkg-config: paths relative to the .pc file itself (${pcfiledir}), so the file stays right
# when the tree is installed with `cmake --install --prefix` or DESTDIR somewhere else.
set(JUBILANT_PC_INSTALL_DIR "${CMAKE_INSTALL_LIBDIR}/pkgconfig")
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(JUBILANT_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
  set(JUBILANT_PC_LIBDIR "${CMAKE_INSTALL_LIBDIR}")
else()
  file(RELATIVE_PATH _jubilant_pc_up "/root/${JUBILANT_PC_INSTALL_DIR}" "/root")
  string(REGEX REPLACE "/$" "" _jubilant_pc_up "${_jubilant_pc_up}")
  set(JUBILANT_PC_PREFIX "\${pcfiledir}/${_jubilant_pc_up}")
  set(JUBILANT_PC_LIBDIR "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
endif()
if(IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(JUBILANT_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
else()
  set(JUBILANT_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
configure_file("${CMAKE_CURRENT_LIST_DIR}/jubilant.pc.in" "${PROJECT_BINARY_DIR}/jubilant.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/jubilant.pc" DESTINATION "${JUBILANT_PC_INSTALL_DIR}")
if(TARGET jubilant_testing)
  # The testing kit links GoogleMock, which the consumer's own gmock pkg-config file provides.
  configure_file("${CMAKE_CURRENT_LIST_DIR}/jubilant-testing.pc.in"
                 "${PROJECT_BINARY_DIR}/jubilant-testing.pc" @ONLY)
  install(FILES "${PROJECT_BINARY_DIR}/jubilant-testing.pc"
          DESTINATION "${JUBILANT_PC_INSTALL_DIR}")
endif()
