// Per-thread handles to the HTTP metrics, so that counting a request is an
// atomic increment rather than a label lookup under a lock.

#pragma once

#include "observability/service_metrics.hpp"

#include <chrono>
#include <string_view>
#include <unordered_map>

namespace heymovie::http {

class request_metrics {
public:
  /// Counts an answer of `route` (a route template) with `status`, which
  /// took `elapsed` since the request arrived.
  void record(std::string_view route, unsigned status,
              std::chrono::steady_clock::duration elapsed);

private:
  struct per_route {
    prometheus::Histogram* duration = nullptr;
    std::unordered_map<unsigned, prometheus::Counter*> by_status;
  };

  /// Route templates are string literals: their addresses are stable keys.
  std::unordered_map<const char*, per_route> routes_;
};

} // namespace heymovie::http
