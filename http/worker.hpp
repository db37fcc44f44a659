// One Asio thread's share of the server: its io_context, and what the
// sessions on that thread share without locks (JSON parser, submitter).

#pragma once

#include "config/settings.hpp"
#include "http/rating_request.hpp"
#include "http/rating_submitter.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <memory>
#include <unordered_set>

namespace heymovie::http {

class session;

struct worker {
  worker(uint16_t id, const config::http_settings& settings,
         actors::router_actor router, const persistence::movie_catalog& catalog,
         std::atomic<size_t>& open_connections);

  boost::asio::io_context ioc{1};
  const config::http_settings& settings;
  rating_request_parser parser;
  std::shared_ptr<rating_submitter> submitter;
  /// Connections open on all workers together.
  std::atomic<size_t>& open_connections;
  /// Sessions on this thread, to finish them when the server drains.
  std::unordered_set<session*> sessions;
  /// Set when draining: sessions read no new requests.
  bool draining = false;

  /// Checks every session's timeouts periodically; io thread only.
  void start_sweeping();
  void stop_sweeping();

private:
  boost::asio::steady_timer sweep_timer_{ioc};
};

} // namespace heymovie::http
