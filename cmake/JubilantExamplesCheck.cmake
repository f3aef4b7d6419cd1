# Builds and runs docs/examples the way a consumer would, as a ctest (see tests/CMakeLists.txt).
#
#   cmake -DMODE=install -DBUILD_DIR=<jubilant build> -DSOURCE_DIR=<checkout>
#         -DWORK_DIR=<scratch> -DLIBDIR=<CMAKE_INSTALL_LIBDIR> -DSOVERSION=<0.minor>
#         -DBUILD_PLUGIN_DIR=<the build tree's plugin directory> [-DBINDIR=<CMAKE_INSTALL_BINDIR>]
#         [-DCXX=<compiler>] [-DLAUNCHER=<ccache>] -P JubilantExamplesCheck.cmake
#
# MODE=install: `cmake --install` the build into <scratch>/prefix, check the installed layout
#   and the pkg-config files, check the installed library finds the installed plugins and
#   ignores the build tree's plugin directory, then configure, build and ctest docs/examples
#   with CMAKE_PREFIX_PATH=<scratch>/prefix, and run the installed jubilant-cassette on the
#   example cassettes; then the tutorial's project (docs/examples/tutorial, copied to
#   <scratch>): record its cassettes against the installed fake-juju under ctest, replay them
#   with no juju on PATH from another working directory, and lint them.
# MODE=subdirectory: configure (only) docs/examples with JUBILANT_SOURCE_DIR=<checkout>, i.e.
#   jubilant-cpp through add_subdirectory, which fails if the jubilant::* targets are missing.
cmake_minimum_required(VERSION 3.25)

foreach(var MODE SOURCE_DIR WORK_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "JubilantExamplesCheck: -D${var}=... is required")
  endif()
endforeach()

