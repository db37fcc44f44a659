#include "node/stop_watchdog.hpp"

#include <spdlog/spdlog.h>

#include <cstdlib>

namespace heymovie::node {

using namespace std::chrono_literals;

stop_watchdog::stop_watchdog(std::chrono::milliseconds budget)
    : thread_{[this, budget] {
        watch(budget);
      }} {
  // nop
}

stop_watchdog::~stop_watchdog() {
  {
    std::lock_guard<std::mutex> guard{mutex_};
    stopped_ = true;
  }
  stopped_changed_.notify_one();
  thread_.join();
}

std::chrono::milliseconds stop_watchdog::budget_for(const config::settings& s) {
  return std::chrono::ceil<std::chrono::milliseconds>(
      2 * s.http.request_deadline + 3s);
}

void stop_watchdog::watch(std::chrono::milliseconds budget) {
  std::unique_lock<std::mutex> lock{mutex_};
  if (stopped_changed_.wait_for(lock, budget, [this] { return stopped_; }))
    return;
  spdlog::critical("stopping took over {} ms (a database call does not "
                   "return); exiting without waiting for it",
                   budget.count());
  spdlog::default_logger()->flush();
  std::_Exit(1);
}

} // namespace heymovie::node
