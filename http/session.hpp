// One HTTP/1.1 connection: the socket work, in the shape of Beast's
// advanced_server (do_read / on_read, do_write / on_write), and nothing
// else. What happens to each request is decided by the worker's
// request_pipeline; the answers leave in request order through the
// response_queue. Timeouts (idle connections, slow requests, clients that do
// not read) are checked by the worker's periodic sweep rather than by a
// timer per request, which would cost system calls on the hot path.

#pragma once

#include "http/request_reader.hpp"
#include "http/response_queue.hpp"
#include "http/worker.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>

#include <chrono>
#include <memory>
#include <optional>

namespace heymovie::http {

class session : public std::enable_shared_from_this<session> {
public:
  session(boost::asio::ip::tcp::socket socket, worker& owner);
  ~session();

  session(const session&) = delete;
  session& operator=(const session&) = delete;

  void start();

  /// The outcome of the POST /rating in `slot`. Io thread only.
  void complete(response_queue::slot_number slot, actors::outcome result);

  /// The answer to the read in `slot`. Io thread only.
  void complete(response_queue::slot_number slot, response res);

  /// Drain: read nothing new, answer what was accepted, then close.
  void finish();

  /// Closes the connection at once.
  void abort();

  /// Answers 503 for reads past their deadline; called by the worker.
  void expire_reads(std::chrono::steady_clock::time_point now);

  /// Enforces the idle, header and write timeouts; called by the worker's
  /// sweep.
  void check_timeouts(std::chrono::steady_clock::time_point now);

private:
  using time_point = std::chrono::steady_clock::time_point;
  using error_code = boost::system::error_code;

  /// The connection's life: open, closing, lingering, closed; timed_out
  /// cuts off a slow request on the way (from open or closing) and leads to
  /// closing.
  enum class connection_state : uint8_t {
    /// Reads requests and writes their answers.
    open,
    /// Reads no new request (the client or the service said close, or a
    /// request was unreadable); writes the answers owed, then lingers.
    closing,
    /// The request being read came too slowly: its read is cut off and
    /// answered 408, then the connection is closing.
    timed_out,
    /// Our side is shut down after the last answer; input is discarded until
    /// the peer closes, for at most a second.
    lingering,
    /// The socket is closed.
    closed,
  };

  // -- reading
  void do_read();
  void on_header(const error_code& ec);
  void on_read(const error_code& ec);
  /// Empty lines before a request: read on after them, also for the LF of
  /// a lone CR.
  void read_past_empty_lines();
  void on_unreadable(const error_code& ec);

  // -- requests
  void handle(request& req, time_point received);
  void submit_rating(decision& d, time_point received);
  void run_read(decision& d, time_point received);
  void release_held();
  /// Gives `s` its answer: counted, logged, then written in its turn.
  void settle(response_queue::slot& s, response res);
  connection_view view() const;

  // -- writing
  void do_write();
  void on_write(const error_code& ec);

  // -- closing
  void enter_closing();
  bool reads_requests() const noexcept {
    return state_ == connection_state::open;
  }
  bool shut() const noexcept {
    return state_ == connection_state::lingering ||
           state_ == connection_state::closed;
  }
  void close_gracefully();
  void discard_input();

  boost::asio::ip::tcp::socket socket_;
  /// Read once: remote_endpoint fails once the client has gone.
  boost::asio::ip::address peer_;
  worker& owner_;
  const config::http_settings& settings_;
  boost::beast::flat_buffer buffer_;
  request_reader reader_;
  response_queue queue_;
  connection_state state_ = connection_state::open;
  /// A read is in flight (in any state: requests, a lone CR's LF, discarded
  /// input).
  bool reading_ = false;
  /// Bounds lingering.
  boost::asio::steady_timer linger_timer_;
  /// Since when the connection waits for a request with nothing owed.
  time_point idle_since_;
  /// When the sweep first saw bytes of the request being read.
  std::optional<time_point> request_seen_at_;
  time_point write_started_;
};

} // namespace heymovie::http
