#include "actors/rating_batcher.hpp"

#include <catch2/catch.hpp>

using namespace heymovie::actors;

namespace {

rating_command cmd(ticket id, int32_t user, int32_t movie, uint8_t half) {
  return {id, {user, movie, half, 0}};
}

batch_result committed(uint64_t id, std::vector<bool> replaced) {
  batch_result result{id, {}};
  for (bool r : replaced)
    result.rows.push_back(r ? outcome::replaced : outcome::created);
  return result;
}

} // namespace

SCENARIO("repeats of a (user, movie) in one batch coalesce, the last wins",
         "[actors]") {
  rating_batcher batcher{10, 100};
  REQUIRE(batcher.add(cmd(1, 7, 50, 2), 0));
  REQUIRE(batcher.add(cmd(2, 7, 51, 4), 0));
  REQUIRE(batcher.add(cmd(3, 7, 50, 6), 0));
  REQUIRE(batcher.add(cmd(4, 7, 50, 8), 0));
  auto batch = batcher.take();
  REQUIRE(batch.rows.size() == 2);
  CHECK(batch.rows[0].movie == 50);
  CHECK(batch.rows[0].half_stars == 8);
  CHECK(batch.rows[1].movie == 51);
  REQUIRE(batch.waiters.size() == 4);
  WHEN("the database saw the rating as new") {
    auto outcomes = outcomes_of(batch, committed(1, {false, false}));
    REQUIRE(outcomes.size() == 4);
    THEN("the first request created it and the later ones replaced it") {
      CHECK(outcomes[0].second.id == 1);
      CHECK(outcomes[0].second.result == outcome::created);
      CHECK(outcomes[1].second.result == outcome::created);
      CHECK(outcomes[2].second.result == outcome::replaced);
      CHECK(outcomes[3].second.result == outcome::replaced);
    }
  }
  WHEN("the database already had it") {
    auto outcomes = outcomes_of(batch, committed(1, {true, false}));
    THEN("all requests for it replaced a rating") {
      CHECK(outcomes[0].second.result == outcome::replaced);
      CHECK(outcomes[2].second.result == outcome::replaced);
      CHECK(outcomes[1].second.result == outcome::created);
    }
  }
}

SCENARIO("batches close at the batch size and keep arrival order", "[actors]") {
  rating_batcher batcher{3, 100};
  for (ticket t = 1; t <= 7; ++t)
    REQUIRE(batcher.add(cmd(t, static_cast<int32_t>(t), 1, 2), 0));
  CHECK(batcher.front_full());
  auto first = batcher.take();
  auto second = batcher.take();
  auto third = batcher.take();
  CHECK(batcher.empty());
  CHECK(first.rows.size() == 3);
  CHECK(second.rows.size() == 3);
  CHECK(third.rows.size() == 1);
  CHECK(first.rows.front().user == 1);
  CHECK(second.rows.front().user == 4);
  CHECK(third.rows.front().user == 7);
}

SCENARIO("a repeat joins its queued batch, full or not, but never one that "
         "is being written",
         "[actors]") {
  rating_batcher batcher{2, 100};
  REQUIRE(batcher.add(cmd(1, 7, 50, 2), 0));
  REQUIRE(batcher.add(cmd(2, 8, 50, 2), 0));
  // The batch is full but not sent: the repeat replaces the row in place.
  REQUIRE(batcher.add(cmd(3, 7, 50, 10), 0));
  auto first = batcher.take();
  CHECK(batcher.empty());
  REQUIRE(first.rows.size() == 2);
  CHECK(first.rows[0].half_stars == 10);
  CHECK(first.waiters.size() == 3);
  // Now the batch is at the database: a repeat must wait for the next one.
  REQUIRE(batcher.add(cmd(4, 7, 50, 4), 0));
  auto second = batcher.take();
  REQUIRE(second.rows.size() == 1);
  CHECK(second.rows[0].half_stars == 4);
}

SCENARIO("the pending limit counts queued and in-flight requests", "[actors]") {
  rating_batcher batcher{10, 3};
  CHECK(batcher.add(cmd(1, 1, 1, 2), 0));
  CHECK(batcher.add(cmd(2, 2, 1, 2), 0));
  auto batch = batcher.take();
  CHECK(batcher.add(cmd(3, 3, 1, 2), 0));
  CHECK(batcher.pending() == 3);
  WHEN("the limit is reached") {
    THEN("further requests are refused, coalescable or not") {
      CHECK_FALSE(batcher.add(cmd(4, 4, 1, 2), 0));
      CHECK_FALSE(batcher.add(cmd(5, 3, 1, 4), 0));
    }
  }
  WHEN("the batch in flight is answered") {
    batcher.release(batch.waiters.size());
    THEN("there is room again") {
      CHECK(batcher.pending() == 1);
      CHECK(batcher.add(cmd(4, 4, 1, 2), 0));
    }
  }
}

SCENARIO("a failed batch answers every waiter with the failure", "[actors]") {
  rating_batcher batcher{10, 100};
  REQUIRE(batcher.add(cmd(1, 1, 1, 2), 0));
  REQUIRE(batcher.add(cmd(2, 1, 1, 4), 1));
  auto batch = batcher.take();
  auto outcomes = outcomes_of(batch, {1, {outcome::unavailable}});
  REQUIRE(outcomes.size() == 2);
  CHECK(outcomes[0].second.result == outcome::unavailable);
  CHECK(outcomes[1].second.result == outcome::unavailable);
  // Outcomes go back where each request came from.
  CHECK(outcomes[0].first == 0);
  CHECK(outcomes[1].first == 1);
  outcomes = outcomes_of(batch, {1, {outcome::failed}});
  CHECK(outcomes[0].second.result == outcome::failed);
  // A lost batch (its writer died) says nothing per row.
  outcomes = outcomes_of(batch, {0, {}});
  CHECK(outcomes[0].second.result == outcome::unavailable);
  CHECK(outcomes[1].second.result == outcome::unavailable);
}

SCENARIO("a batch with refused rows answers each waiter with its own row's "
         "outcome",
         "[actors]") {
  rating_batcher batcher{10, 100};
  REQUIRE(batcher.add(cmd(1, 1, 1, 2), 0));
  REQUIRE(batcher.add(cmd(2, 1, 99, 4), 0));
  REQUIRE(batcher.add(cmd(3, 1, 1, 6), 0));
  REQUIRE(batcher.add(cmd(4, 2, 99, 8), 0));
  auto batch = batcher.take();
  REQUIRE(batch.rows.size() == 3);
  auto outcomes = outcomes_of(
      batch,
      {1, {outcome::created, outcome::unknown_movie, outcome::unknown_movie}});
  REQUIRE(outcomes.size() == 4);
  CHECK(outcomes[0].second.result == outcome::created);
  CHECK(outcomes[1].second.result == outcome::unknown_movie);
  // The repeat of the committed row replaced its predecessor.
  CHECK(outcomes[2].second.result == outcome::replaced);
  CHECK(outcomes[3].second.result == outcome::unknown_movie);
}

TEST_CASE("tickets carry their submitter", "[actors]") {
  auto t = make_ticket(513, 123456789);
  CHECK(submitter_of(t) == 513);
  CHECK((t & 0xFFFFFFFFFFFF) == 123456789);
}
