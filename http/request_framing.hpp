// What HTTP/1.1 asks of every request's header before its route matters:
// where its body ends, which host it names, and whether another request may
// follow on the connection. Beast decodes the chunked transfer coding and
// takes any other coding's bytes as they are, so a request with another
// coding is refused before its body is used (RFC 9112 6.1, 6.3); Beast's
// keep_alive() reads only the first Connection field line, and leaves
// Expect to the server.

#pragma once

#include "http/api_error.hpp"

#include <boost/beast/http/fields.hpp>

#include <optional>
#include <string_view>

namespace heymovie::http {

struct transfer_coding_error {
  api_error error;
  /// The body's length could not be told, so the bytes after the header
  /// are not a next request: the connection must close after the answer.
  bool framing_lost = false;
};

/// Nothing when the request has no Transfer-Encoding or only `chunked`;
/// 400 (framing lost) when chunked is not its last coding or appears twice,
/// 501 when it names other codings before chunked.
std::optional<transfer_coding_error>
check_transfer_coding(const boost::beast::http::fields& fields);

/// Nothing when the request names its host as HTTP/1.1 asks (RFC 9112 3.2):
/// one Host field holding a host (and port), which HTTP/1.0 may leave out;
/// else 400.
std::optional<api_error> check_host(const boost::beast::http::fields& fields,
                                    unsigned version);

/// Whether the client lets the connection stay open after this request
/// (RFC 9112 9.3): HTTP/1.1 unless a Connection field says `close`, HTTP/1.0
/// only if one says `keep-alive` and it has no Transfer-Encoding; every
/// Connection field line counts.
bool keeps_alive(const boost::beast::http::fields& fields, unsigned version);

/// Whether the client waits for `100 Continue` before sending the body (RFC
/// 9110 10.1.1): an Expect field naming 100-continue, from an HTTP/1.1
/// client (an HTTP/1.0 one must not be sent an interim answer).
bool expects_continue(const boost::beast::http::fields& fields,
                      unsigned version);

/// A field value, or one element of a list, without the optional whitespace
/// (spaces and tabs) around it (RFC 9110 5.6.3).
std::string_view trim_whitespace(std::string_view s);

} // namespace heymovie::http
