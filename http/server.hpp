// The HTTP front end: `http.threads` workers, each an Asio thread with its own
// io_context, and a listener that deals connections out to them. Sessions
// never block on the database; ratings go to the router (see
// rating_submitter).

#pragma once

#include "actors/messages.hpp"
#include "actors/pipeline_health.hpp"
#include "config/settings.hpp"
#include "http/access_control.hpp"
#include "persistence/movie_catalog.hpp"

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

namespace heymovie::http {

class listener;
struct worker;

class server {
public:
  /// `health` answers /readyz; the router keeps it current. `access`: who
  /// may do what (no keys: anyone anything).
  server(const config::http_settings& settings, actors::router_actor router,
         actors::pipeline_health_ptr health, actors::reader_pool_actor readers,
         persistence::movie_catalog& catalog, bool access_log,
         std::string node_name = {}, const access_settings& access = {});
  ~server();

  server(const server&) = delete;
  server& operator=(const server&) = delete;

  /// Binds (throws boost::system::system_error if it cannot), starts the
  /// threads and returns the bound port.
  uint16_t start();

  /// Stops accepting and reading new requests, then waits until every
  /// accepted request is answered and its connection closed (each worker
  /// says when), or `grace` has passed. Returns whether everything was
  /// answered. Blocking.
  bool drain(std::chrono::nanoseconds grace);

  /// Stops the threads; requests still open are dropped.
  void stop();

private:
  /// Runs `f(worker&)` on every worker's thread, waits for all and returns
  /// what each returned.
  template<class F>
  auto on_each_worker(F f);

  const config::http_settings& settings_;
  std::atomic<size_t> open_connections_{0};
  std::vector<std::unique_ptr<worker>> workers_;
  std::shared_ptr<listener> listener_;
  std::vector<std::thread> threads_;
};

} // namespace heymovie::http
