#include "persistence/movie_deltas.hpp"

#include <catch2/catch.hpp>

using namespace heymovie::persistence;

TEST_CASE("new ratings add a vote and their stars, replacements the "
          "difference",
          "[persistence]") {
  std::vector<rating> rows{
      {1, 20, 8, 0}, {2, 10, 6, 0}, {3, 20, 4, 0}, {4, 10, 10, 0}};
  std::vector<int> previous{0, 0, 6, 10};
  auto deltas = movie_deltas(rows, previous);
  REQUIRE(deltas.size() == 2);
  CHECK(deltas[0].movie == 10); // ascending: the lock order
  CHECK(deltas[0].added_votes == 1);
  CHECK(deltas[0].added_half_stars == 6 + 0);
  CHECK(deltas[1].movie == 20);
  CHECK(deltas[1].added_votes == 1);
  CHECK(deltas[1].added_half_stars == 8 + (4 - 6));
}

TEST_CASE("movies whose aggregates do not change are left out",
          "[persistence]") {
  std::vector<rating> rows{{1, 5, 8, 0}};
  CHECK(movie_deltas(rows, {8}).empty());
  CHECK(movie_deltas({}, {}).empty());
}

TEST_CASE("PostgreSQL array literals", "[persistence]") {
  std::vector<int> xs{3, -1, 20};
  CHECK(pg_array(xs, [](int x) { return x; }) == "{3,-1,20}");
  CHECK(pg_array(std::vector<int>{}, [](int x) { return x; }) == "{}");
}
