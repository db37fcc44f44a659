#include "http/session.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <chrono>

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
      linger_timer_(owner.ioc) {
  owner_.sessions.insert(this);
}

session::~session() {
  owner_.sessions.erase(this);
  --owner_.open_connections;
}

void session::start() {
  error_code ec;
  socket_.set_option(tcp::no_delay{true}, ec);
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
  if (reading_ || closing_ || closed_ ||
      slots_.size() >= settings_.max_pipeline)
    return;
  reading_ = true;
  parser_.emplace();
  parser_->header_limit(static_cast<uint32_t>(settings_.header_limit));
  parser_->body_limit(settings_.body_limit);
  request_seen_at_.reset();
  if (slots_.empty() && !writing_)
    idle_since_ = std::chrono::steady_clock::now();
  bhttp::async_read(socket_, buffer_, *parser_,
                    [self = shared_from_this()](const error_code& ec, size_t) {
                      self->on_read(ec);
                    });
}

void session::on_read(const error_code& ec) {
  reading_ = false;
  if (!socket_.is_open())
    return;
  if (closed_) {
    discard_input();
    return;
  }
  if (ec || timed_out_) {
    on_read_error(ec);
    return;
  }
  auto req = parser_->release();
  handle(req);
  read_next();
}

void session::on_read_error(const error_code& ec) {
  closing_ = true;
  response_context ctx{11, false, settings_.retry_after};
  if (timed_out_) {
    answer_now(
        error_response({api_errc::request_timeout,
                        "the request did not arrive within the header timeout"},
                       ctx));
  } else if (ec == bhttp::error::body_limit) {
    answer_now(
        error_response({api_errc::body_too_large,
                        "the body is larger than " +
                            std::to_string(settings_.body_limit) + " bytes"},
                       ctx));
  } else if (ec == bhttp::error::header_limit) {
    answer_now(
        error_response({api_errc::headers_too_large,
                        "the request header is larger than " +
                            std::to_string(settings_.header_limit) + " bytes"},
                       ctx));
  } else if (!is_disconnect(ec)) {
    answer_now(error_response(
        {api_errc::bad_request, "malformed HTTP request: " + ec.message()},
        ctx));
  } else if (slots_.empty() && !writing_) {
    close_gracefully();
  }
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

void session::handle(request& req) {
  response_context ctx{req.version(), req.keep_alive() && !owner_.draining,
                       settings_.retry_after};
  if (!ctx.keep_alive)
    closing_ = true;
  std::string_view target{req.target().data(), req.target().size()};
  auto path = target.substr(0, target.find('?'));
  if (path == "/rating") {
    if (req.method() != bhttp::verb::post)
      answer_now(error_response(
          {api_errc::method_not_allowed, "/rating accepts POST only"}, ctx,
          "POST"));
    else
      handle_rating(req, ctx);
  } else if (path == "/healthz") {
    if (req.method() != bhttp::verb::get)
      answer_now(error_response(
          {api_errc::method_not_allowed, "/healthz accepts GET only"}, ctx,
          "GET"));
    else
      answer_now(json_response(R"({"status":"ok"})", ctx));
  } else {
    answer_now(error_response(
        {api_errc::not_found, "no such resource; ratings go to POST /rating"},
        ctx));
  }
}

void session::handle_rating(request& req, const response_context& ctx) {
  auto content_type = req[bhttp::field::content_type];
  if (!is_json_media_type({content_type.data(), content_type.size()})) {
    answer_now(error_response({api_errc::unsupported_media_type,
                               "Content-Type must be application/json"},
                              ctx));
    return;
  }
  auto parsed = owner_.parser.parse(req.body(), unix_now());
  if (auto* err = std::get_if<api_error>(&parsed)) {
    answer_now(error_response(*err, ctx));
    return;
  }
  auto& value = std::get<persistence::rating>(parsed);
  slots_.push_back({false, {}, value, ctx});
  // May answer at once (when stopped); the slot exists by then.
  owner_.submitter->submit(value, shared_from_this(),
                           first_slot_ + slots_.size() - 1);
}

void session::complete(uint64_t slot, actors::outcome result) {
  if (closed_ || slot < first_slot_ || slot - first_slot_ >= slots_.size())
    return;
  auto& s = slots_[slot - first_slot_];
  if (s.ready)
    return;
  s.res = rating_response(result, s.echo, s.ctx);
  s.ready = true;
  write_next();
}

// -- writing ------------------------------------------------------------------

void session::answer_now(response res) {
  slots_.push_back({true, std::move(res), {}, {}});
  write_next();
}

void session::write_next() {
  if (writing_ || closed_ || slots_.empty() || !slots_.front().ready)
    return;
  writing_ = true;
  write_started_ = std::chrono::steady_clock::now();
  bhttp::async_write(socket_, slots_.front().res,
                     [self = shared_from_this()](const error_code& ec, size_t) {
                       self->on_write(ec);
                     });
}

void session::on_write(const error_code& ec) {
  writing_ = false;
  if (closed_)
    return;
  if (ec) {
    abort();
    return;
  }
  bool keep_alive = slots_.front().res.keep_alive();
  slots_.pop_front();
  ++first_slot_;
  if (!keep_alive || (closing_ && slots_.empty() && !reading_)) {
    close_gracefully();
    return;
  }
  if (slots_.empty())
    idle_since_ = std::chrono::steady_clock::now();
  write_next();
  read_next();
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
