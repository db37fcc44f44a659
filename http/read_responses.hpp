// JSON bodies of the read endpoints, rendered with nlohmann::json: pure
// functions of what the database returned, unit-tested without a database.

#pragma once

#include "persistence/rating.hpp"
#include "persistence/read_queries.hpp"

#include <string>
#include <vector>

namespace heymovie::http {

/// `{"id":1,"title":"…","genres":["…"],"average":3.9,"votes":215}`;
/// average is null without votes.
std::string movie_json(const persistence::movie_info& movie);

/// `{"movie":1,"years":[{"year":1996,"average":4.1,"votes":100},…]}`, each
/// year's figures counting the ratings dated that year or earlier.
std::string
rolling_average_json(int32_t movie,
                     const std::vector<persistence::year_average>& years);

/// `{"limit":10,"min_votes":50,"movies":[…]}`.
std::string top_movies_json(int32_t limit, int64_t min_votes,
                            const std::vector<persistence::movie_info>& movies);

/// `{"user":1,"ratings":[{"movie":1,"rating":4.0,"timestamp":…},…],
/// "next_after":31}` from up to `limit` + 1 ratings: the one past `limit`
/// is not shown, it says that there is a next page (next_after is null on
/// the last one, also when it is full).
std::string user_ratings_json(int32_t user, int32_t limit,
                              const std::vector<persistence::rating>& page);

/// Half stars as stars: 9 -> 4.5.
inline double stars(int64_t half_stars) {
  return static_cast<double>(half_stars) / 2;
}

} // namespace heymovie::http
