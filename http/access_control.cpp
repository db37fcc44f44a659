#include "http/access_control.hpp"

#include "http/request_framing.hpp"

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/field.hpp>

#include <algorithm>
#include <cmath>
#include <string>

namespace heymovie::http {

namespace bhttp = boost::beast::http;

namespace {

constexpr std::string_view bearer = "bearer";

api_error unauthorized() {
  return {api_errc::unauthorized,
          "this needs a bearer token: Authorization: Bearer <JWT>"};
}

api_error invalid(std::string message) {
  return {api_errc::invalid_token, std::move(message)};
}

} // namespace

access_control::access_control(const access_settings& settings)
    : verifier_(settings.keys, settings.rules, settings.token_cache),
      limiter_(settings.limiter) {
  // nop
}

std::variant<auth::principal, api_error>
access_control::authenticate(const request& req, int64_t now) {
  auto fields = req.count(bhttp::field::authorization);
  if (fields == 0)
    return unauthorized();
  if (fields > 1)
    return invalid("more than one Authorization header");
  auto value = trim_whitespace(req[bhttp::field::authorization]);
  // The scheme's name is case-insensitive (RFC 9110 11.1).
  auto space = value.find(' ');
  if (space == std::string_view::npos ||
      !boost::beast::iequals(value.substr(0, space), bearer))
    return unauthorized();
  auto token = trim_whitespace(value.substr(space + 1));
  if (token.empty())
    return invalid("the bearer token is empty");
  auto verified = verifier_.verify(token, now);
  if (auto* problem = std::get_if<auth::token_problem>(&verified))
    return invalid(auth::to_string(*problem));
  return std::get<auth::principal>(verified);
}

std::optional<api_error> access_control::may_read(const auth::principal& who,
                                                  int32_t user) {
  if (who.may_read(user))
    return std::nullopt;
  return api_error{api_errc::forbidden, "a token for user " +
                                            std::to_string(who.user) +
                                            " reads only that user's ratings"};
}

std::optional<api_error>
access_control::may_rate(const auth::principal& who,
                         const rating_fields& fields,
                         auth::rate_limiter::clock::time_point now) {
  if (who.import)
    return std::nullopt; // service accounts: any user, dated, unlimited
  if (fields.value.user != who.user)
    return api_error{api_errc::forbidden,
                     "a token for user " + std::to_string(who.user) +
                         " rates only as user " + std::to_string(who.user)};
  if (fields.timestamp_given)
    return api_error{api_errc::forbidden,
                     "only a token with scope import may set timestamp"};
  if (auto wait = limiter_->take(who.user, now)) {
    auto seconds = std::chrono::duration<double>(*wait).count();
    return api_error{api_errc::rate_limited,
                     "user " + std::to_string(who.user) +
                         " sends ratings faster than allowed; retry later",
                     static_cast<uint32_t>(std::max(1.0, std::ceil(seconds)))};
  }
  return std::nullopt;
}

} // namespace heymovie::http
