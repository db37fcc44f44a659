// The rule `loadgen verify` applies: what the database must hold after a run,
// given what each request was answered.

#include "loadgen/verify_rule.hpp"
#include "make_rating.hpp"

#include <catch2/catch.hpp>

#include <unordered_map>

using namespace heymovie::loadgen;

TEST_CASE("the last acknowledged rating must be stored", "[loadgen]") {
  pair_history h;
  h.add(make_rating(1, 1, 4), 201);
  h.add(make_rating(1, 1, 6), 200);
  REQUIRE(h.acknowledged());
  CHECK(h.accepts(6, 0));
  CHECK_FALSE(h.accepts(4, 0)); // overwritten by a later acknowledged one
}

TEST_CASE("unanswered requests after it may have won but refused ones not",
          "[loadgen]") {
  pair_history h;
  h.add(make_rating(1, 1, 2), 0); // before the acknowledgement: too early
  h.add(make_rating(1, 1, 4), 201);
  h.add(make_rating(1, 1, 5), 503);
  h.add(make_rating(1, 1, 7), 0);
  h.add(make_rating(1, 1, 9), 422);
  CHECK(h.accepts(4, 0));
  CHECK(h.accepts(5, 0));
  CHECK(h.accepts(7, 0));
  CHECK_FALSE(h.accepts(9, 0));
  CHECK_FALSE(h.accepts(2, 0));
  CHECK(h.uncertain_after() == 2);
  h.add(make_rating(1, 1, 3), 200); // a new acknowledgement settles it
  CHECK(h.accepts(3, 0));
  CHECK_FALSE(h.accepts(7, 0));
}

TEST_CASE("timestamps count only when the request carried one", "[loadgen]") {
  pair_history with;
  with.add(make_rating(1, 1, 4, 1000), 201);
  CHECK(with.accepts(4, 1000));
  CHECK_FALSE(with.accepts(4, 1001));
  pair_history without;
  without.add(make_rating(1, 1, 4), 201);
  CHECK(without.accepts(4, 1795814610));
}

TEST_CASE("pairs never acknowledged are not checked", "[loadgen]") {
  pair_history h;
  h.add(make_rating(1, 1, 4), 503);
  h.add(make_rating(1, 1, 5), 400);
  CHECK_FALSE(h.acknowledged());
  CHECK(outcome_of(201) == outcome::acknowledged);
  CHECK(outcome_of(0) == outcome::uncertain);
  CHECK(outcome_of(500) == outcome::uncertain);
  CHECK(outcome_of(413) == outcome::refused);
}

TEST_CASE("movie aggregates must be what the ratings imply", "[loadgen]") {
  std::unordered_map<int32_t, movie_aggregate> stored = {
      {1, {2, 15}}, {2, {0, 0}}, {3, {1, 4}}, {4, {1, 8}}};
  std::unordered_map<int32_t, movie_aggregate> implied = {
      {1, {2, 15}}, {4, {1, 9}}, {5, {1, 2}}};
  auto mismatches = compare_aggregates(stored, implied);
  REQUIRE(mismatches.size() == 3);
  CHECK(mismatches[0].movie == 3); // stored 1/4, no ratings
  CHECK(mismatches[0].implied == movie_aggregate{});
  CHECK(mismatches[1].movie == 4); // sums differ
  CHECK(mismatches[2].movie == 5); // rated, but not in movies
  CHECK_FALSE(mismatches[2].stored);
}
