// Which request bodies the service can read: Beast decodes the chunked
// transfer coding and takes any other coding's bytes as they are, so a
// request with another coding is refused before its body is used
// (RFC 9112 6.1, 6.3).

#pragma once

#include "http/api_error.hpp"

#include <boost/beast/http/fields.hpp>

#include <optional>

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

} // namespace heymovie::http
