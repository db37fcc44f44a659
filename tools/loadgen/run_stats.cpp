#include "loadgen/run_stats.hpp"

#include <algorithm>

namespace heymovie::loadgen {

std::string_view to_string(failure_kind kind) {
  switch (kind) {
  case failure_kind::refused:
    return "refused";
  case failure_kind::closed:
    return "closed";
  case failure_kind::timeout:
    return "timeout";
  case failure_kind::aborted:
    return "aborted";
  default:
    return "other";
  }
}

run_stats::run_stats(bool per_second_latency)
    : per_second_latency_(per_second_latency) {}

void run_stats::add(int status, std::chrono::nanoseconds latency,
                    std::chrono::nanoseconds since_start) {
  ++by_status_[static_cast<size_t>(std::clamp(status, 0, 999))];
  latency_.record(latency);
  last_ = std::max(last_, since_start);
  auto second = static_cast<size_t>(
      std::max<int64_t>(0, since_start.count() / 1'000'000'000));
  if (second >= seconds_.size()) {
    seconds_.resize(second + 1);
    if (per_second_latency_)
      second_latencies_.resize(second + 1);
  }
  ++seconds_[second].requests;
  if (status >= 200 && status < 300)
    ++seconds_[second].ok;
  if (per_second_latency_)
    second_latencies_[second].record(latency);
}

void run_stats::merge(const run_stats& other) {
  for (size_t i = 0; i < by_status_.size(); ++i)
    by_status_[i] += other.by_status_[i];
  for (size_t i = 0; i < failures_.size(); ++i)
    failures_[i] += other.failures_[i];
  latency_.merge(other.latency_);
  last_ = std::max(last_, other.last_);
  if (other.seconds_.size() > seconds_.size())
    seconds_.resize(other.seconds_.size());
  for (size_t i = 0; i < other.seconds_.size(); ++i) {
    seconds_[i].requests += other.seconds_[i].requests;
    seconds_[i].ok += other.seconds_[i].ok;
  }
  if (other.second_latencies_.size() > second_latencies_.size())
    second_latencies_.resize(other.second_latencies_.size());
  for (size_t i = 0; i < other.second_latencies_.size(); ++i)
    second_latencies_[i].merge(other.second_latencies_[i]);
}

uint64_t run_stats::ok() const {
  uint64_t sum = 0;
  for (int status = 200; status < 300; ++status)
    sum += by_status_[static_cast<size_t>(status)];
  return sum;
}

} // namespace heymovie::loadgen
