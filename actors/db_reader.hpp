// A DB reader: a detached actor (its own thread, since querying blocks) that
// owns one read_queries (in the service, one PostgreSQL connection) and runs
// the read jobs the pool hands it, one at a time.

#pragma once

#include "actors/messages.hpp"
#include "persistence/read_queries.hpp"

#include <caf/typed_event_based_actor.hpp>

#include <memory>

namespace heymovie::actors {

class db_reader_state {
public:
  static inline const char* name = "db_reader";

  using pointer = db_reader_actor::stateful_pointer<db_reader_state>;

  explicit db_reader_state(pointer self);

  db_reader_actor::behavior_type
  make_behavior(const persistence::read_queries_factory& open,
                reader_pool_actor pool);

private:
  void run(read_job& job);

  pointer self_;
  reader_pool_actor pool_;
  std::unique_ptr<persistence::read_queries> db_;
};

/// Spawn with `sys.spawn<caf::detached>(db_reader, open, pool)`.
db_reader_actor::behavior_type db_reader(db_reader_state::pointer self,
                                         persistence::read_queries_factory open,
                                         reader_pool_actor pool);

} // namespace heymovie::actors
