// The queries behind the read endpoints, over one connection that it owns
// (reconnected when lost). Blocking: meant for a detached actor. Errors are
// thrown as libpqxx exceptions; see db_error.hpp to classify them.

#pragma once

#include "persistence/rating.hpp"

#include <pqxx/connection>

#include <chrono>
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

class movie_reader {
public:
  /// `statement_timeout`: how long one query may run; zero for no limit.
  explicit movie_reader(const std::string& url,
                        std::chrono::milliseconds statement_timeout = {});
  ~movie_reader();

  movie_reader(const movie_reader&) = delete;
  movie_reader& operator=(const movie_reader&) = delete;

  std::optional<movie_info> movie(int32_t id);

  /// Cumulative per calendar year; nothing for an unknown movie, an empty
  /// list for a movie without ratings.
  std::optional<std::vector<year_average>> rolling_average(int32_t id);

  /// Best average first among movies with at least `min_votes` votes.
  std::vector<movie_info> top(int32_t limit, int64_t min_votes);

  std::optional<rating> find_rating(int32_t user, int32_t movie);

  /// A user's ratings with movie ids above `after`, ascending, at most
  /// `limit`.
  std::vector<rating> user_ratings(int32_t user, int32_t after, int32_t limit);

  /// Every movie id, ascending (see movie_catalog).
  std::vector<int32_t> movie_ids();

  /// Round trip to the database; throws when it is unreachable.
  void ping();

  /// Drops the connection (after an error that broke it).
  void disconnect() noexcept { conn_.reset(); }

private:
  pqxx::connection_base& connection();

  std::string url_;
  std::chrono::milliseconds statement_timeout_;
  std::unique_ptr<pqxx::connection> conn_;
};

} // namespace heymovie::persistence
