// The rating pipeline's actors (router, shards, writer pool, DB writers) on
// in-memory storage: what the HTTP layer relies on, without a database.
// pipeline_pgtest.cpp runs the same actors against PostgreSQL.

#include "support/actor_pipeline.hpp"
#include "support/memory_storage.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <mutex>

using namespace heymovie;
using namespace heymovie::actors;
using namespace heymovie::testing;
using namespace std::chrono_literals;
using persistence::row_status;

namespace {

const std::vector<int32_t> movies{1, 2, 3};

std::shared_ptr<memory_storage> storage_of(std::vector<int32_t> known) {
  return std::make_shared<memory_storage>(std::move(known));
}

/// Notes, as each outcome arrives, whether its rating was stored by then.
class commit_witness : public outcome_collector {
public:
  commit_witness(std::shared_ptr<memory_storage> storage,
                 std::map<uint64_t, rating> sent)
      : storage_(std::move(storage)), sent_(std::move(sent)) {
    // nop
  }

  void deliver(std::vector<rating_outcome> outcomes) override {
    for (auto& o : outcomes) {
      auto& r = sent_.at(sequence_of(o.id));
      std::lock_guard<std::mutex> guard{mutex_};
      stored_when_answered_ +=
          storage_->rating_of(r.user, r.movie) == std::optional<rating>{r};
    }
    outcome_collector::deliver(std::move(outcomes));
  }

  int stored_when_answered() {
    std::lock_guard<std::mutex> guard{mutex_};
    return stored_when_answered_;
  }

private:
  std::shared_ptr<memory_storage> storage_;
  std::map<uint64_t, rating> sent_;
  std::mutex mutex_;
  int stored_when_answered_ = 0;
};

} // namespace

SCENARIO("a rating is answered only once its batch has committed", "[actors]") {
  auto storage = storage_of(movies);
  actor_pipeline p{storage->writers()};
  std::vector<rating_command> sent{command(1, 1, 1, 8), command(2, 2, 1, 6),
                                   command(3, 3, 2, 10)};
  std::map<uint64_t, rating> by_seq;
  for (auto& c : sent)
    by_seq[sequence_of(c.id)] = c.value;
  auto witness = std::make_shared<commit_witness>(storage, by_seq);
  p.outcomes = witness;
  GIVEN("a database that holds the batch before committing it") {
    storage->close_gate();
    p.submit(sent);
    storage->await_waiting_writes(1);
    THEN("nothing is answered while the batch waits") {
      CHECK(p.outcomes->count() == 0);
      CHECK(storage->commits().empty());
      AND_THEN("every rating is answered after its commit") {
        storage->open_gate();
        auto got = p.outcomes->wait_for(3);
        for (uint64_t seq = 1; seq <= 3; ++seq)
          CHECK(outcome_of(got, seq) == outcome::created);
        CHECK(witness->stored_when_answered() == 3);
        CHECK(storage->aggregate_of(1) == std::pair<int64_t, int64_t>{2, 14});
      }
    }
  }
}

SCENARIO("of many requests by one user, the later always wins", "[actors]") {
  auto storage = storage_of(movies);
  actor_pipeline p{storage->writers()};
  // One message per request, as separate event-loop turns would send them,
  // so that they spread over several batches; each dated by its order.
  constexpr uint64_t n = 300;
  for (uint64_t seq = 1; seq <= n; ++seq)
    p.submit({{make_ticket(outcome_collector::id, seq),
               {42, 2, static_cast<uint8_t>(1 + seq % 10),
                static_cast<int64_t>(seq)}}});
  auto got = p.outcomes->wait_for(n);
  CHECK(outcome_of(got, 1) == outcome::created);
  for (uint64_t seq = 2; seq <= n; ++seq)
    CHECK(outcome_of(got, seq) == outcome::replaced);
  auto stored = storage->rating_of(42, 2);
  REQUIRE(stored);
  CHECK(stored->rated_at == static_cast<int64_t>(n));
  CHECK(storage->aggregate_of(2) == std::pair<int64_t, int64_t>{1, 1 + n % 10});
  // Commits (coalescing may skip some) follow the order of the requests.
  int64_t last = 0;
  for (auto& r : storage->commits()) {
    CHECK(r.rated_at > last);
    last = r.rated_at;
  }
}

SCENARIO("with several writers, each user's order holds and every aggregate "
         "is exact",
         "[actors]") {
  auto storage = storage_of(movies);
  actor_pipeline p{storage->writers(), {8, 10000, 100, 3}};
  constexpr int32_t users = 40;
  constexpr int rounds = 5;
  uint64_t seq = 0;
  std::map<std::pair<int32_t, int32_t>, uint8_t> latest;
  for (int r = 0; r < rounds; ++r)
    for (auto movie : movies)
      for (int32_t user = 1; user <= users; ++user) {
        auto half = static_cast<uint8_t>(1 + ++seq % 10);
        latest[{user, movie}] = half;
        p.submit({command(seq, user, movie, half)});
      }
  p.outcomes->wait_for(seq);
  for (auto movie : movies) {
    int64_t sum = 0;
    for (int32_t user = 1; user <= users; ++user) {
      auto stored = storage->rating_of(user, movie);
      REQUIRE(stored);
      CHECK(stored->half_stars == latest[{user, movie}]);
      sum += latest[{user, movie}];
    }
    CHECK(storage->aggregate_of(movie) ==
          std::pair<int64_t, int64_t>{users, sum});
  }
}

