#include "auth/rate_limiter.hpp"

#include <algorithm>

namespace heymovie::auth {

rate_limiter::rate_limiter(double rate, double burst, size_t max_users)
    : rate_(rate), burst_(burst),
      max_per_stripe_(std::max<size_t>(1, max_users / stripe_count)) {
  // nop
}

std::optional<rate_limiter::clock::duration>
rate_limiter::take(int32_t user, clock::time_point now) {
  auto& s = stripes_[static_cast<uint32_t>(user) % stripe_count];
  std::lock_guard<std::mutex> guard{s.mutex};
  auto found = s.buckets.find(user);
  if (found == s.buckets.end()) {
    if (s.buckets.size() >= max_per_stripe_)
      forget_full(s, now);
    // More users within a burst's time than the table holds: the limit
    // protects the shards from one user, not from all of them at once.
    if (s.buckets.size() >= max_per_stripe_)
      return std::nullopt;
    found = s.buckets.emplace(user, bucket{burst_, now}).first;
  }
  auto& b = found->second;
  std::chrono::duration<double> elapsed = now - b.updated;
  b.tokens = std::min(burst_, b.tokens + elapsed.count() * rate_);
  b.updated = now;
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return std::nullopt;
  }
  return std::chrono::duration_cast<clock::duration>(
      std::chrono::duration<double>((1 - b.tokens) / rate_));
}

void rate_limiter::forget_full(stripe& s, clock::time_point now) {
  for (auto i = s.buckets.begin(); i != s.buckets.end();) {
    std::chrono::duration<double> idle = now - i->second.updated;
    if (i->second.tokens + idle.count() * rate_ >= burst_)
      i = s.buckets.erase(i);
    else
      ++i;
  }
}

} // namespace heymovie::auth
