// A DB writer: a detached actor (its own thread, since writing blocks) that
// owns one batch_writer (in the service, one PostgreSQL connection). It
// writes in rounds: one batch from each shard it serves, in one transaction
// (their users are disjoint), the writer retrying transient errors until the
// batches' time is up. A shard whose batch it wrote
// answers the result with its next batch straight away, so that under load
// the next round starts without a detour through the pool.

#pragma once

#include "actors/messages.hpp"
#include "persistence/batch_writer.hpp"

#include <caf/typed_event_based_actor.hpp>

#include <chrono>
#include <memory>

namespace heymovie::actors {

struct writer_settings {
  /// Makes each writer's storage, on the writer's own thread.
  persistence::batch_writer_factory open;
  /// How long a batch may be retried before it is given up as unavailable.
  std::chrono::nanoseconds give_up_after{std::chrono::seconds{2}};
};

class db_writer_state {
public:
  static inline const char* name = "db_writer";

  using pointer = db_writer_actor::stateful_pointer<db_writer_state>;

  explicit db_writer_state(pointer self);

  db_writer_actor::behavior_type make_behavior(const writer_settings& settings,
                                               writer_pool_actor pool);

private:
  struct gathered_batch {
    rating_batch batch;
    caf::strong_actor_ptr shard;
  };

  void gather(rating_batch& batch, const caf::strong_actor_ptr& shard);
  void expect(uint32_t shards);
  void write_round_if_complete();
  /// Writes the round's rows, sends each shard its result and returns the
  /// shards that were sent one (they will answer with their next batch).
  std::vector<rating_shard_actor> write_round();
  /// Writes `rows` and says what became of each.
  std::vector<outcome> write(const std::vector<rating>& rows);

  pointer self_;
  writer_settings settings_;
  writer_pool_actor pool_;
  std::unique_ptr<persistence::batch_writer> writer_;
  /// This round's batches, one per shard.
  std::vector<gathered_batch> gathered_;
  /// Batches of this round still to come; below zero while batches of
  /// granted shards arrive before the pool's `expect` does.
  int64_t awaited_ = 0;
  /// Whether the pool has yet to answer the last round's `done`.
  bool awaiting_pool_ = false;
};

/// Spawn with `sys.spawn<caf::detached>(db_writer, settings, pool)`.
db_writer_actor::behavior_type db_writer(db_writer_state::pointer self,
                                         writer_settings settings,
                                         writer_pool_actor pool);

} // namespace heymovie::actors
