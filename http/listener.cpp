#include "http/listener.hpp"

#include "http/api_error.hpp"
#include "http/request_identity.hpp"
#include "http/session.hpp"
#include "observability/log_throttle.hpp"
#include "observability/service_metrics.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/socket_base.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <spdlog/spdlog.h>

namespace heymovie::http {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

namespace {

/// The whole answer to a connection over the limit, written without a
/// session.
std::string refusal(uint32_t retry_after) {
  auto id = request_id_for({});
  auto body = error_body({api_errc::too_many_connections,
                          "too many open connections; retry later"},
                         id);
  return "HTTP/1.1 503 Service Unavailable\r\n"
         "Content-Type: application/json\r\n"
         "X-Request-Id: " +
         id +
         "\r\n"
         "Retry-After: " +
         std::to_string(retry_after) +
         "\r\n"
         "Connection: close\r\n"
         "Content-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

/// Accept errors (out of descriptors and the like) can come by the thousand.
observability::log_throttle accept_errors;

/// How long to wait after an accept error: the connection that caused it is
/// still queued, so accepting again at once fails again at once.
constexpr auto accept_pause = std::chrono::milliseconds{100};

/// At most this many queued connections are taken at once after an accept.
constexpr int accept_batch = 256;

} // namespace

listener::listener(asio::io_context& ioc, const tcp::endpoint& endpoint,
                   std::vector<std::unique_ptr<worker>>& workers)
    : acceptor_(ioc), workers_(workers),
      refusal_(refusal(workers.front()->settings.retry_after)),
      pause_timer_(ioc) {
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(asio::socket_base::max_listen_connections);
  // For taking what else is queued without waiting (accept_queued).
  acceptor_.non_blocking(true);
}

void listener::start() {
  accept_next();
}

void listener::stop() {
  error_code ec;
  acceptor_.close(ec);
  pause_timer_.cancel();
}

uint16_t listener::port() const {
  return acceptor_.local_endpoint().port();
}

void listener::accept_next() {
  auto& target = *workers_[next_worker_++ % workers_.size()];
  acceptor_.async_accept(target.ioc,
                         [self = shared_from_this(),
                          &target](const error_code& ec, tcp::socket socket) {
                           self->on_accept(ec, std::move(socket), target);
                         });
}

void listener::on_accept(const error_code& ec, tcp::socket socket,
                         worker& target) {
  if (ec == asio::error::operation_aborted || !acceptor_.is_open())
    return;
  if (ec) {
    accept_errors.log(spdlog::level::warn, "accept failed: " + ec.message());
    pause_timer_.expires_after(accept_pause);
    pause_timer_.async_wait([self = shared_from_this()](const error_code& e) {
      if (!e && self->acceptor_.is_open())
        self->accept_next();
    });
    return;
  }
  admit(std::move(socket), target);
  accept_queued();
  accept_next();
}

void listener::accept_queued() {
  // Each async accept completes behind every handler already queued on this
  // thread: with many connections arriving at once, the last ones would wait
  // seconds for their turns.
  for (int i = 0; i < accept_batch; ++i) {
    auto& target = *workers_[next_worker_ % workers_.size()];
    error_code ec;
    tcp::socket socket = acceptor_.accept(target.ioc, ec);
    if (ec)
      return; // none queued, or an error the next async accept reports
    ++next_worker_;
    admit(std::move(socket), target);
  }
}

void listener::admit(tcp::socket socket, worker& target) {
  if (target.open_connections.fetch_add(1) >= target.settings.max_connections) {
    --target.open_connections;
    observability::service_metrics::instance()
        .rejections("connections")
        .Increment();
    refuse(std::move(socket));
    return;
  }
  // Sessions live on their worker's thread from the start.
  asio::post(target.ioc, [&target, socket = std::move(socket)]() mutable {
    std::make_shared<session>(std::move(socket), target)->start();
  });
}

void listener::refuse(tcp::socket socket) {
  // A best-effort answer: the socket buffer takes it at once.
  error_code ec;
  socket.non_blocking(true, ec);
  asio::write(socket, asio::buffer(refusal_), ec);
  socket.shutdown(tcp::socket::shutdown_both, ec);
  socket.close(ec);
}

} // namespace heymovie::http
