// The bytes of one `POST /rating` request, written into a buffer that the
// caller keeps: a connection formats each request into the same string, so
// sending allocates nothing once the string has grown to size.

#pragma once

#include "loadgen/rating.hpp"

#include <string>
#include <string_view>

namespace heymovie::loadgen {

/// Replaces `out` with the JSON body, e.g.
/// `{"user":1,"movie":2,"rating":4.5,"timestamp":964982703}`.
void write_rating_body(const rating& r, std::string& out);

/// Replaces `out` with the whole HTTP/1.1 request (keep-alive, JSON body).
/// `host` is the Host header, e.g. `127.0.0.1:8080`; `bearer`, when not
/// empty, the token sent as `Authorization: Bearer`.
void write_rating_request(const rating& r, std::string_view host,
                          std::string& out, std::string_view bearer = {});

} // namespace heymovie::loadgen
