// A user's rating of a movie as the service stores it. Ratings are half stars
// 1..10 (0.5..5.0 stars) so that sums of them stay exact integers.

#pragma once

#include <cstdint>

namespace heymovie::persistence {

struct rating {
  int32_t user = 0;
  int32_t movie = 0;
  /// 1..10, i.e. stars * 2.
  uint8_t half_stars = 0;
  /// Unix seconds.
  int64_t rated_at = 0;
};

inline bool operator==(const rating& x, const rating& y) {
  return x.user == y.user && x.movie == y.movie &&
         x.half_stars == y.half_stars && x.rated_at == y.rated_at;
}

/// Serialization for CAF (binary and deep_to_string); header-only so that this
/// layer does not depend on CAF.
template<class Inspector>
typename Inspector::result_type inspect(Inspector& f, rating& x) {
  return f(x.user, x.movie, x.half_stars, x.rated_at);
}

} // namespace heymovie::persistence
