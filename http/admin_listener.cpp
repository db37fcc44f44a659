#include "http/admin_listener.hpp"

#include "http/admin_session.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/system/system_error.hpp>
#include <spdlog/spdlog.h>

#include <memory>

namespace heymovie::http {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

admin_listener::admin_listener(const config::admin_settings& settings)
    : settings_(settings) {
  // nop
}

admin_listener::~admin_listener() {
  stop();
}

std::optional<uint16_t> admin_listener::start() {
  try {
    tcp::endpoint endpoint{asio::ip::make_address(settings_.address),
                           settings_.port};
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen();
  } catch (const boost::system::system_error& e) {
    spdlog::critical("cannot listen on {}:{} (admin): {}", settings_.address,
                     settings_.port, e.code().message());
    return std::nullopt;
  }
  auto port = acceptor_.local_endpoint().port();
  accept_next();
  thread_ = std::thread{[this] {
    auto guard = asio::make_work_guard(ioc_);
    ioc_.run();
  }};
  return port;
}

void admin_listener::accept_next() {
  acceptor_.async_accept(
      [this](const boost::system::error_code& ec, tcp::socket socket) {
        if (ec)
          return; // closed: stopping
        if (open_ < max_connections) {
          ++open_;
          std::make_shared<admin_session>(std::move(socket), [this] {
            --open_;
          })->start();
        }
        accept_next();
      });
}

void admin_listener::stop() {
  if (!thread_.joinable())
    return;
  // On its own thread, so that the acceptor is closed before the loop ends.
  asio::post(ioc_, [this] {
    boost::system::error_code ec;
    acceptor_.close(ec);
    ioc_.stop();
  });
  thread_.join();
}

} // namespace heymovie::http
