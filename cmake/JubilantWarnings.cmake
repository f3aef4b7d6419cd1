# jubilant_set_warnings(<target>): the project's warning set, errors when JUBILANT_WERROR is on.
function(jubilant_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic
                         $<IF:$<CXX_COMPILER_ID:GNU>,-Wshadow=local,-Wshadow-uncaptured-local>
                         -Wnon-virtual-dtor $<$<BOOL:${JUBILANT_WERROR}>:-Werror>)
endfunction()
