// The operators' listener, on every node role (admin.address:admin.port,
// 127.0.0.1:9464 by default): /metrics and /healthz only, never the API. It
// has a thread and an io_context of its own, so that a scrape neither waits
// behind client traffic nor adds to it, and a shard node, which serves no
// clients, has one too.

#pragma once

#include "config/settings.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <optional>
#include <thread>

namespace heymovie::http {

class admin_listener {
public:
  explicit admin_listener(const config::admin_settings& settings);
  ~admin_listener();

  admin_listener(const admin_listener&) = delete;
  admin_listener& operator=(const admin_listener&) = delete;

  /// Binds and starts serving; the bound port, or nothing (after saying why
  /// in the log) when it cannot listen.
  std::optional<uint16_t> start();

  /// Stops accepting and stops the thread; connections still open end with
  /// the listener.
  void stop();

private:
  void accept_next();

  /// Connections open at most: scrapers are few.
  static constexpr size_t max_connections = 64;

  const config::admin_settings& settings_;
  /// Open sessions; declared before the io_context, which may end the last
  /// of them as it goes.
  size_t open_ = 0;
  boost::asio::io_context ioc_{1};
  boost::asio::ip::tcp::acceptor acceptor_{ioc_};
  std::thread thread_;
};

} // namespace heymovie::http
