// One HTTP/1.1 connection, in Beast's shape: a fresh parser with body and
// header limits per request, keep-alive, pipelined requests answered in order
// from a bounded queue. Timeouts (idle connections, slow requests, clients
// that do not read) are checked by the worker's periodic sweep rather than by
// a timer per request, which would cost system calls on the hot path.
// POST /rating goes to the rating submitter; its answer fills the request's
// slot in the queue when the outcome arrives. Pipelined requests behave as if
// handled one after another: ratings run alongside ratings and reads
// alongside reads, but a read waits for the ratings before it (and a rating
// for the reads before it), so that it sees exactly the earlier writes.

#pragma once

#include "http/responses.hpp"
#include "http/routes.hpp"
#include "http/worker.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>

#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace heymovie::http {

class session : public std::enable_shared_from_this<session> {
public:
  session(boost::asio::ip::tcp::socket socket, worker& owner);
  ~session();

  session(const session&) = delete;
  session& operator=(const session&) = delete;

  void start();

  /// The outcome of the POST /rating in `slot`. Io thread only.
  void complete(uint64_t slot, actors::outcome result);

  /// The answer to the read in `slot`. Io thread only.
  void complete(uint64_t slot, response res);

  /// Drain: read nothing new, answer what was accepted, then close.
  void finish();

  /// Closes the connection at once.
  void abort();

  /// Whether the socket is still open, also while closing gracefully (a
  /// session whose socket is closed may live on while a read job holds it).
  bool connected() const noexcept { return socket_.is_open(); }

  /// Answers 503 for reads past their deadline; called by the worker.
  void expire_reads(std::chrono::steady_clock::time_point now);

  /// Enforces the idle, header and write timeouts; called by the worker's
  /// sweep.
  void check_timeouts(std::chrono::steady_clock::time_point now);

private:
  using request = boost::beast::http::request<boost::beast::http::string_body>;
  using time_point = std::chrono::steady_clock::time_point;

  /// What a request does with the stored ratings.
  enum class storage_use : uint8_t { none, reads, writes };

  /// A request's place in the response queue.
  struct slot {
    bool ready = false;
    response res;
    response_context ctx;
    /// The route template, for metrics and the access log.
    std::string_view route;
    std::chrono::steady_clock::time_point received;
    /// For POST /rating: the rating to echo once its outcome is known.
    persistence::rating echo;
    /// For reads: when to give up waiting for a reader.
    std::optional<std::chrono::steady_clock::time_point> deadline;
    /// HEAD: the answer goes without its body (its length is still given).
    bool head = false;
    /// Until answered, requests of the other kind wait behind it.
    storage_use touches = storage_use::none;
    /// For the access log.
    std::string request_line;
  };

  /// A request read but not yet handled: earlier ones of the other kind
  /// are unanswered.
  struct held_request {
    request req;
    time_point received;
  };

  void read_next();
  /// Drops empty lines at the front of the buffer; whether there were any.
  bool skip_empty_lines();
  /// Whether the buffer holds just a CR, perhaps the start of an empty line.
  bool holds_lone_cr() const;
  /// Reads more after a lone CR, then parses again.
  void read_line_feed();
  /// After empty lines: the next request, or the close a drain waits for.
  void read_again();
  /// The header is read: the body next, perhaps after `100 Continue`.
  void on_header(const boost::system::error_code& ec);
  void on_read(const boost::system::error_code& ec);
  void on_read_error(const boost::system::error_code& ec);
  void handle(request& req, time_point received);
  /// Answers `req` with `err` at once; `must_close` when what follows it on
  /// the connection cannot be read as requests.
  void refuse(const request& req, std::string_view route, time_point received,
              const api_error& err, std::string_view allow = {},
              bool must_close = false);
  /// Whether a request with `touches` must wait for earlier ones.
  bool must_wait(storage_use touches) const;
  /// Handles the held request once nothing earlier stands in its way.
  void release_held();
  void handle_rating(request& req, slot& pending);
  void handle_read(const route& what, slot& pending);
  void answer_now(slot&& pending, response res);
  void fill(slot& s, response res);
  slot new_slot(const request& req, std::string_view route,
                time_point received);
  void write_next();
  /// A write has ended: an answer's, or `interim` the 100 Continue's.
  void on_write(const boost::system::error_code& ec, bool interim);
  /// Writes the interim answer an Expect: 100-continue waits for, once no
  /// earlier answer is owed.
  void send_owed_continue();
  void close_gracefully();
  void discard_input();

  boost::asio::ip::tcp::socket socket_;
  worker& owner_;
  const config::http_settings& settings_;
  /// Room beyond the header and body limits for chunk framing.
  static constexpr size_t framing_slack = 8192;
  boost::beast::flat_buffer buffer_;
  std::optional<
      boost::beast::http::request_parser<boost::beast::http::string_body>>
      parser_;
  /// The header section of a chunked request, saved when its last chunk
  /// begins: Beast then adds the trailer fields to it (among the header
  /// fields of the same name), and they are dropped (RFC 9110 6.5.1: not
  /// merged into the header section). None when not chunked.
  std::optional<std::vector<std::pair<std::string, std::string>>>
      header_section_;
  std::function<void(std::uint64_t, boost::beast::string_view,
                     boost::system::error_code&)>
      on_chunk_header_;
  /// Bounds a graceful close.
  boost::asio::steady_timer linger_timer_;
  /// Since when the connection waits for a request with nothing owed.
  time_point idle_since_;
  /// When the sweep first saw bytes of the request being read.
  std::optional<time_point> request_seen_at_;
  time_point write_started_;
  std::deque<slot> slots_;
  /// Reading stops while a request is held.
  std::optional<held_request> held_;
  /// Number of the slot at the front of `slots_`.
  uint64_t first_slot_ = 0;
  bool reading_ = false;
  bool writing_ = false;
  /// No further requests are read (client said close, error, draining).
  bool closing_ = false;
  /// Our side is shut down; only discarding input until the peer closes.
  bool closed_ = false;
  bool timed_out_ = false;
  /// The request being read waits for `100 Continue`.
  bool continue_owed_ = false;
};

} // namespace heymovie::http
