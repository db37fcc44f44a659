// Every error the HTTP API answers, as one enum; `status_of` is the one place
// that maps them to HTTP statuses, and `error_body` renders the JSON body
// `{"error": "<code>", "message": "<what was wrong, naming the field>"}`.

#pragma once

#include "actors/messages.hpp"

#include <boost/beast/http/status.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace heymovie::http {

enum class api_errc : uint8_t {
  // 400: the request is not well-formed.
  bad_request,    ///< malformed HTTP
  malformed_json, ///< not JSON, or JSON with trailing content
  missing_field,
  wrong_type,
  unknown_field,
  duplicate_key,
  // 401: no credentials, or credentials that do not hold; 403: they hold,
  // and do not allow this.
  unauthorized,
  invalid_token,
  forbidden,
  // 404, 405, 408, 413, 415, 431
  not_found,
  method_not_allowed,
  request_timeout,
  body_too_large,
  unsupported_media_type,
  headers_too_large,
  // 422: well-formed but not acceptable.
  out_of_range,
  off_scale,
  unknown_movie,
  // 429: too many ratings from one user; retrying later helps.
  rate_limited,
  // 5xx: the service could not do it; retrying later may help.
  shard_full,
  unavailable,
  shutting_down,
  too_many_connections,
  // 501: an HTTP feature the service does not implement.
  not_implemented,
  internal, ///< keep last: the table in api_error.cpp follows this order
};

struct api_error {
  api_errc code = api_errc::internal;
  std::string message;
  /// Seconds for `Retry-After` when not the configured default.
  std::optional<uint32_t> retry_after = std::nullopt;
};

boost::beast::http::status status_of(api_errc code);

/// The snake_case name that goes into the body's "error" field.
std::string_view name_of(api_errc code);

/// `{"error": ..., "message": ..., "request_id": ...}`, the message escaped
/// for JSON; without request_id when `request_id` is empty.
std::string error_body(const api_error& err, std::string_view request_id = {});

/// The error a pipeline outcome stands for; nothing for created/replaced.
std::optional<api_error> error_of(actors::outcome result);

/// Whether a response with this error should carry `Retry-After` (429, 503).
bool is_retryable(api_errc code);

} // namespace heymovie::http
