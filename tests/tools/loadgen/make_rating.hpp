// A load-generator rating written in the order a test reads it: user,
// movie, half stars, then the timestamp if any.

#pragma once

#include "loadgen/rating.hpp"

namespace heymovie::loadgen {

inline rating make_rating(int32_t user, int32_t movie, int16_t half_stars,
                          int64_t timestamp = no_timestamp) {
  rating r;
  r.user = user;
  r.movie = movie;
  r.half_stars = half_stars;
  r.timestamp = timestamp;
  return r;
}

} // namespace heymovie::loadgen
