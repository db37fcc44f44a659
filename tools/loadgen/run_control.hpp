// The main thread's part of a run: it ends the run when --duration is over
// or on SIGINT/SIGTERM (stop sending, let the requests in flight finish
// within --timeout; a second signal gives them up), prints progress when
// asked, and returns once every worker is done.

#pragma once

#include "loadgen/worker.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace heymovie::loadgen {

class run_control {
public:
  run_control(std::vector<worker*> workers,
              std::optional<std::chrono::nanoseconds> duration, bool progress);

  /// Any thread: a worker has finished.
  void worker_done();

  /// Blocks until every worker is done; `start` is the run's t0.
  void run(steady_clock::time_point start);

  /// Why the run ended: "end of workload", "duration" or "signal".
  const std::string& stopped_by() const { return stopped_by_; }

private:
  void stop_all(const std::string& why);
  void await_signal();
  void tick();

  boost::asio::io_context ioc_{1};
  boost::asio::signal_set signals_;
  boost::asio::steady_timer deadline_;
  boost::asio::steady_timer progress_;
  std::vector<worker*> workers_;
  std::optional<std::chrono::nanoseconds> duration_;
  bool show_progress_;
  size_t running_;
  std::string stopped_by_ = "end of workload";
  bool stopping_ = false;
  steady_clock::time_point start_;
  uint64_t last_finished_ = 0;
  uint64_t last_ok_ = 0;
};

} // namespace heymovie::loadgen
