// A DB writer on in-memory storage, between a stand-in pool and stand-in
// shards: rounds of one batch per granted shard, written together, each
// shard answered with its own slice.

#include "actors/db_writer.hpp"
#include "support/memory_storage.hpp"
#include "support/stand_ins.hpp"
#include "support/test_system_config.hpp"

#include <caf/actor_cast.hpp>
#include <caf/actor_system.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <catch2/catch.hpp>

#include <map>

using namespace heymovie;
using namespace heymovie::actors;
using namespace heymovie::testing;
using namespace std::chrono_literals;

namespace {

struct writer_under_test : stand_in_bench {
  writer_under_test()
      : pool(sys.spawn(stand_in_pool, caf::actor{test})),
        writer(sys.spawn<caf::detached>(
            db_writer, writer_settings{storage->writers(), 5s}, pool)),
        shards(stand_in_shards(sys, 2, caf::actor{test})) {
    // nop
  }

  ~writer_under_test() {
    end_all(shards);
    caf::anon_send_exit(writer, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
  }

  /// Shard `id` hands the writer its batch.
  void write(uint32_t id, rating_batch batch) {
    caf::anon_send(writer, write_atom::value, std::move(batch),
                   caf::actor_cast<caf::strong_actor_ptr>(shards[id]));
  }

  /// The results the shards get and the pool's report, after one round.
  std::pair<std::map<uint32_t, batch_result>, std::vector<rating_shard_actor>>
  round(size_t results) {
    std::map<uint32_t, batch_result> got;
    std::vector<rating_shard_actor> staying;
    bool reported = false;
    while (got.size() < results || !reported)
      test->receive([&](written_atom, uint32_t id, const batch_result& r,
                        const db_writer_actor&) { got[id] = r; },
                    [&](done_atom, const db_writer_actor&,
                        const std::vector<rating_shard_actor>& s) {
                      staying = s;
                      reported = true;
                    },
                    caf::after(10s) >>
                        [] { FAIL("the writer did not finish a round"); });
    // As the pool would: no other shard waits for a writer.
    caf::anon_send(writer, expect_atom::value, uint32_t{0});
    return {got, staying};
  }

  writer_pool_actor pool;
  db_writer_actor writer;
  std::vector<rating_shard_actor> shards;
};

} // namespace

SCENARIO("a DB writer writes one batch of every shard granted to it in one "
         "transaction, and answers each shard its own slice",
         "[actors]") {
  writer_under_test w;
  GIVEN("two shards granted to the writer") {
    caf::anon_send(w.writer, expect_atom::value, uint32_t{2});
    WHEN("one has sent its batch") {
      w.write(0, {1, {rating{1, 1, 8, 0}, rating{2, 1, 4, 0}}});
      AND_WHEN("the other sends its batch") {
        w.write(1, {7, {rating{3, 2, 6, 0}}});
        THEN("both are written together and each shard gets its result") {
          auto [results, staying] = w.round(2);
          CHECK(w.storage->batches() == std::vector<size_t>{3});
          CHECK(results[0].batch_id == 1);
          CHECK(results[0].rows ==
                std::vector<outcome>{outcome::created, outcome::created});
          CHECK(results[1].batch_id == 7);
          CHECK(results[1].rows == std::vector<outcome>{outcome::created});
          AND_THEN("the pool hears that both stay with the writer") {
            CHECK(staying.size() == 2);
          }
        }
      }
    }
  }
}

SCENARIO("a DB writer answers each row as the storage did", "[actors]") {
  writer_under_test w;
  caf::anon_send(w.writer, expect_atom::value, uint32_t{1});
  w.write(0, {1, {rating{1, 1, 8, 0}, rating{1, 9, 8, 0}}});
  auto [results, staying] = w.round(1);
  CHECK(results[0].rows ==
        std::vector<outcome>{outcome::created, outcome::unknown_movie});
  WHEN("the shard's next batch replaces a rating while the storage fails "
       "another round") {
    w.write(0, {2, {rating{1, 1, 2, 0}}});
    auto [second, unused] = w.round(1);
    CHECK(second[0].rows == std::vector<outcome>{outcome::replaced});
    w.storage->fail_next_write(persistence::row_status::unavailable);
    w.write(0, {3, {rating{1, 2, 2, 0}}});
    auto [third, unused2] = w.round(1);
    CHECK(third[0].rows == std::vector<outcome>{outcome::unavailable});
    CHECK(w.storage->aggregate_of(1) == std::pair<int64_t, int64_t>{1, 2});
  }
}
