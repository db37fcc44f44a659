// A DB reader: a detached actor (libpqxx blocks) that owns one connection and
// runs the read jobs the pool hands it, one at a time.

#pragma once

#include "actors/messages.hpp"
#include "persistence/movie_reader.hpp"

#include <caf/typed_event_based_actor.hpp>

#include <memory>
#include <string>

namespace heymovie::actors {

class db_reader_state {
public:
  static inline const char* name = "db_reader";

  using pointer = db_reader_actor::stateful_pointer<db_reader_state>;

  explicit db_reader_state(pointer self);

  db_reader_actor::behavior_type
  make_behavior(const std::string& db_url,
                std::chrono::milliseconds statement_timeout,
                reader_pool_actor pool);

private:
  void run(read_job& job);

  pointer self_;
  reader_pool_actor pool_;
  std::unique_ptr<persistence::movie_reader> reader_;
};

/// Spawn with `sys.spawn<caf::detached>(db_reader, url, timeout, pool)`.
db_reader_actor::behavior_type
db_reader(db_reader_state::pointer self, std::string db_url,
          std::chrono::milliseconds statement_timeout, reader_pool_actor pool);

} // namespace heymovie::actors
