#include "persistence/movie_catalog.hpp"
#include "persistence/movie_import.hpp"
#include "persistence/schema.hpp"
#include "support/test_database.hpp"

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include <fstream>
#include <sstream>

using namespace heymovie;
using namespace heymovie::persistence;

SCENARIO("migrations are idempotent", "[pg]") {
  testing::test_database db;
  pqxx::connection conn{db.url()};
  CHECK(migrate(conn) == static_cast<int>(migrations.size()));
  CHECK(migrate(conn) == 0);
  pqxx::read_transaction tx{conn};
  CHECK(tx.exec1("SELECT max(version) FROM schema_migrations")[0].as<int>() ==
        migrations.back().version);
}

SCENARIO("importing a catalogue twice changes nothing the second time",
         "[pg]") {
  testing::test_database db;
  pqxx::connection conn{db.url()};
  migrate(conn);
  std::ifstream first{testing::sample_movies_csv()};
  auto once = import_movies(conn, first);
  CHECK(once.inserted == once.read);
  CHECK(once.read >= 20);
  std::ifstream second{testing::sample_movies_csv()};
  auto twice = import_movies(conn, second);
  CHECK(twice.inserted == 0);
  CHECK(twice.updated == 0);
  CHECK(twice.unchanged == once.read);
  movie_catalog catalog{read_movie_ids(conn)};
  CHECK(catalog.size() == once.read);
  CHECK(catalog.contains(1));
  CHECK_FALSE(catalog.contains(4));
  pqxx::read_transaction tx{conn};
  auto row = tx.exec1("SELECT title, array_to_string(genres, '|') FROM movies "
                      "WHERE id = 11");
  CHECK(row[0].as<std::string>() == "American President, The (1995)");
  CHECK(row[1].as<std::string>() == "Comedy|Drama|Romance");
}

SCENARIO("an import updates changed titles, reports malformed lines by "
         "number and keeps the rest",
         "[pg]") {
  testing::test_database db;
  pqxx::connection conn{db.url()};
  migrate(conn);
  std::istringstream v1{"movieId,title,genres\n1,Old Title,Comedy\n"};
  import_movies(conn, v1);
  std::istringstream v2{"movieId,title,genres\r\n"
                        "1,New Title,Comedy\r\n"
                        "2,\"Broken,Drama\r\n"
                        "3,Third (2000),(no genres listed)\r\n"
                        "3,Third again (2000),Drama\r\n"};
  auto summary = import_movies(conn, v2);
  CHECK(summary.read == 4);
  CHECK(summary.updated == 1);
  CHECK(summary.inserted == 1);
  REQUIRE(summary.refused.size() == 1);
  CHECK(summary.refused[0].line == 3);
  REQUIRE(summary.duplicates.size() == 1);
  CHECK(summary.duplicates[0].line == 5);
  pqxx::read_transaction tx{conn};
  CHECK(
      tx.exec1("SELECT title FROM movies WHERE id = 1")[0].as<std::string>() ==
      "New Title");
  CHECK(
      tx.exec1("SELECT title FROM movies WHERE id = 3")[0].as<std::string>() ==
      "Third again (2000)");
}

SCENARIO("the MovieLens catalogue imports completely", "[pg]") {
  testing::test_database db;
  pqxx::connection conn{db.url()};
  migrate(conn);
  std::ifstream in{testing::movielens_dir() + "/movies.csv"};
  REQUIRE(in);
  auto summary = import_movies(conn, in);
  CHECK(summary.read == 9742);
  CHECK(summary.inserted == 9742);
  CHECK(summary.refused.empty());
  CHECK(read_movie_ids(conn).size() == 9742);
}
