// Ends the process when stopping takes longer than its budget: a DB writer or
// reader blocked in libpq on a database that no longer answers (frozen, not
// down: statement_timeout needs a running server, and a Unix socket has no
// keepalive) would otherwise keep it for ever. Whatever such a call held was
// never acknowledged, so exiting loses nothing promised.

#pragma once

#include "config/settings.hpp"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace heymovie::node {

class stop_watchdog {
public:
  /// Starts watching: after `budget`, unless destroyed first, it logs why
  /// and exits with status 1.
  explicit stop_watchdog(std::chrono::milliseconds budget);
  ~stop_watchdog();

  stop_watchdog(const stop_watchdog&) = delete;
  stop_watchdog& operator=(const stop_watchdog&) = delete;

  /// How long stopping may take: the drain (each open request's deadline
  /// and a second), then the writers' last statements (each within the
  /// deadline), and a margin.
  static std::chrono::milliseconds budget_for(const config::settings& s);

private:
  void watch(std::chrono::milliseconds budget);

  std::mutex mutex_;
  std::condition_variable stopped_changed_;
  bool stopped_ = false;
  std::thread thread_; // last: starts once the rest exists
};

} // namespace heymovie::node
