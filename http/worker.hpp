// One Asio thread's share of the server: its io_context, and what the
// sessions on that thread share without locks (the request pipeline with its
// JSON parser, the rating submitter).

#pragma once

#include "actors/pipeline_health.hpp"
#include "config/settings.hpp"
#include "http/rating_submitter.hpp"
#include "http/request_metrics.hpp"
#include "http/request_pipeline.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <deque>
#include <future>
#include <memory>
#include <optional>
#include <unordered_set>

namespace heymovie::http {

class session;

struct worker {
  worker(uint16_t id, const config::http_settings& settings,
         actors::router_actor router, actors::pipeline_health_ptr health,
         actors::reader_pool_actor readers, persistence::movie_catalog& catalog,
         std::atomic<size_t>& open_connections, bool access_log,
         const access_settings& access);

  /// Sessions on this thread, to finish them when the server drains.
  /// Declared before the io_context so that it outlives it: handlers still
  /// queued when the io_context goes (read answers posted after its thread
  /// stopped) may hold the last reference to a session, which unregisters.
  std::unordered_set<session*> sessions;
  /// Of those, the ones whose socket is open: a session may outlive its
  /// socket while a read job holds it.
  size_t connected_sessions = 0;
  /// Kept when every session has ended, once `close` asked for it.
  std::optional<std::promise<void>> all_ended;
  boost::asio::io_context ioc{1};
  const config::http_settings& settings;
  /// How often every session's connection timeouts are checked.
  const config::duration sweep_period;
  /// How often read deadlines are checked; reads expire this much early.
  const config::duration read_sweep_period;
  request_pipeline pipeline;
  std::shared_ptr<rating_submitter> submitter;
  actors::reader_pool_actor readers;
  request_metrics metrics;
  /// Log one line per request.
  bool access_log;
  /// Sent as X-Served-By when not empty.
  std::string node_name;
  /// Connections open on all workers together.
  std::atomic<size_t>& open_connections;
  /// Set when draining: sessions read no new requests.
  bool draining = false;

  /// Drains this thread's share: no session reads new requests, and the
  /// future is ready once nothing accepted here is owed any more (every
  /// rating answered, every connection closed). Io thread only.
  std::future<void> drain();

  /// Closes every connection at once and stops the sweeps and the
  /// submitter; the future is ready once every session has ended. Io thread
  /// only.
  std::future<void> close();

  /// A session has closed its socket. Io thread only.
  void disconnected();

  /// A session has ended. Io thread only.
  void ended(session* s);

  /// Checks every session's timeouts, and the read deadlines, periodically;
  /// io thread only.
  void start_sweeping();
  void stop_sweeping();

  /// Has `reader` answer its reads due by `deadline` then (503 for those
  /// not answered yet). Io thread only.
  void watch_read_deadline(std::chrono::steady_clock::time_point deadline,
                           std::weak_ptr<session> reader);

private:
  void sweep_sessions();
  void sweep_read_deadlines();
  void report_if_drained();

  /// Kept once a drain has nothing owed.
  std::optional<std::promise<void>> drained_;

  boost::asio::steady_timer sweep_timer_{ioc};
  boost::asio::steady_timer read_sweep_timer_{ioc};
  /// In arrival order, so deadlines ascend (one request deadline per
  /// worker). Only reads: walking every session as often would cost a few
  /// per cent of a core with 10,000 idle connections.
  std::deque<
      std::pair<std::chrono::steady_clock::time_point, std::weak_ptr<session>>>
      read_deadlines_;
};

} // namespace heymovie::http
