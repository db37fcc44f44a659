// The writer pool's replacement of a dead writer, against a real PostgreSQL.
// A stand-in shard speaks the shard interface and hands what it receives to
// the test, so the test decides when a writer dies.

#include "actors/writer_pool.hpp"
#include "support/test_database.hpp"

#include <caf/actor_cast.hpp>
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <catch2/catch.hpp>

using namespace heymovie;
using namespace heymovie::actors;
using namespace std::chrono_literals;

namespace {

/// Forwards grants and results to `test`; ignores everything else.
rating_shard_actor::behavior_type stand_in_shard(rating_shard_actor::pointer,
                                                 caf::actor test) {
  return {
      [](rate_atom, const std::vector<rating_command>&) {},
      [test](grant_atom, const db_writer_actor& writer) {
        caf::anon_send(test, grant_atom::value, writer);
      },
      [test](written_atom, const batch_result& result,
             const db_writer_actor& writer) {
        caf::anon_send(test, written_atom::value, result, writer);
      },
      [](flush_atom, uint64_t) {},
      [](drain_atom) {},
      [](load_atom) { return shard_load{}; },
  };
}

struct pool_config : caf::actor_system_config {
  pool_config() { set("scheduler.max-threads", size_t{2}); }
};

/// A pool of one writer and a stand-in shard, both ended with the test.
struct pool_under_test {
  explicit pool_under_test(const std::string& url)
      : sys(cfg), test(sys),
        pool(sys.spawn(writer_pool, writer_settings{url, {5ms, 50ms}, 5s},
                       size_t{1})),
        shard(sys.spawn(stand_in_shard, caf::actor{test})) {
    // nop
  }

  ~pool_under_test() {
    caf::anon_send_exit(shard, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
  }

  /// Asks the pool for a writer on the shard's behalf; returns the grant.
  db_writer_actor grant() {
    caf::anon_send(pool, ready_atom::value, shard);
    db_writer_actor writer;
    test->receive([&](grant_atom, const db_writer_actor& w) { writer = w; },
                  caf::after(10s) >>
                      [] { FAIL("the pool granted no writer"); });
    return writer;
  }

  /// The next result the shard receives, and the writer it names.
  std::pair<batch_result, db_writer_actor> next_result() {
    std::pair<batch_result, db_writer_actor> got;
    test->receive(
        [&](written_atom, const batch_result& r, const db_writer_actor& w) {
          got = {r, w};
        },
        caf::after(10s) >> [] { FAIL("the shard received no result"); });
    return got;
  }

  pool_config cfg;
  caf::actor_system sys;
  caf::scoped_actor test;
  writer_pool_actor pool;
  rating_shard_actor shard;
};

} // namespace

SCENARIO("a writer that dies is replaced and its shards are told",
         "[pg][actors]") {
  testing::test_database db{testing::sample_movies_csv()};
  pool_under_test p{db.url()};
  GIVEN("a shard that holds the only writer") {
    auto first = p.grant();
    REQUIRE(first);
    WHEN("that writer dies") {
      // As a writer whose handler threw would end. (Not `kill`: that reason
      // also ends every linked actor, the pool included, by CAF's design.)
      caf::anon_send_exit(first, caf::exit_reason::unhandled_exception);
      THEN("the shard hears that its batch with that writer is lost") {
        auto [lost, named] = p.next_result();
        CHECK(lost.batch_id == 0);
        CHECK(lost.status == batch_status::unavailable);
        CHECK(named.address() == first.address());
        AND_THEN("the next grant is a new writer that writes") {
          auto second = p.grant();
          REQUIRE(second);
          CHECK(second.address() != first.address());
          caf::anon_send(second, write_atom::value,
                         rating_batch{1, {rating{7, 1, 8, 0}}},
                         caf::actor_cast<caf::strong_actor_ptr>(p.shard));
          auto [written, by] = p.next_result();
          CHECK(written.batch_id == 1);
          CHECK(written.status == batch_status::committed);
          CHECK(written.replaced == std::vector<bool>{false});
          CHECK(by.address() == second.address());
          CHECK(testing::query_int(db.url(), "SELECT count(*) FROM ratings"
                                             " WHERE user_id = 7") == 1);
          CHECK(testing::query_int(db.url(), "SELECT vote_count FROM movies"
                                             " WHERE id = 1") == 1);
        }
      }
    }
  }
}
