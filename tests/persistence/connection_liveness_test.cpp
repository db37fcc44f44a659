// Liveness settings added to connection URLs (pure logic: libpq parses, no
// server involved).

#include "persistence/connection_liveness.hpp"

#include <catch2/catch.hpp>

#include <libpq-fe.h>
#include <map>
#include <memory>
#include <string>

using heymovie::persistence::with_liveness_checks;

namespace {

/// The options a connection string sets, as libpq reads them.
std::map<std::string, std::string> options_of(const std::string& conninfo) {
  char* error = nullptr;
  std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options{
      PQconninfoParse(conninfo.c_str(), &error), &PQconninfoFree};
  if (!options) {
    std::string message = error != nullptr ? error : "?";
    PQfreemem(error);
    FAIL("libpq cannot parse " << conninfo << ": " << message);
  }
  std::map<std::string, std::string> out;
  for (auto* o = options.get(); o->keyword != nullptr; ++o)
    if (o->val != nullptr)
      out[o->keyword] = o->val;
  return out;
}

} // namespace

TEST_CASE("a URI keeps its settings and gains the liveness checks",
          "[unit][persistence]") {
  auto got = options_of(with_liveness_checks(
      "postgresql://heymovie@db.example:6543/ratings?sslmode=disable"));
  CHECK(got["host"] == "db.example");
  CHECK(got["port"] == "6543");
  CHECK(got["user"] == "heymovie");
  CHECK(got["dbname"] == "ratings");
  CHECK(got["sslmode"] == "disable");
  CHECK(got["connect_timeout"] == "10");
  CHECK(got["keepalives"] == "1");
  CHECK(got["keepalives_idle"] == "10");
  CHECK(got["keepalives_interval"] == "5");
  CHECK(got["keepalives_count"] == "3");
  CHECK(got["tcp_user_timeout"] == "30000");
}

TEST_CASE("settings the URL gives win over the defaults",
          "[unit][persistence]") {
  auto got = options_of(with_liveness_checks(
      "postgresql:///heymovie?host=/tmp/pg&connect_timeout=3"
      "&keepalives_idle=60&tcp_user_timeout=0"));
  CHECK(got["host"] == "/tmp/pg");
  CHECK(got["connect_timeout"] == "3");
  CHECK(got["keepalives_idle"] == "60");
  CHECK(got["tcp_user_timeout"] == "0");
  CHECK(got["keepalives_count"] == "3");
}

TEST_CASE("quoted values survive the rewriting", "[unit][persistence]") {
  auto got = options_of(with_liveness_checks(
      R"(dbname='my ratings' password='it\'s a \\ secret' host=localhost)"));
  CHECK(got["dbname"] == "my ratings");
  CHECK(got["password"] == R"(it's a \ secret)");
  CHECK(got["host"] == "localhost");
  CHECK(got["connect_timeout"] == "10");
}

TEST_CASE("an empty URL gains the checks, a malformed one is left to the "
          "connection to report",
          "[unit][persistence]") {
  auto got = options_of(with_liveness_checks(""));
  CHECK(got.size() == 6);
  CHECK(got["keepalives_idle"] == "10");
  CHECK(with_liveness_checks("postgresql://[::1") == "postgresql://[::1");
  CHECK(with_liveness_checks("dbname='unterminated") == "dbname='unterminated");
}
