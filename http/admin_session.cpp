#include "http/admin_session.hpp"

#include "http/request_identity.hpp"
#include "observability/service_metrics.hpp"

#include <boost/asio/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <chrono>

namespace heymovie::http {

namespace bhttp = boost::beast::http;
using error_code = boost::system::error_code;

namespace {

/// For each read and each write: scrapes are short.
constexpr auto io_timeout = std::chrono::seconds{10};
constexpr uint32_t header_limit = 8192;
constexpr uint64_t body_limit = 1024;

} // namespace

response admin_answer(const request& req) {
  response_context ctx{req.version(), req.keep_alive(), 1,
                       request_id_for(req["X-Request-Id"])};
  auto path = req.target().substr(0, req.target().find('?'));
  bool get =
      req.method() == bhttp::verb::get || req.method() == bhttp::verb::head;
  response res;
  if (path == "/metrics" || path == "/healthz") {
    if (!get)
      return error_response({api_errc::method_not_allowed,
                             std::string{path} + " accepts GET, HEAD only"},
                            ctx, "GET, HEAD");
    if (path == "/healthz") {
      res = json_response(R"({"status":"ok"})", ctx);
    } else {
      res = json_response(observability::service_metrics::instance().render(),
                          ctx);
      res.set(bhttp::field::content_type,
              "text/plain; version=0.0.4; charset=utf-8");
    }
  } else {
    res =
        error_response({api_errc::not_found,
                        "the admin listener serves /metrics and /healthz only"},
                       ctx);
  }
  // Content-Length stays as for the body: a HEAD answer describes it.
  if (req.method() == bhttp::verb::head)
    res.body().clear();
  return res;
}

admin_session::admin_session(boost::asio::ip::tcp::socket socket,
                             std::function<void()> ended)
    : stream_(std::move(socket)), ended_(std::move(ended)) {
  // nop
}

admin_session::~admin_session() {
  ended_();
}

void admin_session::start() {
  do_read();
}

void admin_session::do_read() {
  parser_.emplace();
  parser_->header_limit(header_limit);
  parser_->body_limit(body_limit);
  stream_.expires_after(io_timeout);
  bhttp::async_read(stream_, buffer_, *parser_,
                    [self = shared_from_this()](const error_code& ec, size_t) {
                      self->on_read(ec);
                    });
}

void admin_session::on_read(const error_code& ec) {
  if (ec == bhttp::error::end_of_stream || ec == boost::asio::error::eof ||
      ec == boost::beast::error::timeout ||
      ec == boost::asio::error::operation_aborted ||
      ec == boost::asio::error::connection_reset) {
    close();
    return;
  }
  if (ec) {
    do_write(error_response(
        {api_errc::bad_request, "malformed HTTP request: " + ec.message()},
        {http_1_1, false, 1, request_id_for({})}));
    return;
  }
  do_write(admin_answer(parser_->get()));
}

void admin_session::do_write(response res) {
  answer_ = std::move(res);
  bool keep_alive = answer_->keep_alive();
  stream_.expires_after(io_timeout);
  bhttp::async_write(
      stream_, *answer_,
      [self = shared_from_this(), keep_alive](const error_code& ec, size_t) {
        self->on_write(ec, keep_alive);
      });
}

void admin_session::on_write(const error_code& ec, bool keep_alive) {
  if (ec || !keep_alive) {
    close();
    return;
  }
  do_read();
}

void admin_session::close() {
  error_code ec;
  stream_.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ec);
  stream_.socket().close(ec);
}

} // namespace heymovie::http
