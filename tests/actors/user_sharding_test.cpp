#include "actors/user_sharding.hpp"

#include <catch2/catch.hpp>

#include <vector>

using heymovie::actors::shard_of_user;

TEST_CASE("a user always maps to the same shard", "[actors]") {
  // Fixed values: a change here would move users between shards (and
  // between the nodes of a running cluster) on upgrade.
  struct expected {
    int32_t user;
    uint32_t of_4;
    uint32_t of_16;
  };
  for (auto e : {expected{1, 3, 15}, expected{2, 0, 0}, expected{3, 1, 14},
                 expected{42, 0, 0}, expected{1000, 0, 12},
                 expected{2147483647, 2, 10}}) {
    INFO("user " << e.user);
    CHECK(shard_of_user(e.user, 4) == e.of_4);
    CHECK(shard_of_user(e.user, 16) == e.of_16);
    CHECK(shard_of_user(e.user, 1) == 0);
  }
}

TEST_CASE("users spread evenly over shards", "[actors]") {
  constexpr size_t shards = 8;
  constexpr int32_t users = 80000;
  std::vector<size_t> load(shards);
  for (int32_t user = 1; user <= users; ++user) {
    auto s = shard_of_user(user, shards);
    REQUIRE(s < shards);
    ++load[s];
  }
  for (auto n : load) {
    CHECK(n > users / shards * 9 / 10);
    CHECK(n < users / shards * 11 / 10);
  }
}

TEST_CASE("adding a shard moves only the users it takes", "[actors]") {
  constexpr int32_t users = 50000;
  size_t moved = 0;
  for (int32_t user = 1; user <= users; ++user) {
    auto before = shard_of_user(user, 5);
    auto after = shard_of_user(user, 6);
    if (before != after) {
      // A user that moves goes to the new shard, never elsewhere.
      CHECK(after == 5);
      ++moved;
    }
  }
  // About 1/6 of the users move.
  CHECK(moved > users / 6 * 8 / 10);
  CHECK(moved < users / 6 * 12 / 10);
}
