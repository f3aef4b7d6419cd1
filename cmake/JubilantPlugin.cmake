# jubilant_add_plugin(<name> SOURCES <files>... [LIBRARIES <targets>...])
# Builds backends/<name> as a run-time loadable module libjubilant-backend-<name>.so in the
# build tree's plugin directory and installs it where the loader looks.
function(jubilant_add_plugin name)
  cmake_parse_arguments(PLUGIN "" "" "SOURCES;LIBRARIES" ${ARGN})
  set(target jubilant-backend-${name})
  add_library(${target} MODULE ${PLUGIN_SOURCES})
  target_link_libraries(${target} PRIVATE jubilant::jubilant ${PLUGIN_LIBRARIES})
  set_target_properties(${target} PROPERTIES
    LIBRARY_OUTPUT_DIRECTORY "${JUBILANT_PLUGIN_BUILD_DIR}"
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  jubilant_set_warnings(${target})
  install(TARGETS ${target} LIBRARY DESTINATION "${JUBILANT_PLUGIN_INSTALL_DIR}")
  set_property(GLOBAL APPEND PROPERTY JUBILANT_PLUGINS ${target})
endfunction()
