// A rating shard owns the users that `shard_of_user` maps to it. It queues
// their requests into batches (see rating_batcher), keeps at most one batch
// at the database at a time so that batches commit in arrival order, and
// answers every request to the router that sent it. When it has a batch due
// it asks the writer pool for a writer and seals the batch only once one is
// granted, so that under load batches grow while the writers are busy; once
// a batch is written it hands its next one to the same writer at once.

#pragma once

#include "actors/messages.hpp"
#include "actors/rating_batcher.hpp"

#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include <chrono>
#include <optional>
#include <vector>

namespace heymovie::actors {

struct shard_settings {
  uint32_t index = 0;
  size_t batch_size = 1000;
  /// Requests waiting or in flight at most; past it they are answered
  /// `shard_full` at once.
  size_t mailbox_limit = 4096;
  std::chrono::nanoseconds batch_linger{0};
};

class rating_shard_state {
public:
  static inline const char* name = "rating_shard";

  using pointer = rating_shard_actor::stateful_pointer<rating_shard_state>;

  explicit rating_shard_state(pointer self);

  rating_shard_actor::behavior_type make_behavior(shard_settings settings,
                                                  writer_pool_actor pool);

private:
  void admit(std::vector<rating_command>& commands);
  /// Refuses new ratings from now on; the promise is kept once every rating
  /// accepted before has its outcome.
  caf::typed_response_promise<done_atom> close();
  void report_flushed_if_empty();
  void stop_lingering();
  /// Seals the next batch, if any, and sends it (or an empty one) to
  /// `writer`, which waits for one from this shard.
  void write_with(const db_writer_actor& writer);
  void complete(const batch_result& result, db_writer_actor& writer);
  void ask_for_writer_if_due();
  void ask_for_writer();
  void answer(std::vector<std::pair<uint16_t, rating_outcome>> outcomes);
  uint16_t reply_index(const caf::strong_actor_ptr& sender);

  pointer self_;
  shard_settings settings_;
  writer_pool_actor pool_;
  rating_batcher batcher_{1, 1};
  /// The batch at the database; at most one, so that batches commit in order.
  std::optional<pending_batch> in_flight_;
  /// The writer that has it.
  db_writer_actor in_flight_writer_;
  /// Whether the pool has been asked for a writer and has not granted one.
  bool asked_ = false;
  /// Closed: the node is going away and admits no new ratings.
  bool closed_ = false;
  /// Promised answers to `close`, kept once nothing is pending.
  std::vector<caf::typed_response_promise<done_atom>> flushed_;
  uint64_t next_batch_id_ = 1;
  /// Routers that sent requests; waiters refer to them by index.
  std::vector<router_actor> routers_;
  /// The linger timer: a delayed message carrying the generation it was
  /// armed for, so that a stale one is ignored.
  uint64_t timer_generation_ = 0;
  bool timer_armed_ = false;
};

/// Spawn with `sys.spawn(rating_shard, settings, pool)`.
rating_shard_actor::behavior_type rating_shard(rating_shard_state::pointer self,
                                               shard_settings settings,
                                               writer_pool_actor pool);

} // namespace heymovie::actors