# run(<what> COMMAND ...): runs a command, failing the check with its output when it fails.
function(run what)
  execute_process(${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${out}\n${err}")
  endif()
  set(run_output "${out}" PARENT_SCOPE)
  set(run_error "${err}" PARENT_SCOPE)
endfunction()

# The tests must see neither a cassette nor a backend chosen by whoever runs ctest.
set(clean_env ${CMAKE_COMMAND} -E env --unset=JUBILANT_RECORD_MODE --unset=JUBILANT_CASSETTE_DIR
    --unset=JUBILANT_BACKEND --unset=JUBILANT_BACKEND_CONFIG --unset=JUBILANT_PLUGIN_PATH
    --unset=LD_LIBRARY_PATH)

set(common_args -G "Unix Makefiles" -DCMAKE_BUILD_TYPE=Debug
    "-DCMAKE_CXX_FLAGS=-Wall -Wextra -Werror" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF)
if(CXX)
  list(APPEND common_args "-DCMAKE_CXX_COMPILER=${CXX}")
endif()
if(LAUNCHER)
  list(APPEND common_args "-DCMAKE_CXX_COMPILER_LAUNCHER=${LAUNCHER}")
endif()

if(MODE STREQUAL "subdirectory")
  file(REMOVE_RECURSE "${WORK_DIR}")
  # No build type given: a subproject must leave the consumer's CMAKE_BUILD_TYPE alone and keep
  # its own tests, benchmarks and fuzzers out of the consumer's build.
  set(subproject_args ${common_args})
  list(REMOVE_ITEM subproject_args -DCMAKE_BUILD_TYPE=Debug)
  run("configuring docs/examples with add_subdirectory(${SOURCE_DIR})"
      COMMAND ${clean_env} ${CMAKE_COMMAND} -S "${SOURCE_DIR}/docs/examples" -B "${WORK_DIR}"
              ${subproject_args} "-DJUBILANT_SOURCE_DIR=${SOURCE_DIR}")
  file(STRINGS "${WORK_DIR}/CMakeCache.txt" cache REGEX
       "^(CMAKE_BUILD_TYPE|JUBILANT_BUILD_TESTS|JUBILANT_BUILD_BENCHMARKS|JUBILANT_FUZZ):")
  foreach(expected "CMAKE_BUILD_TYPE:STRING=" "JUBILANT_BUILD_TESTS:BOOL=OFF"
                   "JUBILANT_BUILD_BENCHMARKS:BOOL=OFF" "JUBILANT_FUZZ:BOOL=OFF")
    if(NOT expected IN_LIST cache)
      message(FATAL_ERROR "as a subproject the consumer's cache has '${cache}', "
                          "expected '${expected}'")
    endif()
  endforeach()
  message(STATUS "docs/examples configures with jubilant-cpp as a subdirectory")
  return()
endif()

if(NOT MODE STREQUAL "install")
  message(FATAL_ERROR "JubilantExamplesCheck: unknown MODE '${MODE}' (install or subdirectory)")
endif()
foreach(var BUILD_DIR LIBDIR SOVERSION BUILD_PLUGIN_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "JubilantExamplesCheck: -D${var}=... is required for MODE=install")
  endif()
endforeach()

set(prefix "${WORK_DIR}/prefix")
set(libdir "${prefix}/${LIBDIR}")
set(plugins "${libdir}/jubilant/plugins")
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

run("cmake --install ${BUILD_DIR} --prefix ${prefix}"
    COMMAND ${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${prefix}")

foreach(file
    "${prefix}/include/jubilant/juju.hpp"
    "${prefix}/include/jubilant/testing.hpp"
    "${prefix}/include/jubilant/testing/status_builder.hpp"
    "${libdir}/libjubilant.so"
    "${libdir}/libjubilant-testing.a"
    "${libdir}/cmake/jubilant/jubilantConfig.cmake"
    "${libdir}/cmake/jubilant/jubilantConfigVersion.cmake"
    "${libdir}/cmake/jubilant/jubilantTargets.cmake"
    "${libdir}/cmake/jubilant/jubilantTestingTargets.cmake"
    "${libdir}/pkgconfig/jubilant.pc"
    "${libdir}/pkgconfig/jubilant-testing.pc"
    "${libdir}/libjubilant.so.${SOVERSION}"
    "${plugins}/libjubilant-backend-subprocess.so"
    "${plugins}/libjubilant-backend-record.so"
    "${plugins}/libjubilant-backend-replay.so")
  if(NOT EXISTS "${file}")
    message(FATAL_ERROR "the install lacks ${file}")
  endif()
endforeach()

# pkg-config: the flags point into the prefix, and a program built with them alone finds the
# installed plugins next to the installed library.
find_program(PKG_CONFIG pkg-config REQUIRED)
set(pc_env ${CMAKE_COMMAND} -E env "PKG_CONFIG_PATH=${libdir}/pkgconfig")
run("pkg-config jubilant" COMMAND ${pc_env} ${PKG_CONFIG} --cflags --libs jubilant)
string(STRIP "${run_output}" pc_flags)
separate_arguments(pc_flag_list UNIX_COMMAND "${pc_flags}")
file(REAL_PATH "${prefix}" real_prefix)
# The .pc file is relocatable (paths relative to ${pcfiledir}), so compare resolved paths.
set(pc_resolved "")
foreach(flag IN LISTS pc_flag_list)
  if(flag MATCHES "^-([IL])(.+)$")
    file(REAL_PATH "${CMAKE_MATCH_2}" path)
    list(APPEND pc_resolved "-${CMAKE_MATCH_1}${path}")
  else()
    list(APPEND pc_resolved "${flag}")
  endif()
endforeach()
foreach(expected "-I${real_prefix}/include" "-L${real_prefix}/${LIBDIR}" "-ljubilant")
  if(NOT expected IN_LIST pc_resolved)
    message(FATAL_ERROR
            "pkg-config --cflags --libs jubilant gave '${pc_flags}', without '${expected}'")
  endif()
endforeach()
# The testing kit's file brings the core library and GoogleMock along.
run("pkg-config jubilant-testing"
    COMMAND ${pc_env} ${PKG_CONFIG} --libs jubilant-testing)
string(STRIP "${run_output}" pc_testing_flags)
separate_arguments(pc_testing_list UNIX_COMMAND "${pc_testing_flags}")
foreach(expected "-ljubilant-testing" "-ljubilant" "-lgmock")
  if(NOT expected IN_LIST pc_testing_list)
    message(FATAL_ERROR
            "pkg-config --libs jubilant-testing gave '${pc_testing_flags}', without '${expected}'")
  endif()
endforeach()
run("pkg-config --variable=pluginsdir"
    COMMAND ${pc_env} ${PKG_CONFIG} --variable=pluginsdir jubilant)
string(STRIP "${run_output}" pc_plugins)
file(REAL_PATH "${pc_plugins}" pc_plugins)
file(REAL_PATH "${plugins}" real_plugins)
if(NOT pc_plugins STREQUAL real_plugins)
  message(FATAL_ERROR "jubilant.pc names plugin directory '${pc_plugins}', not '${real_plugins}'")
endif()

file(WRITE "${WORK_DIR}/pkgconfig_check.cpp" [=[
// Built with `pkg-config --cflags --libs jubilant` only. Without arguments: prints the first
// plugin directory the installed library searches and loads the subprocess plugin from there.
// With a plugin name: prints every directory searched and succeeds only if that plugin is
// not found.
#include <iostream>
#include <string>
#include <jubilant/errors.hpp>
#include <jubilant/plugin_loader.hpp>
int main(int argc, char** argv) {
    if (argc < 2) {
        std::cout << jubilant::plugin_search_path().front().string() << "\n";
        return jubilant::load_backend("subprocess")->name() == "subprocess" ? 0 : 1;
    }
    for (const auto& dir : jubilant::plugin_search_path()) std::cout << dir.string() << "\n";
    try {
        jubilant::load_backend(argv[1]);
        std::cerr << "the installed library loaded plugin '" << argv[1] << "'\n";
        return 1;
    } catch (const jubilant::PluginError& e) {
        std::cerr << e.what() << "\n";
        return std::string(e.what()).find("not found") != std::string::npos ? 0 : 1;
    }
}
]=])
if(CXX)
  set(cxx "${CXX}")
else()
  set(cxx c++)
endif()
run("compiling a program with the pkg-config flags"
    COMMAND ${cxx} -std=c++20 "${WORK_DIR}/pkgconfig_check.cpp" ${pc_flag_list}
            -o "${WORK_DIR}/pkgconfig_check")
run("running the pkg-config program"
    COMMAND ${clean_env} "LD_LIBRARY_PATH=${libdir}" LD_DEBUG=files "${WORK_DIR}/pkgconfig_check")
string(STRIP "${run_output}" first_dir)
file(REAL_PATH "${first_dir}" first_dir)
if(NOT first_dir STREQUAL real_plugins)
  message(FATAL_ERROR "the installed library searches '${first_dir}' first, not the installed "
                      "plugin directory '${real_plugins}'")
endif()
# LD_DEBUG=files logs every shared object the dynamic loader opens, plugins included.
string(FIND "${run_error}" "${real_plugins}/libjubilant-backend-subprocess.so" at)
if(at EQUAL -1)
  message(FATAL_ERROR "the subprocess plugin was not loaded from ${real_plugins}:\n${run_error}")
endif()

# The installed library searches only installed and configured places: a plugin planted in
# the build tree's plugin directory (on many machines a path under /tmp that anyone can
# create) is not found, and with JUBILANT_PLUGIN_PATH unset the installed plugin directory is
# the only one it searches.
set(planted_name "planted-by-examples-install")
set(planted "${BUILD_PLUGIN_DIR}/libjubilant-backend-${planted_name}.so")
file(MAKE_DIRECTORY "${BUILD_PLUGIN_DIR}")
file(COPY_FILE "${plugins}/libjubilant-backend-subprocess.so" "${planted}")
execute_process(
  COMMAND ${clean_env} "LD_LIBRARY_PATH=${libdir}" "${WORK_DIR}/pkgconfig_check" "${planted_name}"
  RESULT_VARIABLE rc OUTPUT_VARIABLE searched ERROR_VARIABLE err)
file(REMOVE "${planted}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the installed library must not load a plugin planted in the build tree "
                      "(${planted}):\n${searched}\n${err}")
endif()
string(REPLACE "\n" ";" searched "${searched}")
foreach(dir IN LISTS searched)
  if(dir STREQUAL "")
    continue()
  endif()
  file(REAL_PATH "${dir}" real_dir)
  if(NOT real_dir STREQUAL real_plugins)
    message(FATAL_ERROR "the installed library searches '${dir}' besides its plugin directory "
                        "'${real_plugins}'")
  endif()
endforeach()

run("configuring docs/examples against ${prefix}"
    COMMAND ${clean_env} ${CMAKE_COMMAND} -S "${SOURCE_DIR}/docs/examples" -B "${WORK_DIR}/build"
            ${common_args} "-DCMAKE_PREFIX_PATH=${prefix}")
file(STRINGS "${WORK_DIR}/build/CMakeCache.txt" found_dir REGEX "^jubilant_DIR:")
string(REGEX REPLACE "^[^=]*=" "" found_dir "${found_dir}")
file(REAL_PATH "${found_dir}" found_dir)
if(NOT found_dir STREQUAL "${real_prefix}/${LIBDIR}/cmake/jubilant")
  message(FATAL_ERROR "find_package(jubilant) used '${found_dir}', not the install in ${prefix}")
endif()

run("building docs/examples" COMMAND ${CMAKE_COMMAND} --build "${WORK_DIR}/build" -j 2)
run("ctest in docs/examples"
    COMMAND ${clean_env} ${CMAKE_CTEST_COMMAND} --test-dir "${WORK_DIR}/build" --output-on-failure
            --no-tests=error)
message(STATUS "${run_output}")

# The examples must run on the installed library (through the RUNPATH CMake gave them), not on
# the one in the build tree.
run("running offline_replay_test with LD_DEBUG=files"
    COMMAND ${clean_env} LD_DEBUG=files "${WORK_DIR}/build/offline_replay_test")
string(FIND "${run_error}" "calling init: ${real_prefix}/${LIBDIR}/libjubilant.so" at)
if(at EQUAL -1)
  message(FATAL_ERROR "offline_replay_test did not run on ${real_prefix}/${LIBDIR}/libjubilant.so:"
                      "\n${run_error}")
endif()

# The tools a user runs beside their tests are installed too, and run on the installed library:
# jubilant-cassette lints the example cassettes (a directory, as the tutorial does).
if(NOT DEFINED BINDIR)
  set(BINDIR bin)
endif()
foreach(tool fake-juju jubilant-cassette juju-cassette)
  if(NOT EXISTS "${prefix}/${BINDIR}/${tool}")
    message(FATAL_ERROR "the install lacks ${prefix}/${BINDIR}/${tool}")
  endif()
endforeach()
# juju-cassette's front end finds juju-cassette-full in libexec/jubilant, which runs on the
# installed library.
run("juju-cassette --help" COMMAND ${clean_env} "${prefix}/${BINDIR}/juju-cassette" --help)
if(NOT run_output MATCHES "^usage: juju ")
  message(FATAL_ERROR "juju-cassette --help printed '${run_output}'")
endif()
run("jubilant-cassette --version" COMMAND ${clean_env} "${prefix}/${BINDIR}/jubilant-cassette" --version)
if(NOT run_output MATCHES "^jubilant-cassette [0-9]+\\.[0-9]+\\.[0-9]+\n$")
  message(FATAL_ERROR "jubilant-cassette --version printed '${run_output}'")
endif()
run("installed jubilant-cassette lint ${SOURCE_DIR}/docs/examples/cassettes"
    COMMAND ${clean_env} LD_DEBUG=files "${prefix}/${BINDIR}/jubilant-cassette" lint
            "${SOURCE_DIR}/docs/examples/cassettes")
if(NOT run_output MATCHES "summary: [1-9][0-9]* cassettes?, [0-9]+ clean, 0 with findings")
  message(FATAL_ERROR "jubilant-cassette lint on the example cassettes:\n${run_output}")
endif()
# (Its RUNPATH is $ORIGIN-relative, so the loader names the library as <prefix>/bin/../lib/...)
string(REGEX MATCH "calling init: ([^\n]*)/libjubilant\\.so" init_line "${run_error}")
set(tool_libdir "")
if(init_line)
  file(REAL_PATH "${CMAKE_MATCH_1}" tool_libdir)
endif()
if(NOT tool_libdir STREQUAL "${real_prefix}/${LIBDIR}")
  message(FATAL_ERROR "jubilant-cassette did not run on ${real_prefix}/${LIBDIR}/libjubilant.so:"
                      "\n${run_error}")
endif()
message(STATUS "docs/examples passed against the install in ${prefix}")

# ---- The tutorial (docs/tutorial/first-test.md, step 3) as a user lives it ----------------
# A copy, because its cassettes are written beside its source.
set(tutorial_src "${WORK_DIR}/tutorial")
set(tutorial_build "${WORK_DIR}/tutorial-build")
file(COPY "${SOURCE_DIR}/docs/examples/tutorial/" DESTINATION "${tutorial_src}")
file(REMOVE_RECURSE "${tutorial_src}/cassettes")
run("configuring the tutorial project against ${prefix}"
    COMMAND ${clean_env} ${CMAKE_COMMAND} -S "${tutorial_src}" -B "${tutorial_build}"
            ${common_args} "-DCMAKE_PREFIX_PATH=${prefix}")
run("building the tutorial project" COMMAND ${CMAKE_COMMAND} --build "${tutorial_build}" -j 2)

# 1. Record: ctest runs the tests in the build directory; the cassettes land beside the source.
set(fake_juju "${prefix}/${BINDIR}/fake-juju")
if(NOT EXISTS "${fake_juju}")
  message(FATAL_ERROR "the install lacks ${fake_juju}")
endif()
run("recording the tutorial's cassettes (JUBILANT_RECORD_MODE=once, ctest, fake-juju)"
    COMMAND ${clean_env} JUBILANT_RECORD_MODE=once "JUBILANT_BACKEND=subprocess:${fake_juju}"
            "FAKE_JUJU_DATA=${WORK_DIR}/fake-juju-data"
            ${CMAKE_CTEST_COMMAND} --test-dir "${tutorial_build}" --output-on-failure
            --no-tests=error)
set(cassettes "${tutorial_src}/cassettes/WebappTest")
foreach(test BecomesActiveWithADatabase GetPasswordReportsTheUsername)
  set(cassette "${cassettes}/${test}.json")
  if(NOT EXISTS "${cassette}")
    message(FATAL_ERROR "recording did not write ${cassette}")
  endif()
  file(READ "${cassette}" text)
  set(hex8 "[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]")
  if(NOT text MATCHES "\"jubilant-${hex8}\"" OR NOT text MATCHES "<ADMIN_EMAIL>" OR
     text MATCHES "ops@example.com" OR NOT text MATCHES "\"juju_version\": \"[0-9]")
    message(FATAL_ERROR "${cassette} lacks the temporary model, the placeholder or the Juju "
                        "version, or holds the e-mail address:\n${text}")
  endif()
endforeach()
file(REMOVE_RECURSE "${WORK_DIR}/fake-juju-data")

# 2. Replay: no juju on PATH, another working directory, nothing from the recording's
# environment. GetPasswordReportsTheUsername asserts on a non-secret action result.
set(no_juju "${WORK_DIR}/path-without-juju")
set(elsewhere "${WORK_DIR}/elsewhere")
file(MAKE_DIRECTORY "${no_juju}" "${elsewhere}")
run("replaying the tutorial's test with no juju on PATH from ${elsewhere}"
    COMMAND ${clean_env} "PATH=${no_juju}" "${tutorial_build}/charm_tests"
    WORKING_DIRECTORY "${elsewhere}")
message(STATUS "${run_output}")

# 3. Lint what would be committed, the directory as the tutorial does.
run("jubilant-cassette lint ${tutorial_src}/cassettes"
    COMMAND ${clean_env} "${prefix}/${BINDIR}/jubilant-cassette" lint "${tutorial_src}/cassettes")
message(STATUS "the tutorial recorded, replayed without juju and linted clean")
