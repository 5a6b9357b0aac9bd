# Unit tests: one ctest entry for the doctest runner.
add_test(NAME unit COMMAND liaison_tests)
# Command-line tests: each tests/cli/*.sh runs the built binary in a temporary directory.
file(GLOB CLI_TESTS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/cli/*_test.sh)
foreach(t ${CLI_TESTS})
  get_filename_component(n ${t} NAME_WE)
  add_test(NAME cli_${n} COMMAND bash ${t})
  set_tests_properties(cli_${n} PROPERTIES ENVIRONMENT
    "LIAISON_BIN=$<TARGET_FILE:liaison>;LIAISON_SRC=${CMAKE_SOURCE_DIR};XDG_CACHE_HOME=${CMAKE_BINARY_DIR}/test-cache;ARTIFACT_DIR=${CMAKE_BINARY_DIR}/test-artifacts" TIMEOUT 600)
endforeach()
# The HTML report's browser check exits 77 (skipped) when Chromium is not installed, unless
# LIAISON_REQUIRE_BROWSER is set (scripts/test sets it, so CI fails instead of skipping).
if(TEST cli_report_html_test)
  set_tests_properties(cli_report_html_test PROPERTIES SKIP_RETURN_CODE 77)
endif()
