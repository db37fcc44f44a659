#include "http/request_metrics.hpp"

#include <string>

namespace heymovie::http {

void request_metrics::record(std::string_view route, unsigned status,
                             std::chrono::steady_clock::duration elapsed) {
  auto& entry = routes_[route.data()];
  auto& metrics = observability::service_metrics::instance();
  if (entry.duration == nullptr)
    entry.duration = &metrics.http_request_duration(std::string{route});
  auto& count = entry.by_status[status];
  if (count == nullptr)
    count = &metrics.http_requests(std::string{route}, std::to_string(status));
  count->Increment();
  entry.duration->Observe(std::chrono::duration<double>(elapsed).count());
}

} // namespace heymovie::http
