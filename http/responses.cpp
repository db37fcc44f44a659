#include "http/responses.hpp"

#include "http/rating_request.hpp"

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/field.hpp>

namespace heymovie::http {

namespace bhttp = boost::beast::http;

namespace {

response make(bhttp::status status, std::string body,
              const response_context& ctx) {
  response res{status, ctx.version};
  res.set(bhttp::field::content_type, "application/json");
  if (!ctx.request_id.empty())
    res.set("X-Request-Id", ctx.request_id);
  res.keep_alive(ctx.keep_alive);
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

} // namespace

response error_response(const api_error& err, const response_context& ctx,
                        std::string_view allow) {
  auto res = make(status_of(err.code), error_body(err, ctx.request_id), ctx);
  if (err.code == api_errc::method_not_allowed && !allow.empty())
    res.set(bhttp::field::allow, allow);
  if (is_retryable(err.code))
    res.set(bhttp::field::retry_after,
            std::to_string(err.retry_after.value_or(ctx.retry_after)));
  // RFC 6750 3: how to authenticate, and what was wrong with the token.
  if (err.code == api_errc::unauthorized)
    res.set(bhttp::field::www_authenticate, "Bearer");
  else if (err.code == api_errc::invalid_token)
    res.set(bhttp::field::www_authenticate, R"(Bearer error="invalid_token")");
  return res;
}

response rating_response(actors::outcome result,
                         const persistence::rating& stored,
                         const response_context& ctx) {
  if (auto err = error_of(result))
    return error_response(*err, ctx);
  auto created = result == actors::outcome::created;
  auto res = make(created ? bhttp::status::created : bhttp::status::ok,
                  rating_json(stored), ctx);
  if (created)
    res.set(bhttp::field::location, "/ratings/" + std::to_string(stored.user) +
                                        "/" + std::to_string(stored.movie));
  return res;
}

response json_response(std::string body, const response_context& ctx) {
  return make(bhttp::status::ok, std::move(body), ctx);
}

bool is_json_media_type(std::string_view content_type) {
  auto end = content_type.find(';');
  auto type = content_type.substr(0, end);
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t'))
    type.remove_suffix(1);
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t'))
    type.remove_prefix(1);
  return boost::beast::iequals(type, "application/json");
}

} // namespace heymovie::http
