// Actors that speak a pipeline actor's interface and hand what they receive
// to the test (a scoped_actor), so that a test drives one real actor from
// both sides and decides what happens around it.

#pragma once

#include "actors/messages.hpp"

#include <caf/actor.hpp>
#include <caf/send.hpp>

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
