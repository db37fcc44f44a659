// One keep-alive HTTP/1.1 connection of the load generator. It sends its
// source's requests one at a time (no pipelining), so a user's requests never
// overtake each other, and it outlives the server: a request without an
// answer (refused, reset, closed, timed out) counts as status 0, and the
// connection reconnects after a backoff of 50 ms doubling up to 1 s and goes
// on with its next request. A 503 is recorded like any answer, not retried.
//
// Closed loop: the next request leaves when the previous answer arrived and
// its latency runs from then. Open loop: request i is due at t0 + i / rate
// and its latency runs from that moment, however late the connection gets to
// it, so a stalled server shows as latency (no coordinated omission).

#pragma once

#include "loadgen/bearer_tokens.hpp"
#include "loadgen/response_status.hpp"
#include "loadgen/run_stats.hpp"
#include "loadgen/workload.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace heymovie::loadgen {

using steady_clock = std::chrono::steady_clock;

/// What all clients of a run share (read-only once they run).
struct client_setup {
  boost::asio::ip::tcp::endpoint server;
  std::string host; // the Host header
  steady_clock::time_point start;
  /// Requests per second of the whole run (open loop); 0: closed loop.
  double rate = 0;
  /// The open loop sends no request due at or after this (--duration).
  steady_clock::time_point stop_at = steady_clock::time_point::max();
  std::chrono::nanoseconds timeout{std::chrono::seconds{10}};
  /// The service's HS256 secret, to mint bearer tokens with; none sent when
  /// empty.
  std::string token_secret;
  /// One import token for every request rather than one per user.
  bool import_token = false;
};

/// Where a client reports, on its io_context's thread.
class client_events {
public:
  virtual ~client_events() = default;

  /// A request finished; status 0: no answer.
  virtual void on_request_done(const rating& r, int status,
                               steady_clock::time_point started,
                               steady_clock::time_point now) = 0;

  /// Why the request that is about to finish with status 0 got no answer.
  virtual void on_failure(failure_kind kind) = 0;

  /// The client has sent everything it will send.
  virtual void on_client_done() = 0;
};

class client {
public:
  client(boost::asio::io_context& ioc, const client_setup& setup,
         std::unique_ptr<request_source> source, client_events& events);

  void start();

  /// Sends nothing more: a request in flight still gets its answer.
  void stop();

  /// Stops and gives up the request in flight (status 0).
  void abort();

  /// Closes the connection when the request in flight is overdue; called
  /// by the worker's sweep, so requests need no timer of their own.
  void check_deadline(steady_clock::time_point now);

private:
  enum class phase { idle, due, connecting, writing, reading, backoff, done };

  using error_code = boost::system::error_code;

  void next();
  void send();
  void on_connect(error_code ec);
  void write();
  void on_write(error_code ec);
  void on_read(error_code ec);
  void fail(error_code ec);
  void complete(int status);
  void finish();
  void close();
  failure_kind classify(error_code ec) const;
  bool in_flight() const;

  const client_setup& setup_;
  std::unique_ptr<request_source> source_;
  client_events& events_;
  boost::asio::ip::tcp::socket socket_;
  boost::asio::steady_timer timer_;
  boost::beast::flat_buffer buffer_;
  std::optional<response_status> parser_;
  /// This connection's users' tokens, when the run sends them.
  std::optional<bearer_tokens> tokens_;
  std::string request_;
  planned_request current_;
  steady_clock::time_point started_;
  steady_clock::time_point deadline_;
  std::chrono::nanoseconds backoff_{0};
  phase phase_ = phase::idle;
  bool stopping_ = false;
  bool timed_out_ = false;
};

} // namespace heymovie::loadgen
