#include "http/api_error.hpp"

#include <nlohmann/json.hpp>

namespace heymovie::http {

using boost::beast::http::status;

status status_of(api_errc code) {
  switch (code) {
  case api_errc::bad_request:
  case api_errc::malformed_json:
  case api_errc::missing_field:
  case api_errc::wrong_type:
  case api_errc::unknown_field:
  case api_errc::duplicate_key:
    return status::bad_request;
  case api_errc::not_found:
    return status::not_found;
  case api_errc::method_not_allowed:
    return status::method_not_allowed;
  case api_errc::request_timeout:
    return status::request_timeout;
  case api_errc::body_too_large:
    return status::payload_too_large;
  case api_errc::unsupported_media_type:
    return status::unsupported_media_type;
  case api_errc::headers_too_large:
    return status::request_header_fields_too_large;
  case api_errc::out_of_range:
  case api_errc::off_scale:
  case api_errc::unknown_movie:
    return status::unprocessable_entity;
  case api_errc::shard_full:
  case api_errc::unavailable:
  case api_errc::shutting_down:
  case api_errc::too_many_connections:
    return status::service_unavailable;
  case api_errc::internal:
    break;
  }
  return status::internal_server_error;
}

std::string_view name_of(api_errc code) {
  switch (code) {
  case api_errc::bad_request:
    return "bad_request";
  case api_errc::malformed_json:
    return "malformed_json";
  case api_errc::missing_field:
    return "missing_field";
  case api_errc::wrong_type:
    return "wrong_type";
  case api_errc::unknown_field:
    return "unknown_field";
  case api_errc::duplicate_key:
    return "duplicate_key";
  case api_errc::not_found:
    return "not_found";
  case api_errc::method_not_allowed:
    return "method_not_allowed";
  case api_errc::request_timeout:
    return "request_timeout";
  case api_errc::body_too_large:
    return "body_too_large";
  case api_errc::unsupported_media_type:
    return "unsupported_media_type";
  case api_errc::headers_too_large:
    return "headers_too_large";
  case api_errc::out_of_range:
    return "out_of_range";
  case api_errc::off_scale:
    return "off_scale";
  case api_errc::unknown_movie:
    return "unknown_movie";
  case api_errc::shard_full:
    return "overloaded";
  case api_errc::unavailable:
    return "unavailable";
  case api_errc::shutting_down:
    return "shutting_down";
  case api_errc::too_many_connections:
    return "too_many_connections";
  case api_errc::internal:
    break;
  }
  return "internal";
}

bool is_retryable(api_errc code) {
  return status_of(code) == status::service_unavailable;
}

std::string error_body(const api_error& err) {
  nlohmann::json body{{"error", name_of(err.code)}, {"message", err.message}};
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
  case outcome::shutting_down:
    return api_error{api_errc::shutting_down,
                     "the service is shutting down; retry later"};
  case outcome::failed:
    break;
  }
  return api_error{api_errc::internal, "the database refused the rating"};
}

} // namespace heymovie::http
