// Keeps warnings that can come by the thousand (rejections under overload,
// retries while the database is down) from drowning the log: at most one line
// per interval, saying how many were held back meanwhile.

#pragma once

#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <string>

namespace heymovie::observability {

class log_throttle {
public:
  explicit log_throttle(
      std::chrono::steady_clock::duration interval = std::chrono::seconds{5})
      : interval_(interval) {
    // nop
  }

  /// Logs `message` at `level` unless a line went out less than an interval
  /// ago; thread-safe.
  void log(spdlog::level::level_enum level, const std::string& message) {
    auto now = std::chrono::steady_clock::now().time_since_epoch().count();
    auto last = last_.load(std::memory_order_relaxed);
    if (last != 0 && now - last < interval_.count()) {
      held_back_.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    if (!last_.compare_exchange_strong(last, now)) {
      held_back_.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    auto held = held_back_.exchange(0);
    if (held > 0)
      spdlog::log(level, "{} ({} more like it since the last report)", message,
                  held);
    else
      spdlog::log(level, "{}", message);
  }

private:
  std::chrono::steady_clock::duration interval_;
  std::atomic<std::chrono::steady_clock::rep> last_{0};
  std::atomic<uint64_t> held_back_{0};
};

} // namespace heymovie::observability
