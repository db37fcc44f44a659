// Keeps the in-memory movie catalogue in step with the database: every
// `db.catalog-refresh` it has a reader fetch every movie id and makes them
// the catalogue. Movies imported while the service runs can then be rated,
// and deleted ones are refused at validation, without a restart. One refresh
// at a time: a turn that finds the last one still queued or running is
// skipped.

#pragma once

#include "actors/messages.hpp"
#include "persistence/movie_catalog.hpp"

#include <caf/typed_event_based_actor.hpp>

#include <chrono>
#include <memory>

namespace heymovie::actors {

class catalog_refresher_state {
public:
  static inline const char* name = "catalog_refresher";

  using pointer =
      catalog_refresher_actor::stateful_pointer<catalog_refresher_state>;

  explicit catalog_refresher_state(pointer self);

  catalog_refresher_actor::behavior_type
  make_behavior(std::shared_ptr<persistence::movie_catalog> catalog,
                reader_pool_actor readers, std::chrono::nanoseconds period);

private:
  pointer self_;
  /// The job last sent; expired once the reader is done with it.
  std::weak_ptr<read_job> in_flight_;
};

/// Spawn with `sys.spawn(catalog_refresher, catalog, readers, period)`;
/// `period` must be positive.
catalog_refresher_actor::behavior_type
catalog_refresher(catalog_refresher_state::pointer self,
                  std::shared_ptr<persistence::movie_catalog> catalog,
                  reader_pool_actor readers, std::chrono::nanoseconds period);

} // namespace heymovie::actors
