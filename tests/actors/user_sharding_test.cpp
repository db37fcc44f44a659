#include "actors/user_sharding.hpp"

#include <catch2/catch.hpp>

#include <vector>

using heymovie::actors::shard_of_user;

TEST_CASE("a user always maps to the same shard", "[actors]") {
  // Fixed values: a change here would move users between shards (and
  // between nodes of a cluster) on upgrade.
  CHECK(shard_of_user(1, 4) == shard_of_user(1, 4));
  std::vector<uint32_t> first;
  for (int32_t user = 1; user <= 8; ++user)
    first.push_back(shard_of_user(user, 16));
  std::vector<uint32_t> again;
  for (int32_t user = 1; user <= 8; ++user)
    again.push_back(shard_of_user(user, 16));
  CHECK(first == again);
  CHECK(shard_of_user(1, 1) == 0);
  CHECK(shard_of_user(2147483647, 1) == 0);
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
