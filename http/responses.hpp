// Building the HTTP responses of the API: pure functions, so that status,
// headers and body of each case are unit-tested without sockets.

#pragma once

#include "actors/messages.hpp"
#include "http/api_error.hpp"
#include "http/versions.hpp"
#include "persistence/rating.hpp"

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <string>
#include <string_view>

namespace heymovie::http {

using response = boost::beast::http::response<boost::beast::http::string_body>;

/// What every response needs to know about the request it answers.
struct response_context {
  unsigned version = http_1_1;
  bool keep_alive = true;
  /// Seconds for `Retry-After` on 503.
  uint32_t retry_after = 1;
  /// Sent as X-Request-Id and in error bodies; none when empty.
  std::string request_id = {};
};

/// A JSON error; 405 gets `Allow: <allow>`, 429 and 503 `Retry-After`, 401
/// `WWW-Authenticate`.
response error_response(const api_error& err, const response_context& ctx,
                        std::string_view allow = {});

/// The answer to POST /rating once its outcome is known.
response rating_response(actors::outcome result,
                         const persistence::rating& stored,
                         const response_context& ctx);

/// 200 with a JSON body.
response json_response(std::string body, const response_context& ctx);

/// Whether a Content-Type value names JSON (`application/json`, any case,
/// parameters such as `; charset=utf-8` allowed).
bool is_json_media_type(std::string_view content_type);

} // namespace heymovie::http
