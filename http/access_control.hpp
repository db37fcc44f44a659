// Stage 3 of the request pipeline: who sends a request, and whether they may
// do what they ask. A bearer token (RFC 6750) names a principal (verified by
// auth::token_verifier); a user's token reads and writes only that user's
// ratings, scope `import` rates for anyone and dates ratings, `import` and
// `admin` read anyone's; a user's ratings are limited in rate
// (auth::rate_limiter). The rules live here; the pipeline asks. One per HTTP
// thread, sharing the keys and the rate limiter.

#pragma once

#include "auth/principal.hpp"
#include "auth/rate_limiter.hpp"
#include "auth/token_verifier.hpp"
#include "http/api_error.hpp"
#include "http/rating_request.hpp"
#include "http/request_reader.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <variant>

namespace heymovie::http {

/// What the HTTP threads share for authentication; no keys: auth.mode=off.
struct access_settings {
  std::shared_ptr<const auth::verification_keys> keys;
  auth::token_rules rules;
  /// Verified tokens remembered per HTTP thread.
  size_t token_cache = 0;
  std::shared_ptr<auth::rate_limiter> limiter;
};

class access_control {
public:
  explicit access_control(const access_settings& settings);

  /// Who sent `req` by its bearer token at `now` (unix seconds), or the 401
  /// to answer: `unauthorized` without a token, `invalid_token` for one that
  /// does not hold.
  std::variant<auth::principal, api_error> authenticate(const request& req,
                                                        int64_t now);

  /// A 403 unless `who` may read `user`'s ratings.
  static std::optional<api_error> may_read(const auth::principal& who,
                                           int32_t user);

  /// A 403 unless `who` may store `fields` as they are (its own user, no
  /// timestamp, unless it imports), a 429 past its rate at `now`.
  std::optional<api_error> may_rate(const auth::principal& who,
                                    const rating_fields& fields,
                                    auth::rate_limiter::clock::time_point now);

private:
  auth::token_verifier verifier_;
  std::shared_ptr<auth::rate_limiter> limiter_;
};

} // namespace heymovie::http
