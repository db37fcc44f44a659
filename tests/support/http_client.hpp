// A small blocking HTTP/1.1 client for tests (Beast over one keep-alive
// connection), able to send raw bytes for malformed requests.

#pragma once

#include "support/tokens.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/verb.hpp>

#include <chrono>
#include <map>
#include <string>
#include <string_view>

namespace heymovie::testing {

struct http_response {
  int status = 0;
  std::string body;
  /// Header names in lower case.
  std::map<std::string, std::string> headers;
  bool keep_alive = true;

  std::string header(const std::string& name) const {
    auto i = headers.find(name);
    return i == headers.end() ? std::string{} : i->second;
  }
};

class http_client {
public:
  /// Connects to 127.0.0.1:port; reads time out after `timeout`. Requests
  /// carry `token` as their bearer token (none when empty): by default the
  /// tests' service account's.
  explicit http_client(uint16_t port,
                       std::chrono::seconds timeout = std::chrono::seconds{10},
                       std::string token = import_token());

  http_response request(boost::beast::http::verb method, std::string target,
                        std::string body = {},
                        std::string content_type = "application/json");

  http_response post_rating(const std::string& body) {
    return request(boost::beast::http::verb::post, "/rating", body);
  }

  http_response get(const std::string& target) {
    return request(boost::beast::http::verb::get, target);
  }

  /// Writes bytes as they are.
  void send_raw(std::string_view bytes);

  /// Reads one response; to a HEAD request, a header without a body.
  http_response read_response(bool to_head = false);

  /// Whether the server has closed the connection (reads until EOF or
  /// timeout, discarding anything else).
  bool closed_by_peer();

private:
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
  std::string token_;
};

/// Posts `body` to /rating on 127.0.0.1:port, a fresh connection per try and
/// a short pause between tries, until it is written (201 or 200) or `within`
/// has passed; returns the last status. For waiting until a service that was
/// refusing (503) writes again.
int post_rating_until_written(uint16_t port, const std::string& body,
                              std::chrono::milliseconds within);

/// A free TCP port on 127.0.0.1, below the ephemeral range and not handed
/// out before by this process (free when asked; good enough for tests).
uint16_t free_port();

} // namespace heymovie::testing
