// How a batch of ratings moves the movies' aggregates: per movie, the votes
// it gains (new ratings) and the half stars its sum gains (new ratings count
// whole, replaced ones by the difference). Pure, so that it is unit-tested.

#pragma once

#include "persistence/rating.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace heymovie::persistence {

struct movie_delta {
  int32_t movie = 0;
  int64_t added_votes = 0;
  int64_t added_half_stars = 0;
};

/// `previous[i]` is the half stars `rows[i]` replaced, 0 when it is new.
/// Returns the movies whose aggregates change, ascending by id.
std::vector<movie_delta> movie_deltas(const std::vector<rating>& rows,
                                      const std::vector<int>& previous);

/// A PostgreSQL array literal: `{1,2,3}`.
template<class T, class Projection>
std::string pg_array(const std::vector<T>& xs, Projection proj) {
  std::string out = "{";
  for (auto& x : xs) {
    if (out.size() > 1)
      out += ',';
    out += std::to_string(proj(x));
  }
  out += '}';
  return out;
}

} // namespace heymovie::persistence
