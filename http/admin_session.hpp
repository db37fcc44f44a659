// One connection to the operators' listener: requests read one at a time
// (Beast's parser with small limits, a timeout on every read and write),
// each answered by `admin_answer`. Nothing here touches the API or the
// actors.

#pragma once

#include "http/request_reader.hpp"
#include "http/responses.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <functional>
#include <memory>
#include <optional>

namespace heymovie::http {

/// The answer to a request on the admin listener: GET (or HEAD) /metrics,
/// the metrics in Prometheus's text format; /healthz; 404 for anything else,
/// 405 for another method.
response admin_answer(const request& req);

class admin_session : public std::enable_shared_from_this<admin_session> {
public:
  /// `ended` runs when the session is gone.
  admin_session(boost::asio::ip::tcp::socket socket,
                std::function<void()> ended);
  ~admin_session();

  admin_session(const admin_session&) = delete;
  admin_session& operator=(const admin_session&) = delete;

  void start();

private:
  void do_read();
  void on_read(const boost::system::error_code& ec);
  void do_write(response res);
  void on_write(const boost::system::error_code& ec, bool keep_alive);
  void close();

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<request_parser> parser_;
  std::optional<response> answer_;
  std::function<void()> ended_;
};

} // namespace heymovie::http
