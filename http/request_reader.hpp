// Reading one request at a time off a connection's bytes, with what HTTP/1.1
// asks of a reader that Beast's parser leaves to the server: a fresh parser
// per request with the header and body limits; trailer fields of a chunked
// body dropped rather than merged into the header (RFC 9110 6.5.1); empty
// lines before a request line skipped (RFC 9112 2.2: some clients send a
// CRLF after a POST body). No sockets: the session feeds the parser with
// Beast's reads.

#pragma once

#include "config/settings.hpp"

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace heymovie::http {

using request = boost::beast::http::request<boost::beast::http::string_body>;
using request_parser =
    boost::beast::http::request_parser<boost::beast::http::string_body>;

class request_reader {
public:
  explicit request_reader(const config::http_settings& settings);

  request_reader(const request_reader&) = delete;
  request_reader& operator=(const request_reader&) = delete;

  /// The largest a connection's read buffer grows: a request's header and
  /// body at their limits, and room for the chunk framing between them
  /// (extensions, trailers), which Beast does not bound.
  static size_t buffer_limit(const config::http_settings& settings);

  /// A fresh parser for the next request.
  void begin();

  /// The parser of the request being read (valid after `begin`).
  request_parser& parser() { return *parser_; }

  /// Whether any byte of the request being read has arrived.
  bool got_some() const { return parser_ && parser_->got_some(); }

  /// The request read, its header as it arrived (trailer fields dropped).
  request release();

  /// Drops empty lines at the front of `buffer`; whether there were any.
  static bool skip_empty_lines(boost::beast::flat_buffer& buffer);

  /// Whether `buffer` holds just a CR: perhaps the start of an empty line,
  /// whose LF has not arrived yet.
  static bool holds_lone_cr(const boost::beast::flat_buffer& buffer);

private:
  const config::http_settings& settings_;
  std::optional<request_parser> parser_;
  /// The header section of a chunked request, saved when its last chunk
  /// begins: Beast then adds the trailer fields to it. None when not chunked.
  std::optional<std::vector<std::pair<std::string, std::string>>>
      header_section_;
  std::function<void(std::uint64_t, boost::beast::string_view,
                     boost::system::error_code&)>
      on_chunk_header_;
};

} // namespace heymovie::http
