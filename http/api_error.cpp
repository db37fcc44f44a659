#include "http/api_error.hpp"

#include <iterator>
#include <nlohmann/json.hpp>

namespace heymovie::http {

using boost::beast::http::status;

namespace {

/// Status and name of each error, in the order of the enum.
struct error_info {
  api_errc code;
  status http_status;
  std::string_view name;
};

constexpr error_info errors[] = {
    {api_errc::bad_request, status::bad_request, "bad_request"},
    {api_errc::malformed_json, status::bad_request, "malformed_json"},
    {api_errc::missing_field, status::bad_request, "missing_field"},
    {api_errc::wrong_type, status::bad_request, "wrong_type"},
    {api_errc::unknown_field, status::bad_request, "unknown_field"},
    {api_errc::duplicate_key, status::bad_request, "duplicate_key"},
    {api_errc::unauthorized, status::unauthorized, "unauthorized"},
    {api_errc::invalid_token, status::unauthorized, "invalid_token"},
    {api_errc::forbidden, status::forbidden, "forbidden"},
    {api_errc::not_found, status::not_found, "not_found"},
    {api_errc::method_not_allowed, status::method_not_allowed,
     "method_not_allowed"},
    {api_errc::request_timeout, status::request_timeout, "request_timeout"},
    {api_errc::body_too_large, status::payload_too_large, "body_too_large"},
    {api_errc::unsupported_media_type, status::unsupported_media_type,
     "unsupported_media_type"},
    {api_errc::headers_too_large, status::request_header_fields_too_large,
     "headers_too_large"},
    {api_errc::out_of_range, status::unprocessable_entity, "out_of_range"},
    {api_errc::off_scale, status::unprocessable_entity, "off_scale"},
    {api_errc::unknown_movie, status::unprocessable_entity, "unknown_movie"},
    {api_errc::rate_limited, status::too_many_requests, "rate_limited"},
    {api_errc::shard_full, status::service_unavailable, "overloaded"},
    {api_errc::unavailable, status::service_unavailable, "unavailable"},
    {api_errc::shutting_down, status::service_unavailable, "shutting_down"},
    {api_errc::too_many_connections, status::service_unavailable,
     "too_many_connections"},
    {api_errc::not_implemented, status::not_implemented, "not_implemented"},
    {api_errc::internal, status::internal_server_error, "internal"},
};

constexpr bool in_enum_order() {
  for (size_t i = 0; i < std::size(errors); ++i)
    if (static_cast<size_t>(errors[i].code) != i)
      return false;
  return true;
}

static_assert(in_enum_order() &&
                  std::size(errors) ==
                      static_cast<size_t>(api_errc::internal) + 1,
              "one entry per api_errc, in the enum's order");

} // namespace

status status_of(api_errc code) {
  return errors[static_cast<size_t>(code)].http_status;
}

std::string_view name_of(api_errc code) {
  return errors[static_cast<size_t>(code)].name;
}

bool is_retryable(api_errc code) {
  return status_of(code) == status::service_unavailable ||
         status_of(code) == status::too_many_requests;
}

std::string error_body(const api_error& err, std::string_view request_id) {
  nlohmann::json body{{"error", name_of(err.code)}, {"message", err.message}};
  if (!request_id.empty())
    body["request_id"] = request_id;
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::optional<api_error> error_of(actors::outcome result) {
  using actors::outcome;
  switch (result) {
  case outcome::created:
  case outcome::replaced:
    return std::nullopt;
  case outcome::shard_full:
    return api_error{api_errc::shard_full,
                     "too many pending ratings for this user's shard; "
                     "retry later"};
  case outcome::shard_down:
    return api_error{api_errc::unavailable,
                     "the shard of this user is unreachable; retry later"};
  case outcome::unavailable:
    return api_error{api_errc::unavailable,
                     "the rating could not be committed within the "
                     "request deadline; retry later"};
  case outcome::unknown_movie:
    return api_error{api_errc::unknown_movie,
                     "movie is not in the database (it was removed)"};
  case outcome::shutting_down:
    return api_error{api_errc::shutting_down,
                     "the service is shutting down; retry later"};
  case outcome::failed:
    break;
  }
  return api_error{api_errc::internal, "the database refused the rating"};
}

} // namespace heymovie::http
