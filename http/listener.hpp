// Accepts connections and hands each to the next worker thread in turn.
// Past `max-connections` a new connection gets a short 503 and is closed, so
// that a flood of connections cannot exhaust memory or descriptors.

#pragma once

#include "http/worker.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <memory>
#include <string>
#include <vector>

namespace heymovie::http {

class listener : public std::enable_shared_from_this<listener> {
public:
  /// Binds at once; throws boost::system::system_error when it cannot.
  listener(boost::asio::io_context& ioc,
           const boost::asio::ip::tcp::endpoint& endpoint,
           std::vector<std::unique_ptr<worker>>& workers);

  void start();

  /// Closes the acceptor; call on the acceptor's io thread.
  void stop();

  uint16_t port() const;

private:
  void accept_next();
  void on_accept(const boost::system::error_code& ec,
                 boost::asio::ip::tcp::socket socket, worker& target);
  /// Accepts, without waiting, connections already queued.
  void accept_queued();
  /// A session on `target`, or a 503 past `max-connections`.
  void admit(boost::asio::ip::tcp::socket socket, worker& target);
  void refuse(boost::asio::ip::tcp::socket socket);

  boost::asio::ip::tcp::acceptor acceptor_;
  std::vector<std::unique_ptr<worker>>& workers_;
  size_t next_worker_ = 0;
  /// The answer past `max-connections`.
  std::string refusal_;
  /// Waits out a failing accept.
  boost::asio::steady_timer pause_timer_;
};

} // namespace heymovie::http
