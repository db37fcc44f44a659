// What a record allows the database to hold, as pure functions.
//
// Per (user, movie), in the order the requests were sent: a 200/201 was
// committed; a 4xx was certainly not; anything else (0 = no answer, a 503
// or another 5xx) may or may not have been. The service keeps per-user
// order, so the stored row must be the last acknowledged request or one of
// the uncertain ones sent after it. Pairs with no acknowledged request are
// not checked.
//
// Per movie: vote_count and rating_sum must be what the ratings table
// implies (a movie without ratings: 0 and 0); per movie and year, likewise
// its figures (checked in SQL by the verifier).

#pragma once

#include "loadgen/rating.hpp"

#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

namespace heymovie::loadgen {

enum class outcome { acknowledged, refused, uncertain };

outcome outcome_of(int status);

/// The requests of one (user, movie) pair, folded in send order.
class pair_history {
public:
  void add(const rating& r, int status);

  /// Whether some request was acknowledged: only then is the row checked.
  bool acknowledged() const { return last_acknowledged_.has_value(); }

  /// Whether a stored row may be the outcome of the record.
  bool accepts(int16_t half_stars, int64_t rated_at) const;

  /// The last acknowledged request (only when acknowledged()).
  const rating& last_acknowledged() const { return *last_acknowledged_; }

  /// How many uncertain requests were sent after it.
  size_t uncertain_after() const { return uncertain_after_.size(); }

private:
  std::optional<rating> last_acknowledged_;
  std::vector<rating> uncertain_after_;
};

struct movie_aggregate {
  int64_t votes = 0;
  int64_t sum = 0; // half stars

  bool operator==(const movie_aggregate& other) const {
    return votes == other.votes && sum == other.sum;
  }
};

struct aggregate_mismatch {
  int32_t movie = 0;
  /// Empty when ratings name a movie the movies table lacks.
  std::optional<movie_aggregate> stored;
  movie_aggregate implied;
};

/// Each stored aggregate against what the ratings imply (absent: 0/0), and
/// the ratings of movies not in `stored`; sorted by movie id.
std::vector<aggregate_mismatch>
compare_aggregates(const std::unordered_map<int32_t, movie_aggregate>& stored,
                   const std::unordered_map<int32_t, movie_aggregate>& implied);

} // namespace heymovie::loadgen
