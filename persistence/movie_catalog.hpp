// The set of known movie ids, held in memory so that a rating of an unknown
// movie is answered 422 without a round trip to the database. Loaded at
// start-up; a movie deleted from the database later is withdrawn once the
// database refuses a rating of it.

#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace pqxx {
class connection_base;
} // namespace pqxx

namespace heymovie::persistence {

class movie_catalog {
public:
  movie_catalog() = default;

  /// `ids` in any order, duplicates allowed.
  explicit movie_catalog(std::vector<int32_t> ids);

  /// Whether `id` is known and not withdrawn; thread-safe.
  bool contains(int32_t id) const noexcept;

  /// Takes `id` out: the database has no such movie after all. Thread-safe;
  /// true if it was known and not withdrawn before.
  bool withdraw(int32_t id) noexcept;

  size_t size() const noexcept { return ids_.size(); }

private:
  /// Where `id` is in `ids_`, or `ids_.size()`.
  size_t position(int32_t id) const noexcept;

  std::vector<int32_t> ids_; // sorted, unique
  /// One flag per id. The ids never change, so readers need no lock.
  std::vector<std::atomic<bool>> withdrawn_;
};

/// Reads every movie id; throws pqxx exceptions.
movie_catalog load_movie_catalog(pqxx::connection_base& conn);

} // namespace heymovie::persistence
