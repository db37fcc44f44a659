// The DB-writer pool: spawns the writers and grants an idle one to each shard
// that has a batch ready and no writer, queueing the shards while all writers
// are busy (CAF's actor_pool pushes work blindly; pulling lets batches grow
// while they wait). A writer that dies is replaced and the shards it served
// told that their batch with it is lost.

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
  /// Grants `writer` to every waiting shard and tells it how many they are.
  void grant_waiting_shards(const db_writer_actor& writer);
  /// Grants an idle writer, if any, to the waiting shards, if any.
  void grant_idle_writer();
  void on_ready(rating_shard_actor& shard);
  void on_done(const db_writer_actor& writer,
               std::vector<rating_shard_actor>& staying);
  void on_writer_down(const caf::down_msg& msg);

  pointer self_;
  writer_settings settings_;
  std::vector<db_writer_actor> idle_;
  struct serving {
    db_writer_actor writer;
    std::vector<rating_shard_actor> shards;
  };
  /// The shards each busy writer serves, by writer address.
  std::unordered_map<caf::actor_addr, serving> busy_;
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
