// Actors that speak a pipeline actor's interface and hand what they receive
// to the test (a scoped_actor), so that a test drives one real actor from
// both sides and decides what happens around it.

#pragma once

#include "actors/messages.hpp"
#include "support/memory_storage.hpp"
#include "support/test_system_config.hpp"

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/exit_reason.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include <memory>
#include <vector>

namespace heymovie::testing {

/// A shard: forwards grants and results to `test`, tagged with `id`;
/// ignores ratings; answers `close` at once.
inline actors::rating_shard_actor::behavior_type
stand_in_shard(actors::rating_shard_actor::pointer, uint32_t id,
               caf::actor test) {
  using namespace actors;
  return {
      [](rate_atom, const std::vector<rating_command>&) {},
      [=](grant_atom, const db_writer_actor& writer) {
        caf::anon_send(test, grant_atom::value, id, writer);
      },
      [=](written_atom, const batch_result& result,
          const db_writer_actor& writer) {
        caf::anon_send(test, written_atom::value, id, result, writer);
      },
      [](flush_atom, uint64_t) {},
      [](drain_atom) {},
      [](close_atom) { return done_atom::value; },
  };
}

/// Where one real actor is tested between stand-ins: in-memory storage
/// (movies 1 and 2), an actor system, and the test's own actor that the
/// stand-ins report to.
struct stand_in_bench {
  std::shared_ptr<memory_storage> storage =
      std::make_shared<memory_storage>(std::vector<int32_t>{1, 2});
  test_system_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor test{sys};
};

/// `n` stand-in shards, numbered from 0, reporting to `test`.
inline std::vector<actors::rating_shard_actor>
stand_in_shards(caf::actor_system& sys, uint32_t n, caf::actor test) {
  std::vector<actors::rating_shard_actor> shards;
  for (uint32_t id = 0; id < n; ++id)
    shards.push_back(sys.spawn(stand_in_shard, id, test));
  return shards;
}

/// Tells every actor of `actors` to exit.
template<class Actors>
void end_all(const Actors& actors) {
  for (auto& a : actors)
    caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
}

/// A writer pool: forwards what writers report after a round to `test`.
inline actors::writer_pool_actor::behavior_type
stand_in_pool(actors::writer_pool_actor::pointer, caf::actor test) {
  using namespace actors;
  return {
      [](ready_atom, const rating_shard_actor&) {},
      [=](done_atom, const db_writer_actor& writer,
          const std::vector<rating_shard_actor>& staying) {
        caf::anon_send(test, done_atom::value, writer, staying);
      },
  };
}

} // namespace heymovie::testing
