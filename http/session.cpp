#include "http/session.hpp"

#include "http/endpoint_read.hpp"
#include "http/request_framing.hpp"
#include "observability/service_metrics.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <caf/send.hpp>
#include <spdlog/spdlog.h>

#include <chrono>
#include <iterator>

namespace heymovie::http {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

namespace {

/// How long a closing connection may keep sending before it is cut.
constexpr auto linger_time = std::chrono::seconds{1};

int64_t unix_now() {
  using namespace std::chrono;
  return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

bool is_disconnect(const error_code& ec) {
  return ec == bhttp::error::end_of_stream ||
         ec == bhttp::error::partial_message || ec == asio::error::eof ||
         ec == asio::error::connection_reset ||
         ec == asio::error::operation_aborted || ec == asio::error::broken_pipe;
}

} // namespace

session::session(tcp::socket socket, worker& owner)
    : socket_(std::move(socket)), owner_(owner), settings_(owner.settings),
      // Beast bounds the header and the body's length, not the framing
      // between them (chunk extensions, trailers): the buffer does.
      buffer_(settings_.header_limit + settings_.body_limit + framing_slack),
      linger_timer_(owner.ioc) {
  on_chunk_header_ = [this](std::uint64_t size, boost::beast::string_view,
                            error_code&) {
    if (size == 0) {
      header_section_.emplace();
      for (auto& field : parser_->get())
        header_section_->emplace_back(field.name_string(), field.value());
    }
  };
  owner_.sessions.insert(this);
  observability::service_metrics::instance().http_open_connections.add(1);
}

session::~session() {
  owner_.sessions.erase(this);
  --owner_.open_connections;
  observability::service_metrics::instance().http_open_connections.add(-1);
}

void session::start() {
  error_code ec;
  socket_.set_option(tcp::no_delay{true}, ec);
  // Idle from here and from each last answer, not from each read: empty
  // lines alone do not keep a connection open.
  idle_since_ = std::chrono::steady_clock::now();
  read_next();
}

void session::finish() {
  closing_ = true;
  // A read that has not seen a byte yet ends like an end of stream once the
  // receive side is shut down; a write in progress goes on.
  if (reading_ && buffer_.size() == 0 && !parser_->got_some()) {
    error_code ec;
    socket_.shutdown(tcp::socket::shutdown_receive, ec);
  }
}

// -- reading ------------------------------------------------------------------

void session::read_next() {
  if (reading_ || closing_ || closed_ || held_ ||
      slots_.size() >= settings_.max_pipeline)
    return;
  reading_ = true;
  skip_empty_lines();
  parser_.emplace();
  parser_->on_chunk_header(on_chunk_header_);
  header_section_.reset();
  parser_->header_limit(static_cast<uint32_t>(settings_.header_limit));
  parser_->body_limit(settings_.body_limit);
  request_seen_at_.reset();
  // The header first: a client may wait for `100 Continue` before the body.
  bhttp::async_read_header(
      socket_, buffer_, *parser_,
      [self = shared_from_this()](const error_code& ec, size_t) {
        self->on_header(ec);
      });
}

void session::on_header(const error_code& ec) {
  if (ec || timed_out_ || closed_ || !socket_.is_open() || parser_->is_done()) {
    on_read(ec);
    return;
  }
  // Not when the body has begun to arrive; after the answers still owed to
  // earlier requests, which it must not overtake.
  continue_owed_ = expects_continue(parser_->get(), parser_->get().version()) &&
                   buffer_.size() == 0 && !closing_;
  send_owed_continue();
  bhttp::async_read(socket_, buffer_, *parser_,
                    [self = shared_from_this()](const error_code& ec, size_t) {
                      self->on_read(ec);
                    });
}

// RFC 9112 2.2: empty lines before a request line are ignored (some
// clients send a CRLF after a POST body).
bool session::skip_empty_lines() {
  size_t skipped = 0;
  while (buffer_.size() >= skipped + 2 &&
         std::string_view{
             static_cast<const char*>(buffer_.data().data()) + skipped, 2} ==
             "\r\n")
    skipped += 2;
  buffer_.consume(skipped);
  return skipped > 0;
}

bool session::holds_lone_cr() const {
  return buffer_.size() == 1 &&
         *static_cast<const char*>(buffer_.data().data()) == '\r';
}

void session::read_line_feed() {
  reading_ = true;
  socket_.async_read_some(
      buffer_.prepare(512),
      [self = shared_from_this()](const error_code& ec, size_t n) {
        self->buffer_.commit(n);
        self->reading_ = false;
        if (!self->socket_.is_open())
          return;
        if (self->closed_)
          self->discard_input();
        else if (ec || self->timed_out_)
          self->on_read_error(ec);
        else
          self->read_again();
      });
}

void session::read_again() {
  if (!closing_)
    read_next();
  else if (slots_.empty() && !writing_)
    close_gracefully(); // draining: no request followed the empty lines
}

void session::on_read(const error_code& ec) {
  reading_ = false;
  continue_owed_ = false;
  if (!socket_.is_open())
    return;
  if (closed_) {
    discard_input();
    return;
  }
  if (ec == bhttp::error::bad_method && !timed_out_) {
    // Empty lines that arrived once the read had begun: the parser took
    // them for a request line and failed at the first CR.
    bool skipped = skip_empty_lines();
    if (holds_lone_cr()) {
      read_line_feed();
      return;
    }
    if (skipped) {
      read_again();
      return;
    }
  }
  if (ec || timed_out_) {
    on_read_error(ec);
    return;
  }
  auto req = parser_->release();
  if (header_section_ &&
      static_cast<size_t>(std::distance(req.begin(), req.end())) !=
          header_section_->size()) {
    req.clear(); // the fields only: method, target and version stay
    for (auto& [name, value] : *header_section_)
      req.insert(name, value);
  }
  handle(req, std::chrono::steady_clock::now());
  read_next();
}

void session::on_read_error(const error_code& ec) {
  closing_ = true;
  auto answer = [this](api_errc code, std::string message) {
    slot failed;
    failed.ctx = {11, false, settings_.retry_after};
    failed.route = "other";
    failed.received = std::chrono::steady_clock::now();
    auto res = error_response({code, std::move(message)}, failed.ctx);
    answer_now(std::move(failed), std::move(res));
  };
  if (timed_out_)
    answer(api_errc::request_timeout,
           "the request did not arrive within the header timeout");
  else if (ec == bhttp::error::body_limit)
    answer(api_errc::body_too_large, "the body is larger than " +
                                         std::to_string(settings_.body_limit) +
                                         " bytes");
  else if (ec == bhttp::error::buffer_overflow)
    answer(api_errc::body_too_large, "the request is larger than " +
                                         std::to_string(buffer_.max_size()) +
                                         " bytes");
  else if (ec == bhttp::error::header_limit)
    answer(api_errc::headers_too_large,
           "the request header is larger than " +
               std::to_string(settings_.header_limit) + " bytes");
  else if (!is_disconnect(ec))
    answer(api_errc::bad_request, "malformed HTTP request: " + ec.message());
  else if (slots_.empty() && !writing_)
    close_gracefully();
}

void session::expire_reads(time_point now) {
  if (closed_)
    return;
  for (auto& s : slots_)
    if (!s.ready && s.deadline && now >= *s.deadline)
      fill(s, error_response({api_errc::unavailable,
                              "no database reader answered within the request "
                              "deadline; retry later"},
                             s.ctx));
  write_next();
  release_held();
}

void session::check_timeouts(time_point now) {
  if (closed_)
    return;
  if (writing_ && now - write_started_ > settings_.idle_timeout) {
    abort(); // the client does not read its answers
    return;
  }
  if (!reading_ || timed_out_)
    return;
  if (buffer_.size() > 0 || parser_->got_some()) {
    if (!request_seen_at_)
      request_seen_at_ = now;
    else if (now - *request_seen_at_ > settings_.header_timeout) {
      // Too slow a request: the read ends like an end of stream and is
      // answered 408.
      timed_out_ = true;
      error_code ec;
      socket_.shutdown(tcp::socket::shutdown_receive, ec);
    }
  } else if (slots_.empty() && !writing_ &&
             now - idle_since_ > settings_.idle_timeout) {
    abort(); // idle keep-alive connection, nothing owed
  }
}

// -- requests -----------------------------------------------------------------

session::slot session::new_slot(const request& req, std::string_view route,
                                time_point received) {
  slot s;
  s.ctx = {req.version(), keeps_alive(req, req.version()) && !owner_.draining,
           settings_.retry_after};
  s.route = route;
  s.received = received;
  s.head = req.method() == bhttp::verb::head;
  if (owner_.access_log)
    s.request_line =
        std::string{req.method_string()} + " " + std::string{req.target()};
  return s;
}

bool session::must_wait(storage_use touches) const {
  if (touches == storage_use::none)
    return false;
  for (auto& s : slots_)
    if (!s.ready && s.touches != storage_use::none && s.touches != touches)
      return true;
  return false;
}

void session::release_held() {
  if (!held_ || closed_)
    return;
  auto next = std::move(*held_);
  held_.reset();
  handle(next.req, next.received); // holds it again if it still must wait
  read_next();
}

void session::refuse(const request& req, std::string_view route,
                     time_point received, const api_error& err,
                     std::string_view allow, bool must_close) {
  auto pending = new_slot(req, route, received);
  if (must_close)
    pending.ctx.keep_alive = false;
  if (!pending.ctx.keep_alive)
    closing_ = true;
  answer_now(std::move(pending), error_response(err, pending.ctx, allow));
}

void session::handle(request& req, time_point received) {
  if (auto refused = check_transfer_coding(req)) {
    refuse(req, "other", received, refused->error, {}, refused->framing_lost);
    return;
  }
  if (auto refused = check_host(req, req.version())) {
    refuse(req, "other", received, *refused);
    return;
  }
  auto matched = match_route(req.method(), req.target());
  if (auto* err = std::get_if<route_error>(&matched)) {
    refuse(req, err->name, received, err->error, err->allow);
    return;
  }
  auto& what = std::get<route>(matched);
  auto touches = what.kind == route_kind::rating ? storage_use::writes
                 : what.kind == route_kind::healthz ||
                         what.kind == route_kind::readyz ||
                         what.kind == route_kind::metrics
                     ? storage_use::none
                     : storage_use::reads;
  if (must_wait(touches)) {
    held_ = held_request{std::move(req), received};
    return;
  }
  auto pending = new_slot(req, what.name, received);
  pending.touches = touches;
  if (!pending.ctx.keep_alive)
    closing_ = true;
  switch (what.kind) {
  case route_kind::rating:
    handle_rating(req, pending);
    return;
  case route_kind::healthz:
    answer_now(std::move(pending),
               json_response(R"({"status":"ok"})", pending.ctx));
    return;
  case route_kind::metrics: {
    auto res = json_response(
        observability::service_metrics::instance().all.render(), pending.ctx);
    res.set(bhttp::field::content_type,
            "text/plain; version=0.0.4; charset=utf-8");
    answer_now(std::move(pending), std::move(res));
    return;
  }
  case route_kind::readyz:
    if (auto reason = owner_.health->not_ready_reason(); !reason.empty()) {
      answer_now(std::move(pending),
                 error_response({api_errc::unavailable, reason}, pending.ctx));
      return;
    }
    handle_read(what, pending);
    return;
  default:
    handle_read(what, pending);
  }
}

void session::handle_rating(request& req, slot& pending) {
  auto content_type = req[bhttp::field::content_type];
  // Two Content-Type fields say nothing certain about the body.
  if (req.count(bhttp::field::content_type) != 1 ||
      !is_json_media_type({content_type.data(), content_type.size()})) {
    answer_now(std::move(pending),
               error_response({api_errc::unsupported_media_type,
                               "Content-Type must be application/json"},
                              pending.ctx));
    return;
  }
  auto parsed = owner_.parser.parse(req.body(), unix_now());
  if (auto* err = std::get_if<api_error>(&parsed)) {
    answer_now(std::move(pending), error_response(*err, pending.ctx));
    return;
  }
  auto& value = std::get<persistence::rating>(parsed);
  pending.echo = value;
  slots_.push_back(std::move(pending));
  // May answer at once (when stopped); the slot exists by then.
  owner_.submitter->submit(value, shared_from_this(),
                           first_slot_ + slots_.size() - 1);
}

void session::handle_read(const route& what, slot& pending) {
  // Checked once per read sweep: expiring a sweep early is not late.
  pending.deadline =
      pending.received + settings_.request_deadline -
      std::min(owner_.read_sweep_period, settings_.request_deadline / 2);
  owner_.watch_read_deadline(*pending.deadline, weak_from_this());
  auto ctx = pending.ctx;
  slots_.push_back(std::move(pending));
  auto job = std::make_shared<endpoint_read>(
      what, shared_from_this(), first_slot_ + slots_.size() - 1, ctx,
      *slots_.back().deadline, owner_.ioc);
  caf::anon_send(owner_.readers, actors::read_atom::value,
                 actors::read_job_ptr{std::move(job)});
}

void session::complete(uint64_t slot, actors::outcome result) {
  if (closed_ || slot < first_slot_ || slot - first_slot_ >= slots_.size())
    return;
  auto& s = slots_[slot - first_slot_];
  if (s.ready)
    return;
  fill(s, rating_response(result, s.echo, s.ctx));
  write_next();
  release_held();
}

void session::complete(uint64_t slot, response res) {
  if (closed_ || slot < first_slot_ || slot - first_slot_ >= slots_.size())
    return;
  auto& s = slots_[slot - first_slot_];
  if (s.ready)
    return;
  fill(s, std::move(res));
  write_next();
  release_held();
}

void session::fill(slot& s, response res) {
  s.ready = true;
  s.res = std::move(res);
  // Content-Length stays as for the body: a HEAD answer describes it.
  if (s.head)
    s.res.body().clear();
  if (!owner_.node_name.empty())
    s.res.set("X-Served-By", owner_.node_name);
  auto status = s.res.result_int();
  auto elapsed = std::chrono::steady_clock::now() - s.received;
  owner_.metrics.record(s.route, status, elapsed);
  if (owner_.access_log)
    spdlog::info("access: {} {} {:.3f} ms", s.request_line, status,
                 std::chrono::duration<double, std::milli>(elapsed).count());
}

// -- writing ------------------------------------------------------------------

void session::answer_now(slot&& pending, response res) {
  fill(pending, std::move(res));
  slots_.push_back(std::move(pending));
  write_next();
}

void session::write_next() {
  if (writing_ || closed_ || slots_.empty() || !slots_.front().ready)
    return;
  // The last answer before the connection closes says so, also when the
  // close was decided after its request was read (a drain).
  if (closing_ && slots_.size() == 1 && !reading_ && !held_)
    slots_.front().res.keep_alive(false);
  writing_ = true;
  write_started_ = std::chrono::steady_clock::now();
  bhttp::async_write(socket_, slots_.front().res,
                     [self = shared_from_this()](const error_code& ec, size_t) {
                       self->on_write(ec, false);
                     });
}

void session::on_write(const error_code& ec, bool interim) {
  writing_ = false;
  if (closed_)
    return;
  if (ec) {
    abort();
    return;
  }
  bool keep_alive = true;
  if (!interim) {
    keep_alive = slots_.front().res.keep_alive();
    slots_.pop_front();
    ++first_slot_;
  }
  // Also after a 100 Continue whose body never came.
  if (!keep_alive || (closing_ && slots_.empty() && !reading_)) {
    close_gracefully();
    return;
  }
  if (slots_.empty() && !interim)
    idle_since_ = std::chrono::steady_clock::now();
  write_next();
  send_owed_continue();
  read_next();
}

void session::send_owed_continue() {
  if (!continue_owed_ || !reading_ || writing_ || !slots_.empty() || closing_ ||
      closed_)
    return;
  continue_owed_ = false;
  static constexpr std::string_view interim = "HTTP/1.1 100 Continue\r\n\r\n";
  writing_ = true;
  write_started_ = std::chrono::steady_clock::now();
  asio::async_write(socket_, asio::buffer(interim.data(), interim.size()),
                    [self = shared_from_this()](const error_code& ec, size_t) {
                      self->on_write(ec, true);
                    });
}

// -- closing ------------------------------------------------------------------

// Shutting down our side and reading until the peer closes (briefly) keeps a
// close with unread input from resetting the connection, which could destroy
// the last response before the client has read it.
void session::close_gracefully() {
  if (closed_)
    return;
  closed_ = true;
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
  auto space = buffer_.prepare(1024);
  socket_.async_read_some(
      space, [self = shared_from_this()](const error_code& ec, size_t) {
        self->reading_ = false;
        if (ec)
          self->abort();
        else
          self->discard_input();
      });
}

void session::abort() {
  closed_ = true;
  error_code ec;
  linger_timer_.cancel();
  socket_.close(ec);
}

} // namespace heymovie::http
