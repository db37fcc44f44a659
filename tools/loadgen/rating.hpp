// One rating as the load generator sends it. Ratings travel as half stars
// (rating * 2, 1..10), like the service stores them, so that comparisons
// with the database are exact.

#pragma once

#include <cstdint>
#include <limits>

namespace heymovie::loadgen {

/// Marks a rating sent without a timestamp (the service then uses the time
/// of receipt).
inline constexpr int64_t no_timestamp = std::numeric_limits<int64_t>::min();

struct rating {
  int64_t timestamp = no_timestamp;
  int32_t user = 0;
  int32_t movie = 0;
  int16_t half_stars = 0;

  bool has_timestamp() const { return timestamp != no_timestamp; }
};

} // namespace heymovie::loadgen
