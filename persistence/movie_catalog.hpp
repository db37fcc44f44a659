// The set of known movie ids, held in memory so that a rating of an unknown
// movie is answered 422 without a round trip to the database. Loaded at
// start-up and replaced by a fresh copy from the database from time to time
// (actors/catalog_refresher); in between, a movie deleted from the database
// is withdrawn once the database refuses a rating of it.

#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace pqxx {
class connection_base;
} // namespace pqxx

namespace heymovie::persistence {

class movie_catalog {
public:
  /// What a `replace` changed, in known movies.
  struct change {
    size_t added = 0;
    size_t removed = 0;
  };

  movie_catalog();

  /// `ids` in any order, duplicates allowed.
  explicit movie_catalog(std::vector<int32_t> ids);

  // Shared between threads by reference: neither copied nor moved.
  movie_catalog(const movie_catalog&) = delete;
  movie_catalog& operator=(const movie_catalog&) = delete;

  /// Whether `id` is known and not withdrawn; thread-safe.
  bool contains(int32_t id) const noexcept;

  /// Takes `id` out: the database has no such movie after all. Thread-safe;
  /// true if it was known and not withdrawn before. A `replace` running
  /// meanwhile from a read that still saw the movie brings it back until
  /// the next one; the database keeps refusing its ratings meanwhile.
  bool withdraw(int32_t id) noexcept;

  /// Makes `ids` (any order, duplicates allowed) the known movies, none
  /// withdrawn. Thread-safe: lookups running meanwhile see the old set or
  /// the new one.
  change replace(std::vector<int32_t> ids);

  /// Movies known, withdrawn ones included.
  size_t size() const noexcept;

private:
  struct snapshot;

  std::shared_ptr<snapshot> current() const noexcept;

  /// Read and replaced with std::atomic_load / std::atomic_store only.
  std::shared_ptr<snapshot> current_;
};

/// Every movie id in the database, ascending; throws pqxx exceptions.
std::vector<int32_t> read_movie_ids(pqxx::connection_base& conn);

} // namespace heymovie::persistence
