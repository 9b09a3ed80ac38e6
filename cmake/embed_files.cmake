# Embeds text files into a generated C++ source as a sorted table of {name, contents}, so the
# binary carries its default config and templates and runs from any working directory.
#   ledgerbot_embed(OUTPUT <cpp> NAMESPACE <ns> FUNCTION <fn> FILES <abs paths...>)
# The generated function returns `const std::vector<std::pair<std::string_view,
# std::string_view>>&` keyed by file name without directory.
function(ledgerbot_embed)
  cmake_parse_arguments(E "" "OUTPUT;NAMESPACE;FUNCTION" "FILES" ${ARGN})
  add_custom_command(
    OUTPUT ${E_OUTPUT}
    COMMAND ${CMAKE_COMMAND} -DOUTPUT=${E_OUTPUT} -DNAMESPACE=${E_NAMESPACE}
            -DFUNCTION=${E_FUNCTION} "-DFILES=${E_FILES}"
            -P ${PROJECT_SOURCE_DIR}/cmake/embed_files_run.cmake
    DEPENDS ${E_FILES} ${PROJECT_SOURCE_DIR}/cmake/embed_files_run.cmake
    COMMENT "Embedding ${E_FUNCTION}"
    VERBATIM)
endfunction()
