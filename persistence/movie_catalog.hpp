// The set of known movie ids, held in memory so that a rating of an unknown
// movie is answered 422 without a round trip to the database.

#pragma once

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

  bool contains(int32_t id) const noexcept;

  size_t size() const noexcept { return ids_.size(); }

private:
  std::vector<int32_t> ids_; // sorted, unique
};

/// Reads every movie id; throws pqxx exceptions.
movie_catalog load_movie_catalog(pqxx::connection_base& conn);

} // namespace heymovie::persistence
