// The DB-writer pool: spawns the writers and grants an idle one to each shard
// that has a batch ready, queueing the shards while all writers are busy
// (CAF's actor_pool pushes work blindly; pulling lets batches grow while they
// wait). A writer that dies is replaced and its shard told the batch is lost.

#pragma once

#include "actors/db_writer.hpp"
#include "actors/messages.hpp"

#include <caf/typed_event_based_actor.hpp>

#include <deque>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace heymovie::actors {

class writer_pool_state {
public:
  static inline const char* name = "writer_pool";

  using pointer = writer_pool_actor::stateful_pointer<writer_pool_state>;

  explicit writer_pool_state(pointer self);

  writer_pool_actor::behavior_type make_behavior(writer_settings settings,
                                                 size_t writers);

private:
  void spawn_writer();
  void grant_waiting_shards(db_writer_actor writer);
  void on_ready(rating_shard_actor& shard);
  void on_done(rating_shard_actor& shard, db_writer_actor& writer, bool more);
  void release(db_writer_actor writer);
  void on_writer_down(const caf::down_msg& msg);

  pointer self_;
  writer_settings settings_;
  std::vector<db_writer_actor> idle_;
  /// The shards each busy writer works for and has not heard `done` from,
  /// by writer address.
  std::unordered_map<caf::actor_addr, std::vector<rating_shard_actor>> busy_;
  /// Shards waiting for a writer, in the order they asked.
  std::deque<rating_shard_actor> ready_;
  /// Every writer ever spawned (replacements are rare).
  std::unordered_set<caf::actor_addr> writers_;
};

/// Spawn with `sys.spawn(writer_pool, settings, writers)`.
writer_pool_actor::behavior_type writer_pool(writer_pool_state::pointer self,
                                             writer_settings settings,
                                             size_t writers);

} // namespace heymovie::actors
