// The actor pipeline (router, shards, writer pool) against a real
// PostgreSQL, driven through the router's interface as the HTTP layer does.
// pipeline_test.cpp runs the same actors on in-memory storage.

#include "persistence/rating_writer.hpp"
#include "support/actor_pipeline.hpp"
#include "support/test_database.hpp"

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include <map>
#include <set>

using namespace heymovie;
using namespace heymovie::actors;
using namespace heymovie::testing;
using namespace std::chrono_literals;

namespace {

/// The pipeline on PostgreSQL writers, as the service runs it.
class pipeline : public actor_pipeline {
public:
  pipeline(const std::string& url, size_t shards, size_t mailbox_limit,
           std::chrono::nanoseconds give_up_after = 5s, size_t writers = 1)
      : actor_pipeline(
            [url, give_up_after] {
              return std::make_unique<persistence::rating_writer>(
                  url, persistence::retry_policy{5ms, 50ms},
                  std::chrono::ceil<std::chrono::milliseconds>(give_up_after));
            },
            {shards, mailbox_limit, 100, writers, give_up_after}) {
    // nop
  }
};

} // namespace

SCENARIO("ratings are answered created, then replaced, after commit",
         "[pg][actors]") {
  testing::test_database db{testing::sample_movies_csv()};
  pipeline p{db.url(), 4, 1000};
  std::vector<rating_command> first;
  for (int32_t user = 1; user <= 50; ++user)
    first.push_back(command(user, user, 1, 8));
  p.submit(first);
  auto got = p.outcomes->wait_for(50);
  for (uint64_t seq = 1; seq <= 50; ++seq)
    CHECK(outcome_of(got, seq) == outcome::created);
  // Answered means committed: visible to any other connection now.
  CHECK(testing::query_int(
            db.url(), "SELECT vote_count FROM movie_totals WHERE id = 1") ==
        50);
  p.submit({command(51, 1, 1, 2)});
  got = p.outcomes->wait_for(51);
  CHECK(outcome_of(got, 51) == outcome::replaced);
  CHECK(testing::query_int(
            db.url(), "SELECT rating_sum FROM movie_totals WHERE id = 1") ==
        49 * 8 + 2);
}

SCENARIO("of many requests by one user, the later always wins",
         "[pg][actors]") {
  testing::test_database db{testing::sample_movies_csv()};
  pipeline p{db.url(), 4, 1000};
  // One message per request, as separate event-loop turns would send them,
  // so that they spread over several batches.
  constexpr uint64_t n = 300;
  for (uint64_t seq = 1; seq <= n; ++seq)
    p.submit({command(seq, 42, 2, static_cast<uint8_t>(1 + seq % 10))});
  auto got = p.outcomes->wait_for(n);
  CHECK(outcome_of(got, 1) == outcome::created);
  for (uint64_t seq = 2; seq <= n; ++seq)
    CHECK(outcome_of(got, seq) == outcome::replaced);
  CHECK(testing::query_int(db.url(),
                           "SELECT half_stars FROM ratings WHERE user_id = 42 "
                           "AND movie_id = 2") == 1 + n % 10);
  CHECK(testing::query_int(
            db.url(), "SELECT vote_count FROM movie_totals WHERE id = 2") == 1);
  CHECK(testing::query_int(
            db.url(), "SELECT rating_sum FROM movie_totals WHERE id = 2") ==
        1 + n % 10);
}

