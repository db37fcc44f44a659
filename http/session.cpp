#include "http/session.hpp"

#include "auth/jwt.hpp"
#include "http/endpoint_read.hpp"
#include "observability/service_metrics.hpp"

#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <caf/send.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>

namespace heymovie::http {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using clock = std::chrono::steady_clock;

namespace {

/// How long a closing connection may keep sending before it is cut.
constexpr auto linger_time = std::chrono::seconds{1};

} // namespace

session::session(tcp::socket socket, worker& owner)
    : socket_(std::move(socket)), owner_(owner), settings_(owner.settings),
      buffer_(request_reader::buffer_limit(settings_)), reader_(settings_),
      linger_timer_(owner.ioc) {
  error_code ec;
  peer_ = socket_.remote_endpoint(ec).address();
  owner_.sessions.insert(this);
  ++owner_.connected_sessions;
  observability::service_metrics::instance().http_open_connections.Increment();
}

session::~session() {
  // Its socket closes with it, if it is open still: only as the io_context
  // goes, after the server's stop, when no drain waits any more.
  if (state_ != connection_state::closed)
    --owner_.connected_sessions;
  owner_.ended(this);
  --owner_.open_connections;
  observability::service_metrics::instance().http_open_connections.Decrement();
}

void session::start() {
  error_code ec;
  socket_.set_option(tcp::no_delay{true}, ec);
  // Idle from here and from each last answer, not from each read: empty
  // lines alone do not keep a connection open.
  idle_since_ = clock::now();
  do_read();
}

void session::finish() {
  enter_closing();
  // A read that has not seen a byte yet ends like an end of stream once the
  // receive side is shut down; a write in progress goes on.
  if (reading_ && buffer_.size() == 0 && !reader_.got_some()) {
    error_code ec;
    socket_.shutdown(tcp::socket::shutdown_receive, ec);
  }
}

// -- reading ------------------------------------------------------------------

void session::do_read() {
  if (reading_ || !reads_requests() || queue_.holding() ||
      queue_.size() >= settings_.max_pipeline)
    return;
  reading_ = true;
  request_reader::skip_empty_lines(buffer_);
  reader_.begin();
  request_seen_at_.reset();
  // The header first: a client may wait for `100 Continue` before the body.
  bhttp::async_read_header(
      socket_, buffer_, reader_.parser(),
      [self = shared_from_this()](const error_code& ec, size_t) {
        self->on_header(ec);
      });
}

void session::on_header(const error_code& ec) {
  if (ec || state_ == connection_state::timed_out || shut() ||
      reader_.parser().is_done()) {
    on_read(ec);
    return;
  }
  if (owner_.pipeline.sends_continue(reader_.parser().get(), view(),
                                     buffer_.size() > 0)) {
    queue_.owe_continue();
    do_write();
  }
  bhttp::async_read(socket_, buffer_, reader_.parser(),
                    [self = shared_from_this()](const error_code& ec, size_t) {
                      self->on_read(ec);
                    });
}

void session::on_read(const error_code& ec) {
  reading_ = false;
  queue_.forget_continue();
  if (state_ == connection_state::closed)
    return;
  if (state_ == connection_state::lingering) {
    discard_input();
    return;
  }
  if (ec == bhttp::error::bad_method && state_ != connection_state::timed_out) {
    // Empty lines that arrived once the read had begun: the parser took
    // them for a request line and failed at the first CR.
    bool skipped = request_reader::skip_empty_lines(buffer_);
    if (skipped || request_reader::holds_lone_cr(buffer_)) {
      read_past_empty_lines();
      return;
    }
  }
  if (ec || state_ == connection_state::timed_out) {
    on_unreadable(ec);
    return;
  }
  auto req = reader_.release();
  handle(req, clock::now());
  do_read();
}

void session::read_past_empty_lines() {
  if (request_reader::holds_lone_cr(buffer_)) {
    // Its LF first; then parse again.
    reading_ = true;
    socket_.async_read_some(
        buffer_.prepare(512),
        [self = shared_from_this()](const error_code& ec, size_t n) {
          self->buffer_.commit(n);
          self->reading_ = false;
          if (self->state_ == connection_state::closed)
            return;
          if (self->state_ == connection_state::lingering)
            self->discard_input();
          else if (ec || self->state_ == connection_state::timed_out)
            self->on_unreadable(ec);
          else
            self->read_past_empty_lines();
        });
    return;
  }
  if (reads_requests())
    do_read();
  else if (queue_.empty() && !queue_.writing())
    close_gracefully(); // draining: no request followed the empty lines
}

void session::on_unreadable(const error_code& ec) {
  bool timed_out = state_ == connection_state::timed_out;
  state_ = connection_state::closing;
  queue_.forget_continue();
  if (auto refusal = owner_.pipeline.decide_unreadable(ec, timed_out, peer_)) {
    auto n = queue_.push({std::move(refusal->info), clock::now()});
    settle(*queue_.unanswered(n), std::move(refusal->answer));
    do_write();
  } else if (queue_.empty() && !queue_.writing()) {
    close_gracefully();
  }
}

void session::expire_reads(time_point now) {
  if (shut())
    return;
  queue_.for_each_overdue(now, [this](response_queue::slot& s) {
    settle(s, error_response({api_errc::unavailable,
                              "no database reader answered within the request "
                              "deadline; retry later"},
                             s.info.ctx));
  });
  do_write();
  release_held();
}

void session::check_timeouts(time_point now) {
  if (shut())
    return;
  if (queue_.writing() && now - write_started_ > settings_.idle_timeout) {
    abort(); // the client does not read its answers
    return;
  }
  if (!reading_ || state_ == connection_state::timed_out)
    return;
  if (buffer_.size() > 0 || reader_.got_some()) {
    if (!request_seen_at_) {
      request_seen_at_ = now;
    } else if (now - *request_seen_at_ > settings_.header_timeout) {
      // Too slow a request: the read ends like an end of stream and is
      // answered 408.
      state_ = connection_state::timed_out;
      error_code ec;
      socket_.shutdown(tcp::socket::shutdown_receive, ec);
    }
  } else if (queue_.empty() && !queue_.writing() &&
             now - idle_since_ > settings_.idle_timeout) {
    abort(); // idle keep-alive connection, nothing owed
  }
}

// -- requests -----------------------------------------------------------------

connection_view session::view() const {
  return {!reads_requests() || owner_.draining,
          queue_.unanswered(storage_use::reads),
          queue_.unanswered(storage_use::writes), peer_};
}

void session::handle(request& req, time_point received) {
  auto d = owner_.pipeline.decide(req, view(), auth::unix_now());
  if (d.what == decision::action::wait) {
    queue_.hold({std::move(req), received});
    return;
  }
  if (!d.info.ctx.keep_alive)
    enter_closing();
  switch (d.what) {
  case decision::action::answer: {
    auto n = queue_.push({std::move(d.info), received});
    settle(*queue_.unanswered(n), std::move(d.answer));
    do_write();
    return;
  }
  case decision::action::submit_rating:
    submit_rating(d, received);
    return;
  case decision::action::run_read:
    run_read(d, received);
    return;
  case decision::action::wait:
    return;
  }
}

void session::submit_rating(decision& d, time_point received) {
  response_queue::slot pending{std::move(d.info), received};
  pending.echo = d.rating;
  auto n = queue_.push(std::move(pending));
  // May answer at once (when stopped); the slot exists by then.
  owner_.submitter->submit(d.rating, shared_from_this(), n);
}

void session::run_read(decision& d, time_point received) {
  // Checked once per read sweep: expiring a sweep early is not late.
  auto deadline =
      received + settings_.request_deadline -
      std::min(owner_.read_sweep_period, settings_.request_deadline / 2);
  owner_.watch_read_deadline(deadline, weak_from_this());
  auto ctx = d.info.ctx;
  response_queue::slot pending{std::move(d.info), received};
  pending.deadline = deadline;
  auto n = queue_.push(std::move(pending));
  auto job = std::make_shared<endpoint_read>(d.read, shared_from_this(), n, ctx,
                                             deadline, owner_.ioc);
  caf::anon_send(owner_.readers, actors::read_atom::value,
                 actors::read_job_ptr{std::move(job)});
}

void session::release_held() {
  if (!queue_.holding() || shut())
    return;
  auto next = queue_.release_held();
  handle(next->req, next->received); // holds it again if it still must wait
  do_read();
}

void session::complete(response_queue::slot_number slot,
                       actors::outcome result) {
  auto* s = shut() ? nullptr : queue_.unanswered(slot);
  if (s == nullptr)
    return;
  settle(*s, rating_response(result, s->echo, s->info.ctx));
  do_write();
  release_held();
}

void session::complete(response_queue::slot_number slot, response res) {
  auto* s = shut() ? nullptr : queue_.unanswered(slot);
  if (s == nullptr)
    return;
  settle(*s, std::move(res));
  do_write();
  release_held();
}

void session::settle(response_queue::slot& s, response res) {
  if (!owner_.node_name.empty())
    res.set("X-Served-By", owner_.node_name);
  auto status = res.result_int();
  auto elapsed = clock::now() - s.received;
  owner_.metrics.record(s.info.route, status, elapsed);
  if (owner_.access_log)
    spdlog::info("access: {} \"{}\" {} {:.3f} ms request_id={}", s.info.client,
                 s.info.request_line, status,
                 std::chrono::duration<double, std::milli>(elapsed).count(),
                 s.info.ctx.request_id);
  response_queue::answer(s, std::move(res));
}

// -- writing ------------------------------------------------------------------

void session::do_write() {
  if (shut())
    return;
  // Once the connection reads no more and no read is in flight, no request
  // follows the queued ones: the last answer says Connection: close.
  auto* next = queue_.start_write(!reads_requests() && !reading_);
  if (next == nullptr)
    return;
  write_started_ = clock::now();
  bhttp::async_write(socket_, *next,
                     [self = shared_from_this()](const error_code& ec, size_t) {
                       self->on_write(ec);
                     });
}

void session::on_write(const error_code& ec) {
  auto written = queue_.finish_write();
  if (shut())
    return;
  if (ec) {
    abort();
    return;
  }
  // Also after a 100 Continue whose body never came.
  if (written == response_queue::written::last_answer ||
      (!reads_requests() && queue_.empty() && !reading_)) {
    close_gracefully();
    return;
  }
  if (written == response_queue::written::answer && queue_.empty())
    idle_since_ = clock::now();
  do_write();
  do_read();
}

// -- closing ------------------------------------------------------------------

void session::enter_closing() {
  if (state_ == connection_state::open)
    state_ = connection_state::closing;
  // Also while a timed-out read ends: nothing but its 408 goes out.
  queue_.forget_continue();
}

// Shutting down our side and reading until the peer closes (briefly) keeps a
// close with unread input from resetting the connection, which could destroy
// the last response before the client has read it.
void session::close_gracefully() {
  if (shut())
    return;
  state_ = connection_state::lingering;
  error_code ec;
  socket_.shutdown(tcp::socket::shutdown_send, ec);
  linger_timer_.expires_after(linger_time);
  linger_timer_.async_wait([self = shared_from_this()](const error_code& ec) {
    if (!ec)
      self->abort();
  });
  if (!reading_)
    discard_input();
}

void session::discard_input() {
  reading_ = true;
  // The buffer may be full (a request over its bound).
  buffer_.consume(buffer_.size());
  socket_.async_read_some(
      buffer_.prepare(1024),
      [self = shared_from_this()](const error_code& ec, size_t) {
        self->reading_ = false;
        if (ec)
          self->abort();
        else
          self->discard_input();
      });
}

void session::abort() {
  bool was_open = state_ != connection_state::closed;
  state_ = connection_state::closed;
  error_code ec;
  linger_timer_.cancel();
  socket_.close(ec);
  if (was_open)
    owner_.disconnected();
}

} // namespace heymovie::http
