// The writer pool: grants, and the replacement of a dead writer, on
// in-memory storage. Stand-in shards speak the shard interface and hand what
// they receive to the test, so the test decides when a writer dies.

#include "actors/writer_pool.hpp"
#include "support/memory_storage.hpp"
#include "support/stand_ins.hpp"
#include "support/test_system_config.hpp"

#include <caf/actor_cast.hpp>
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <catch2/catch.hpp>

#include <map>

using namespace heymovie;
using namespace heymovie::actors;
using namespace heymovie::testing;
using namespace std::chrono_literals;

namespace {

/// What the stand-in shards received, by shard.
struct received {
  std::map<uint32_t, db_writer_actor> grants;
  std::map<uint32_t, std::pair<batch_result, db_writer_actor>> results;
};

/// A pool of one writer and two stand-in shards, all ended with the test.
struct pool_under_test : stand_in_bench {
  pool_under_test()
      : pool(sys.spawn(writer_pool, writer_settings{storage->writers(), 5s},
                       size_t{1})),
        shards(stand_in_shards(sys, 2, caf::actor{test})) {
    // nop
  }

  ~pool_under_test() {
    end_all(shards);
    caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
  }

  /// Shard `id` tells the pool it has a batch ready.
  void ask(uint32_t id) { caf::anon_send(pool, ready_atom::value, shards[id]); }

  /// The next `n` grants and results, in whatever order the shards got them.
  received next(size_t n) {
    received got;
    for (size_t i = 0; i < n; ++i)
      test->receive([&](grant_atom, uint32_t id,
                        const db_writer_actor& w) { got.grants[id] = w; },
                    [&](written_atom, uint32_t id, const batch_result& r,
                        const db_writer_actor& w) {
                      got.results[id] = {r, w};
                    },
                    caf::after(10s) >>
                        [] { FAIL("the shards heard nothing"); });
    return got;
  }

  /// Shard `id` asks and is granted a writer.
  db_writer_actor grant(uint32_t id) {
    ask(id);
    auto got = next(1);
    REQUIRE(got.grants.count(id) == 1);
    return got.grants[id];
  }

  writer_pool_actor pool;
  std::vector<rating_shard_actor> shards;
};

/// Ends `writer` as an exception in its handler would. (Not `kill`: CAF
/// makes that reason fatal to every linked actor, the pool included.)
void end_writer(const db_writer_actor& writer) {
  caf::anon_send_exit(writer, caf::exit_reason::unhandled_exception);
}

} // namespace

SCENARIO("a writer that dies is replaced and its shards are told", "[actors]") {
  pool_under_test p;
  GIVEN("a shard that holds the only writer") {
    auto first = p.grant(0);
    REQUIRE(first);
    WHEN("that writer dies") {
      end_writer(first);
      THEN("the shard hears that its batch with that writer is lost") {
        auto got = p.next(1);
        REQUIRE(got.results.count(0) == 1);
        auto& [lost, named] = got.results[0];
        CHECK(lost.batch_id == lost_batch_id);
        CHECK(lost.rows.empty());
        CHECK(named.address() == first.address());
        AND_THEN("the next grant is a new writer that writes") {
          auto second = p.grant(0);
          REQUIRE(second);
          CHECK(second.address() != first.address());
          caf::anon_send(second, write_atom::value,
                         rating_batch{1, {rating{7, 1, 8, 0}}},
                         caf::actor_cast<caf::strong_actor_ptr>(p.shards[0]));
          got = p.next(1);
          REQUIRE(got.results.count(0) == 1);
          auto& [written, by] = got.results[0];
          CHECK(written.batch_id == 1);
          CHECK(written.rows == std::vector<outcome>{outcome::created});
          CHECK(by.address() == second.address());
          CHECK(p.storage->rating_of(7, 1) == rating{7, 1, 8, 0});
          CHECK(p.storage->aggregate_of(1) ==
                std::pair<int64_t, int64_t>{1, 8});
        }
      }
    }
  }
}

SCENARIO("a shard that queued behind a dead writer gets its replacement",
         "[actors]") {
  pool_under_test p;
  GIVEN("one shard holding the only writer and another waiting for one") {
    auto first = p.grant(0);
    REQUIRE(first);
    p.ask(1);
    WHEN("the writer dies") {
      end_writer(first);
      THEN("the waiting shard is granted the new writer without asking "
           "again") {
        // A shard asks once; it would wait forever otherwise.
        auto got = p.next(2);
        REQUIRE(got.results.count(0) == 1);
        CHECK(got.results[0].first.batch_id == lost_batch_id);
        REQUIRE(got.grants.count(1) == 1);
        CHECK(got.grants[1].address() != first.address());
      }
    }
  }
}
