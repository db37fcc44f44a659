// What the read endpoints and the catalogue refresh need of storage: the
// queries behind them, each answering a value or the error that kept it from
// answering (see db_error.hpp). The actors and the HTTP layer depend on this
// interface only; `movie_reader` is the PostgreSQL implementation, and the
// unit tests bring an in-memory one.

#pragma once

#include "persistence/db_error.hpp"
#include "persistence/rating.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace heymovie::persistence {

struct movie_info {
  int32_t id = 0;
  std::string title;
  std::vector<std::string> genres;
  int64_t votes = 0;
  /// Sum of the ratings in half stars; the average is sum / 2 / votes.
  int64_t half_star_sum = 0;
};

/// The ratings dated in `year` or earlier (UTC).
struct year_average {
  int year = 0;
  int64_t votes = 0;
  int64_t half_star_sum = 0;
};

class read_queries {
public:
  virtual ~read_queries() = default;

  /// Nothing inside when the movie is not known.
  virtual db_result<std::optional<movie_info>> movie(int32_t id) = 0;

  /// Cumulative per calendar year; nothing inside for an unknown movie, an
  /// empty list for a movie without ratings.
  virtual db_result<std::optional<std::vector<year_average>>>
  rolling_average(int32_t id) = 0;

  /// Best average first among movies with at least `min_votes` votes.
  virtual db_result<std::vector<movie_info>> top(int32_t limit,
                                                 int64_t min_votes) = 0;

  virtual db_result<std::optional<rating>> find_rating(int32_t user,
                                                       int32_t movie) = 0;

  /// A user's ratings with movie ids above `after`, ascending, at most
  /// `limit`.
  virtual db_result<std::vector<rating>>
  user_ratings(int32_t user, int32_t after, int32_t limit) = 0;

  /// Every movie id, ascending (see movie_catalog).
  virtual db_result<std::vector<int32_t>> movie_ids() = 0;

  /// A round trip; nothing when the database answered.
  virtual std::optional<db_error> ping() = 0;
};

/// Makes a reader; called on the thread that will use it.
using read_queries_factory = std::function<std::unique_ptr<read_queries>()>;

} // namespace heymovie::persistence
