# convc_discover_gtest_suites(<target>)
#
# Registers one CTest test per GoogleTest suite of <target>, found by listing the built binary
# after each build, as gtest_discover_tests does per case. Each of the JIT tests' processes
# spends about 0.8 s starting Halide's JIT runtime before its first case; one process per case
# spent that 209 times. A suite added later is found like the others, so it cannot go unrun.
set(_convc_gtest_suites_script "${CMAKE_CURRENT_LIST_DIR}/ConvcGTestSuitesList.cmake")

function(convc_discover_gtest_suites target)
    set(include_file "${CMAKE_CURRENT_BINARY_DIR}/${target}_suites.cmake")
    add_custom_command(TARGET ${target} POST_BUILD
                       COMMAND ${CMAKE_COMMAND} -D "EXECUTABLE=$<TARGET_FILE:${target}>" -D "PREFIX=${target}"
                               -D "OUTPUT=${include_file}" -P "${_convc_gtest_suites_script}"
                       BYPRODUCTS "${include_file}"
                       VERBATIM)
    set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES "${include_file}")
endfunction()
