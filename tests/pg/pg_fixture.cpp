// The PostgreSQL side of tests/fixture.h for liaison_pg_store_tests: each StoreFixture
// on PostgreSQL gets a database of its own on the throwaway cluster (scripts/pg-cluster,
// LIAISON_TEST_PG), dropped when the fixture ends.
#include <cstdlib>
#include <string>

#include <unistd.h>

#include "fixture.h"
#include "pg_connection.h"

namespace liaison::test {

std::pair<std::string, std::shared_ptr<void>> new_pg_database() {
  const char* admin = std::getenv("LIAISON_TEST_PG");
  REQUIRE_MESSAGE(admin, "LIAISON_TEST_PG is not set: run under ctest's pg fixture, or source build/pg/env");
  static int counter = 0;
  const std::string name = "unit_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
  std::string url = admin;
  const auto slash = url.find("/postgres?");
  REQUIRE_MESSAGE(slash != std::string::npos, "LIAISON_TEST_PG is not the cluster's URL: " << url);
  url.replace(slash, 9, "/" + name);
  {
    pg::Connection c(admin);
    c.exec("CREATE DATABASE " + name + " ENCODING 'UTF8' TEMPLATE template0");
  }
  std::string admin_url = admin;
  return {url, std::shared_ptr<void>(nullptr, [admin_url, name](void*) {
            try {
              pg::Connection c(admin_url);
              c.exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            } catch (...) {  // the cluster is thrown away at the end anyway
            }
          })};
}

}  // namespace liaison::test
