// The DB-reader pool: spawns the readers and hands each read job to an idle
// one, so that a slow query occupies one reader and never the others (or the
// write path, which has connections of its own). Jobs wait in a bounded queue
// while all readers are busy; past it they are refused at once.

#pragma once

#include "actors/messages.hpp"
#include "persistence/read_queries.hpp"

#include <caf/typed_event_based_actor.hpp>

#include <deque>
#include <vector>

namespace heymovie::actors {

struct reader_settings {
  /// Makes each reader's storage, on the reader's own thread.
  persistence::read_queries_factory open;
  size_t readers = 2;
  /// Jobs waiting for a reader at most.
  size_t queue_limit = 1024;
};

class reader_pool_state {
public:
  static inline const char* name = "reader_pool";

  using pointer = reader_pool_actor::stateful_pointer<reader_pool_state>;

  explicit reader_pool_state(pointer self);

  reader_pool_actor::behavior_type make_behavior(reader_settings settings);

private:
  void submit(read_job_ptr job);
  void on_done(db_reader_actor& reader);

  pointer self_;
  reader_settings settings_;
  std::vector<db_reader_actor> idle_;
  std::deque<read_job_ptr> waiting_;
};

/// Spawn with `sys.spawn(reader_pool, settings)`.
reader_pool_actor::behavior_type reader_pool(reader_pool_state::pointer self,
                                             reader_settings settings);

} // namespace heymovie::actors
