// A DB writer: a detached actor (its own thread, since libpqxx blocks) that
// owns one PostgreSQL connection. Granted to several shards at once, it
// gathers one batch from each and writes them in one transaction (their users
// are disjoint), retrying transient errors until the batches' time is up.

#pragma once

#include "actors/messages.hpp"
#include "persistence/rating_writer.hpp"

#include <caf/typed_event_based_actor.hpp>

#include <chrono>
#include <memory>
#include <string>

namespace heymovie::actors {

struct writer_settings {
  std::string db_url;
  persistence::retry_policy retry;
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

  void gather(rating_batch& batch, const caf::strong_actor_ptr& shard,
              uint32_t expected);
  void write_gathered();
  batch_status write(const std::vector<rating>& rows,
                     std::vector<bool>& replaced);

  pointer self_;
  writer_settings settings_;
  writer_pool_actor pool_;
  std::unique_ptr<persistence::rating_writer> writer_;
  std::vector<gathered_batch> gathered_;
};

/// Spawn with `sys.spawn<caf::detached>(db_writer, settings, pool)`.
db_writer_actor::behavior_type db_writer(db_writer_state::pointer self,
                                         writer_settings settings,
                                         writer_pool_actor pool);

} // namespace heymovie::actors
