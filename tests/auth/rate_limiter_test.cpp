#include "auth/rate_limiter.hpp"

#include <catch2/catch.hpp>

using namespace heymovie::auth;
using namespace std::chrono_literals;

SCENARIO("a user gets a burst, then the rate", "[auth]") {
  rate_limiter limiter{10, 5};
  auto t0 = rate_limiter::clock::now();
  for (int i = 0; i < 5; ++i)
    CHECK_FALSE(limiter.take(1, t0));
  auto wait = limiter.take(1, t0);
  REQUIRE(wait);
  // One more every tenth of a second.
  CHECK(*wait > 90ms);
  CHECK(*wait <= 100ms);
  CHECK_FALSE(limiter.take(1, t0 + 100ms));
  CHECK(limiter.take(1, t0 + 150ms));
  WHEN("another user asks meanwhile") {
    THEN("their bucket is their own") {
      CHECK_FALSE(limiter.take(2, t0));
    }
  }
  WHEN("the user waits") {
    THEN("the bucket refills up to the burst, not beyond") {
      for (int i = 0; i < 5; ++i)
        CHECK_FALSE(limiter.take(1, t0 + 10s));
      CHECK(limiter.take(1, t0 + 10s));
    }
  }
}

SCENARIO("the table of users is bounded: users idle long enough are "
         "forgotten",
         "[auth]") {
  rate_limiter limiter{1, 1, 64}; // one user per stripe
  auto t0 = rate_limiter::clock::now();
  CHECK_FALSE(limiter.take(1, t0));
  CHECK(limiter.take(1, t0));
  // User 65 shares user 1's stripe: user 1 is not full yet, so 65 passes
  // without a bucket...
  CHECK_FALSE(limiter.take(65, t0));
  CHECK_FALSE(limiter.take(65, t0));
  // ...and once user 1 has refilled, 65 takes its place and is limited.
  CHECK_FALSE(limiter.take(65, t0 + 2s));
  CHECK(limiter.take(65, t0 + 2s));
}
