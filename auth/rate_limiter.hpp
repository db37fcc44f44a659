// The per-user rate limit (auth.user-rate, auth.user-burst): a token bucket
// per user, shared by the HTTP threads, so that one user cannot fill a
// shard for everyone. Buckets live in stripes, each under its own lock; a
// bucket that has refilled completely is forgotten when its stripe needs the
// room. The table is bounded: past `max_users` users active within a burst's
// time, new users pass unlimited until room is found.

#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <unordered_map>

namespace heymovie::auth {

class rate_limiter {
public:
  using clock = std::chrono::steady_clock;

  /// `rate` requests per second on average, up to `burst` at once; at most
  /// about `max_users` buckets kept.
  rate_limiter(double rate, double burst, size_t max_users = 1u << 20);

  rate_limiter(const rate_limiter&) = delete;
  rate_limiter& operator=(const rate_limiter&) = delete;

  /// Takes one request from `user`'s bucket at `now`: nothing when there was
  /// room, else how long until there is.
  std::optional<clock::duration> take(int32_t user, clock::time_point now);

private:
  struct bucket {
    double tokens;
    clock::time_point updated;
  };

  struct stripe {
    std::mutex mutex;
    std::unordered_map<int32_t, bucket> buckets;
  };

  /// Drops the buckets of `s` that are full again at `now`.
  void forget_full(stripe& s, clock::time_point now);

  static constexpr size_t stripe_count = 64;

  double rate_;
  double burst_;
  size_t max_per_stripe_;
  std::array<stripe, stripe_count> stripes_;
};

} // namespace heymovie::auth
