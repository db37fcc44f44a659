#include "http/listener.hpp"

#include "http/api_error.hpp"
#include "http/session.hpp"
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
const std::string& refusal() {
  static const std::string text = [] {
    auto body = error_body({api_errc::too_many_connections,
                            "too many open connections; retry later"});
    return "HTTP/1.1 503 Service Unavailable\r\n"
           "Content-Type: application/json\r\n"
           "Retry-After: 1\r\n"
           "Connection: close\r\n"
           "Content-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + body;
  }();
  return text;
}

} // namespace

listener::listener(asio::io_context& ioc, const tcp::endpoint& endpoint,
                   std::vector<std::unique_ptr<worker>>& workers)
    : acceptor_(ioc), workers_(workers) {
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(asio::socket_base::max_listen_connections);
}

void listener::start() {
  accept_next();
}

void listener::stop() {
  error_code ec;
  acceptor_.close(ec);
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
    // Out of descriptors and the like: keep accepting once the moment passes.
    spdlog::warn("accept failed: {}", ec.message());
  } else if (target.open_connections.fetch_add(1) >=
             target.settings.max_connections) {
    --target.open_connections;
    observability::service_metrics::instance()
        .rejections.with({"connections"})
        .add();
    refuse(std::move(socket));
  } else {
    // Sessions live on their worker's thread from the start.
    asio::post(target.ioc, [&target, socket = std::move(socket)]() mutable {
      std::make_shared<session>(std::move(socket), target)->start();
    });
  }
  accept_next();
}

void listener::refuse(tcp::socket socket) {
  // A best-effort answer: the socket buffer takes it at once.
  error_code ec;
  socket.non_blocking(true, ec);
  asio::write(socket, asio::buffer(refusal()), ec);
  socket.shutdown(tcp::socket::shutdown_both, ec);
  socket.close(ec);
}

} // namespace heymovie::http