SCENARIO("with several writers, each user's order holds and every aggregate "
         "is exact",
         "[pg][actors]") {
  testing::test_database db{testing::sample_movies_csv()};
  pipeline p{db.url(), 8, 10000, 5s, 3};
  // Every user rates the same 5 movies 5 times over, one message per request
  // and users interleaved, so that the shards' batches spread over the
  // writers and one user's requests over several batches.
  constexpr int32_t users = 40;
  const std::vector<int32_t> movies{1, 2, 3, 6, 11}; // in the sample
  constexpr int rounds = 5;
  uint64_t seq = 0;
  std::set<uint64_t> firsts;
  std::map<std::pair<int32_t, int32_t>, int64_t> latest;
  for (int r = 0; r < rounds; ++r)
    for (auto movie : movies)
      for (int32_t user = 1; user <= users; ++user) {
        auto half = static_cast<uint8_t>(1 + ++seq % 10);
        if (r == 0)
          firsts.insert(seq);
        latest[{user, movie}] = half;
        p.submit({command(seq, user, movie, half)});
      }
  auto got = p.outcomes->wait_for(seq);
  for (uint64_t s = 1; s <= seq; ++s)
    CHECK(outcome_of(got, s) ==
          (firsts.count(s) ? outcome::created : outcome::replaced));
  pqxx::connection conn{db.url()};
  pqxx::nontransaction tx{conn};
  std::map<std::pair<int32_t, int32_t>, int64_t> stored;
  for (auto row : tx.exec("SELECT user_id, movie_id, half_stars FROM ratings"))
    stored[{row[0].as<int32_t>(), row[1].as<int32_t>()}] = row[2].as<int64_t>();
  CHECK(stored == latest);
  for (auto movie : movies) {
    int64_t sum = 0;
    for (int32_t user = 1; user <= users; ++user)
      sum += latest[{user, movie}];
    auto agg =
        tx.exec1("SELECT vote_count, rating_sum FROM movie_totals WHERE id = " +
                 std::to_string(movie));
    CHECK(agg[0].as<int64_t>() == users);
    CHECK(agg[1].as<int64_t>() == sum);
  }
}

SCENARIO("a full shard answers at once instead of queueing", "[pg][actors]") {
  testing::test_database db{testing::sample_movies_csv()};
  pipeline p{db.url(), 1, 4};
  // Hold the writers at the movies table so that nothing completes.
  testing::storage_lock lock{db.url(), "EXCLUSIVE"};
  std::vector<rating_command> burst;
  for (int32_t user = 1; user <= 10; ++user)
    burst.push_back(command(user, user, 1, 8));
  p.submit(burst);
  auto early = p.outcomes->wait_for(6);
  CHECK(count_of(early, outcome::shard_full) == 6);
  // The router refused them after it saw the shard full.
  CHECK(p.health().not_ready_reason() == "every shard is saturated");
  lock.release();
  CHECK(count_of(p.outcomes->wait_for(10), outcome::created) == 4);
  // The outcomes left the router after it counted them answered.
  CHECK(p.health().not_ready_reason().empty());
}

SCENARIO("an unreachable database answers unavailable once the batch's time "
         "is up",
         "[pg][actors]") {
  pipeline p{"postgresql:///nowhere?host=/nonexistent", 2, 100, 300ms};
  p.submit({command(1, 1, 1, 8), command(2, 2, 1, 8)});
  auto got = p.outcomes->wait_for(2);
  CHECK(outcome_of(got, 1) == outcome::unavailable);
  CHECK(outcome_of(got, 2) == outcome::unavailable);
}

SCENARIO("closed shards refuse new ratings as shutting down", "[pg][actors]") {
  testing::test_database db{testing::sample_movies_csv()};
  pipeline p{db.url(), 4, 1000};
  std::vector<rating_command> before;
  for (int32_t user = 1; user <= 20; ++user)
    before.push_back(command(user, user, 1, 6));
  p.submit(before);
  p.outcomes->wait_for(20);
  p.close_shards();
  std::vector<rating_command> after;
  for (int32_t user = 1; user <= 20; ++user)
    after.push_back(command(100 + user, user, 2, 6));
  p.submit(after);
  auto got = p.outcomes->wait_for(40);
  for (uint64_t seq = 1; seq <= 20; ++seq) {
    CHECK(outcome_of(got, seq) == outcome::created);
    CHECK(outcome_of(got, 100 + seq) == outcome::shutting_down);
  }
  CHECK(testing::query_int(db.url(), "SELECT count(*) FROM ratings") == 20);
  CHECK(testing::query_int(db.url(), "SELECT vote_count FROM movie_totals"
                                     " WHERE id = 2") == 0);
}
