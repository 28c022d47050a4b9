# Script mode (cmake -P), run after a test binary is built (ConvcGTestSuites.cmake): writes
# OUTPUT, a CTest file with one test per GoogleTest suite of EXECUTABLE, named PREFIX.<suite>.
# Each test's COST is its number of cases: with no timings of an earlier run, CTest then starts
# these suites, most of the whole run's time, before the tests without a cost.
execute_process(COMMAND "${EXECUTABLE}" --gtest_list_tests
                OUTPUT_VARIABLE listing ERROR_VARIABLE errors RESULT_VARIABLE status)
if (NOT status EQUAL 0)
    message(FATAL_ERROR "${EXECUTABLE} --gtest_list_tests failed (${status}):\n${errors}")
endif ()
string(REPLACE "\n" ";" lines "${listing}")
set(suites "")
foreach (line IN LISTS lines)
    if (line MATCHES "^([^ ]+)\\.( |$)")
        set(suite "${CMAKE_MATCH_1}")
        list(APPEND suites "${suite}")
        set(cases_${suite} 0)
    elseif (line MATCHES "^  [^ ]" AND suite)
        math(EXPR cases_${suite} "${cases_${suite}} + 1")
    endif ()
endforeach ()
set(content "")
foreach (suite IN LISTS suites)
    string(APPEND content "add_test([=[${PREFIX}.${suite}]=] [=[${EXECUTABLE}]=] [=[--gtest_filter=${suite}.*]=])\n"
                          "set_tests_properties([=[${PREFIX}.${suite}]=] PROPERTIES COST ${cases_${suite}})\n")
endforeach ()
file(WRITE "${OUTPUT}" "${content}")
