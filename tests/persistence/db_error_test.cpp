#include "persistence/db_error.hpp"

#include <catch2/catch.hpp>
#include <pqxx/except>

using namespace heymovie::persistence;

namespace {

db_error_kind kind_of(const char* sqlstate) {
  try {
    throw pqxx::sql_error{"failed", "SELECT 1", sqlstate};
  } catch (...) {
    return classify_current_exception().kind;
  }
}

} // namespace

TEST_CASE("database errors are classified by their SQLSTATE", "[persistence]") {
  CHECK(kind_of("57014") == db_error_kind::timeout);
  CHECK(kind_of("40P01") == db_error_kind::conflict);
  CHECK(kind_of("23503") == db_error_kind::unknown_movie);
  CHECK(kind_of("22003") == db_error_kind::bad_row);
  CHECK(kind_of("08006") == db_error_kind::connection);
  // A statement the server has and libpqxx does not know it has: only a new
  // connection mends that, so it counts as a connection's error.
  CHECK(kind_of("42P05") == db_error_kind::connection);
  CHECK(kind_of("42601") == db_error_kind::permanent);
}