SCENARIO("a full shard answers at once instead of queueing", "[actors]") {
  auto storage = storage_of(movies);
  actor_pipeline p{storage->writers(), {1, 4, 4, 1}};
  storage->close_gate();
  std::vector<rating_command> burst;
  for (int32_t user = 1; user <= 10; ++user)
    burst.push_back(command(static_cast<uint64_t>(user), user, 1, 8));
  p.submit(burst);
  WHEN("more ratings arrive than the shard may have pending") {
    auto early = p.outcomes->wait_for(6);
    THEN("the ones past the limit are refused at once (503 overloaded)") {
      CHECK(count_of(early, outcome::shard_full) == 6);
      CHECK(p.health().not_ready_reason() == "every shard is saturated");
      AND_THEN("the others are written once the database moves") {
        storage->open_gate();
        CHECK(count_of(p.outcomes->wait_for(10), outcome::created) == 4);
        CHECK(p.health().not_ready_reason().empty());
      }
    }
  }
}

SCENARIO("a failing batch answers each of its ratings as the database did",
         "[actors]") {
  auto storage = storage_of(movies);
  actor_pipeline p{storage->writers(), {1}};
  WHEN("the database cannot commit a batch in time") {
    storage->fail_next_write(row_status::unavailable);
    p.submit({command(1, 1, 1, 8), command(2, 2, 2, 8)});
    auto got = p.outcomes->wait_for(2);
    THEN("its ratings are unavailable (503), and later ones are written") {
      CHECK(outcome_of(got, 1) == outcome::unavailable);
      CHECK(outcome_of(got, 2) == outcome::unavailable);
      CHECK_FALSE(storage->rating_of(1, 1));
      p.submit({command(3, 1, 1, 8)});
      CHECK(outcome_of(p.outcomes->wait_for(3), 3) == outcome::created);
    }
  }
  WHEN("the database refuses a batch") {
    storage->fail_next_write(row_status::failed);
    p.submit({command(1, 1, 1, 8)});
    THEN("its ratings fail (500)") {
      CHECK(outcome_of(p.outcomes->wait_for(1), 1) == outcome::failed);
    }
  }
  WHEN("a batch names a movie the database no longer has") {
    p.submit({command(1, 1, 1, 8), command(2, 2, 99, 8), command(3, 3, 2, 4)});
    auto got = p.outcomes->wait_for(3);
    THEN("that rating is refused and the others are written") {
      CHECK(outcome_of(got, 1) == outcome::created);
      CHECK(outcome_of(got, 2) == outcome::unknown_movie);
      CHECK(outcome_of(got, 3) == outcome::created);
      CHECK(storage->commits().size() == 2);
    }
  }
}

SCENARIO("a writer that dies loses only its batch: those ratings are "
         "answered unavailable, later ones are written by its replacement",
         "[actors]") {
  auto storage = storage_of(movies);
  actor_pipeline p{storage->writers(), {2}};
  storage->crash_next_write();
  p.submit({command(1, 1, 1, 8), command(2, 1, 2, 8)});
  auto got = p.outcomes->wait_for(2);
  CHECK(outcome_of(got, 1) == outcome::unavailable);
  CHECK(outcome_of(got, 2) == outcome::unavailable);
  CHECK(storage->commits().empty());
  p.submit({command(3, 1, 1, 6), command(4, 7, 3, 2)});
  got = p.outcomes->wait_for(4);
  CHECK(outcome_of(got, 3) == outcome::created);
  CHECK(outcome_of(got, 4) == outcome::created);
  CHECK(storage->aggregate_of(1) == std::pair<int64_t, int64_t>{1, 6});
}

SCENARIO("closed shards write what they accepted, say so, and refuse the "
         "rest as shutting down",
         "[actors]") {
  auto storage = storage_of(movies);
  actor_pipeline p{storage->writers(), {4}};
  storage->close_gate();
  std::vector<rating_command> before;
  for (int32_t user = 1; user <= 20; ++user)
    before.push_back(command(static_cast<uint64_t>(user), user, 1, 6));
  p.submit(before);
  storage->await_waiting_writes(1);
  WHEN("the shards close while ratings are at the database") {
    THEN("they have not all written what they accepted within a moment") {
      CHECK_FALSE(p.close_shards(50ms));
      storage->open_gate();
    }
    AND_WHEN("the database moves") {
      storage->open_gate();
      THEN("closing ends once every accepted rating has its outcome") {
        CHECK(p.close_shards());
        auto got = p.outcomes->wait_for(20);
        for (uint64_t seq = 1; seq <= 20; ++seq)
          CHECK(outcome_of(got, seq) == outcome::created);
        AND_THEN("new ratings are refused") {
          p.submit({command(100, 1, 2, 6), command(101, 2, 2, 6)});
          got = p.outcomes->wait_for(22);
          CHECK(outcome_of(got, 100) == outcome::shutting_down);
          CHECK(outcome_of(got, 101) == outcome::shutting_down);
          CHECK(storage->aggregate_of(2).first == 0);
        }
      }
    }
  }
}
