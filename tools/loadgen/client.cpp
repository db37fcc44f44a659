#include "loadgen/client.hpp"

#include "loadgen/request_text.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>

#include <cmath>

namespace heymovie::loadgen {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using namespace std::chrono_literals;

namespace {

constexpr std::chrono::nanoseconds first_backoff = 50ms;
constexpr std::chrono::nanoseconds max_backoff = 1s;

} // namespace

client::client(asio::io_context& ioc, const client_setup& setup,
               std::unique_ptr<request_source> source, client_events& events)
    : setup_(setup), source_(std::move(source)), events_(events), socket_(ioc),
      timer_(ioc) {
  if (!setup.token_secret.empty())
    tokens_.emplace(setup.token_secret, setup.import_token);
  request_.reserve(512);
}

void client::start() {
  asio::post(socket_.get_executor(), [this] { next(); });
}

void client::stop() {
  stopping_ = true;
  if (phase_ == phase::due || phase_ == phase::backoff)
    timer_.cancel();
}

void client::abort() {
  stop();
  if (in_flight()) {
    error_code ignored;
    socket_.close(ignored); // the pending operation fails: fail() follows
  }
}

void client::check_deadline(steady_clock::time_point now) {
  if (in_flight() && !timed_out_ && now >= deadline_) {
    timed_out_ = true;
    error_code ignored;
    socket_.close(ignored);
  }
}

bool client::in_flight() const {
  return phase_ == phase::connecting || phase_ == phase::writing ||
         phase_ == phase::reading;
}

void client::next() {
  if (stopping_ || !source_->next(current_))
    return finish();
  if (setup_.rate <= 0) {
    started_ = steady_clock::now();
    return send();
  }
  auto due = static_cast<double>(current_.index) * 1e9 / setup_.rate;
  started_ = setup_.start + std::chrono::nanoseconds{std::llround(due)};
  if (started_ >= setup_.stop_at)
    return finish();
  if (started_ <= steady_clock::now())
    return send(); // late: the connection was busy; the wait counts
  phase_ = phase::due;
  timer_.expires_at(started_);
  timer_.async_wait([this](error_code) {
    if (stopping_)
      finish(); // never sent, so not counted
    else
      send();
  });
}

void client::send() {
  deadline_ = steady_clock::now() + setup_.timeout;
  timed_out_ = false;
  if (socket_.is_open())
    return write();
  buffer_.clear(); // bytes of an old connection mean nothing on a new one
  phase_ = phase::connecting;
  socket_.async_connect(setup_.server,
                        [this](error_code ec) { on_connect(ec); });
}

void client::on_connect(error_code ec) {
  if (ec)
    return fail(ec);
  socket_.set_option(asio::ip::tcp::no_delay{true}, ec);
  write();
}

void client::write() {
  phase_ = phase::writing;
  write_rating_request(
      current_.what, setup_.host, request_,
      tokens_ ? std::string_view{tokens_->for_user(current_.what.user)}
              : std::string_view{});
  asio::async_write(socket_, asio::buffer(request_),
                    [this](error_code ec, size_t) { on_write(ec); });
}

void client::on_write(error_code ec) {
  if (ec)
    return fail(ec);
  phase_ = phase::reading;
  parser_.emplace();
  http::async_read(socket_, buffer_, *parser_,
                   [this](error_code ec, size_t) { on_read(ec); });
}

void client::on_read(error_code ec) {
  if (ec)
    return fail(ec);
  backoff_ = {};
  if (!parser_->keep_alive())
    close(); // e.g. a 503 while the server drains; reconnect for the next
  complete(parser_->status());
  next();
}

void client::fail(error_code ec) {
  events_.on_failure(classify(ec));
  close();
  complete(0);
  if (stopping_)
    return finish();
  backoff_ = backoff_ == backoff_.zero() ? first_backoff
                                         : std::min(backoff_ * 2, max_backoff);
  phase_ = phase::backoff;
  timer_.expires_after(backoff_);
  timer_.async_wait([this](error_code) { next(); });
}

void client::complete(int status) {
  phase_ = phase::idle;
  events_.on_request_done(current_.what, status, started_, steady_clock::now());
}

void client::finish() {
  phase_ = phase::done;
  close();
  events_.on_client_done();
}

void client::close() {
  error_code ignored;
  socket_.close(ignored);
}

failure_kind client::classify(error_code ec) const {
  if (timed_out_)
    return failure_kind::timeout;
  if (ec == asio::error::connection_refused)
    return failure_kind::refused;
  if (ec == asio::error::operation_aborted)
    return failure_kind::aborted;
  if (ec == asio::error::eof || ec == asio::error::connection_reset ||
      ec == asio::error::connection_aborted || ec == asio::error::broken_pipe ||
      ec == asio::error::not_connected || ec == http::error::end_of_stream ||
      ec == http::error::partial_message)
    return failure_kind::closed;
  return failure_kind::other;
}

} // namespace heymovie::loadgen
