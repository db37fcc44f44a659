#include "persistence/movie_catalog.hpp"

#include <catch2/catch.hpp>

using heymovie::persistence::movie_catalog;

SCENARIO("the catalogue knows its ids, in any order and with repeats",
         "[persistence]") {
  movie_catalog catalog{{50, 1, 2147483647, 2, 50}};
  CHECK(catalog.size() == 4);
  CHECK(catalog.contains(1));
  CHECK(catalog.contains(50));
  CHECK(catalog.contains(2147483647));
  CHECK_FALSE(catalog.contains(3));
  CHECK_FALSE(catalog.contains(0));
  CHECK_FALSE(movie_catalog{}.contains(1));
}

SCENARIO("a withdrawn movie is no longer known, the others still are",
         "[persistence]") {
  movie_catalog catalog{{1, 2, 3}};
  CHECK(catalog.withdraw(2));
  CHECK_FALSE(catalog.contains(2));
  CHECK(catalog.contains(1));
  CHECK(catalog.contains(3));
  THEN("withdrawing it again, or an unknown movie, changes nothing") {
    CHECK_FALSE(catalog.withdraw(2));
    CHECK_FALSE(catalog.withdraw(4));
    CHECK(catalog.size() == 3);
  }
}
