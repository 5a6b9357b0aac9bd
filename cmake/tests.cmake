# Unit tests: one ctest entry for the doctest runner.
add_test(NAME unit COMMAND liaison_tests)
# Command-line tests: each tests/cli/*.sh runs the built binary in a temporary directory.
file(GLOB CLI_TESTS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/cli/*_test.sh)
set(CLI_ENV "LIAISON_BIN=$<TARGET_FILE:liaison>;LIAISON_SRC=${CMAKE_SOURCE_DIR};XDG_CACHE_HOME=${CMAKE_BINARY_DIR}/test-cache;ARTIFACT_DIR=${CMAKE_BINARY_DIR}/test-artifacts")
foreach(t ${CLI_TESTS})
  get_filename_component(n ${t} NAME_WE)
  if(n MATCHES "^pg_")  # PostgreSQL's own, below
    continue()
  endif()
  add_test(NAME cli_${n} COMMAND bash ${t})
  set_tests_properties(cli_${n} PROPERTIES ENVIRONMENT
    "LIAISON_BIN=$<TARGET_FILE:liaison>;LIAISON_SRC=${CMAKE_SOURCE_DIR};XDG_CACHE_HOME=${CMAKE_BINARY_DIR}/test-cache;ARTIFACT_DIR=${CMAKE_BINARY_DIR}/test-artifacts" TIMEOUT 600)
endforeach()
# The HTML report's browser check exits 77 (skipped) when Chromium is not installed, unless
# LIAISON_REQUIRE_BROWSER is set (scripts/test sets it, so CI fails instead of skipping).
if(TEST cli_report_html_test)
  set_tests_properties(cli_report_html_test PROPERTIES SKIP_RETURN_CODE 77)
endif()
# PostgreSQL: a throwaway cluster of the run's own (scripts/pg-cluster: its data and socket
# under build/pg, a free port, run as an unprivileged user), started before the tests that
# need it and stopped after them, also when one fails (a ctest fixture's cleanup runs
# whatever the outcome).
set(PG_DIR ${CMAKE_BINARY_DIR}/pg)
add_test(NAME pg_cluster_start COMMAND ${CMAKE_SOURCE_DIR}/scripts/pg-cluster start ${PG_DIR})
add_test(NAME pg_cluster_stop COMMAND ${CMAKE_SOURCE_DIR}/scripts/pg-cluster stop ${PG_DIR})
set_tests_properties(pg_cluster_start PROPERTIES FIXTURES_SETUP pg TIMEOUT 900)
set_tests_properties(pg_cluster_stop PROPERTIES FIXTURES_CLEANUP pg TIMEOUT 120)
# A test that needs the server sources build/pg/env (PGHOST, PGPORT, LIAISON_TEST_PG …).
add_test(NAME pg_unit COMMAND bash -c ". '${PG_DIR}/env' && exec '$<TARGET_FILE:liaison_pg_tests>'")
set_tests_properties(pg_unit PROPERTIES FIXTURES_REQUIRED pg TIMEOUT 300)
# The services' store-parameterised cases, on PostgreSQL only (the others ran in unit).
add_test(NAME pg_store_unit COMMAND bash -c ". '${PG_DIR}/env' && exec '$<TARGET_FILE:liaison_pg_store_tests>' -tc='*<postgres>*'")
set_tests_properties(pg_store_unit PROPERTIES FIXTURES_REQUIRED pg TIMEOUT 900)
# The command-line suite again against PostgreSQL (LIAISON_TEST_DB=postgres: each test's
# workdirs get a database of their own on the cluster), and the server's own tests
# (pg_server: the roles, a killed writer, the snapshot; pg_report: the report of one
# history on both stores). Not run again there: the tests of the SQLite file itself
# (checkpoint and tamper edit it with sqlite3, concurrency checks its WAL, files its
# modes, migrate its migrations) and those that do not touch a store (completion, help,
# install, man, readme). query runs in PostgreSQL's dialect there.
set(PG_CLI_TESTS access approvals attachments audit_log backup bitemporal errors exchange hold identity
  input lang letters lifecycle mail_in meetings notify output overdue personal purge reads receipts
  record_fields remind schedules search terminal pg_server
  cron query report report_check report_details report_html pg_report)
foreach(n ${PG_CLI_TESTS})
  add_test(NAME cli_pg_${n} COMMAND bash -c ". '${PG_DIR}/env' && LIAISON_TEST_DB=postgres exec bash '${CMAKE_SOURCE_DIR}/tests/cli/${n}_test.sh'")
  set_tests_properties(cli_pg_${n} PROPERTIES ENVIRONMENT "${CLI_ENV}" FIXTURES_REQUIRED pg TIMEOUT 900)
endforeach()
