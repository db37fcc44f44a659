// What a run saw, kept per worker thread without locks and merged at the
// end: answers by status (0 = none), why requests got none, the latency
// histogram, and per second of the run the requests finished, 2xx answers
// and (for plots) a latency histogram.

#pragma once

#include "loadgen/latency_histogram.hpp"

#include <array>
#include <chrono>
#include <cstdint>
#include <string_view>
#include <vector>

namespace heymovie::loadgen {

/// Why a request got no answer (status 0).
enum class failure_kind { refused, closed, timeout, aborted, other };

inline constexpr size_t failure_kind_count = 5;

std::string_view to_string(failure_kind kind);

/// Requests that finished within one second of the run.
struct second_counts {
  uint64_t requests = 0;
  uint64_t ok = 0;
};

class run_stats {
public:
  /// Per-second histograms cost 24 KiB a second: only for plots.
  explicit run_stats(bool per_second_latency);

  /// A finished request; `since_start` places it in its second.
  void add(int status, std::chrono::nanoseconds latency,
           std::chrono::nanoseconds since_start);

  void add_failure(failure_kind kind) {
    ++failures_[static_cast<size_t>(kind)];
  }

  void merge(const run_stats& other);

  uint64_t requests() const { return latency_.count(); }

  /// Answers with a 2xx status.
  uint64_t ok() const;

  /// Index: the HTTP status, 0 for no answer.
  const std::array<uint64_t, 1000>& by_status() const { return by_status_; }

  const std::array<uint64_t, failure_kind_count>& failures() const {
    return failures_;
  }

  const latency_histogram& latency() const { return latency_; }

  const std::vector<second_counts>& seconds() const { return seconds_; }

  /// Empty unless per-second latencies were asked for.
  const std::vector<latency_histogram>& second_latencies() const {
    return second_latencies_;
  }

  /// When the last request finished, from the start of the run.
  std::chrono::nanoseconds last_completion() const { return last_; }

private:
  bool per_second_latency_;
  std::array<uint64_t, 1000> by_status_{};
  std::array<uint64_t, failure_kind_count> failures_{};
  latency_histogram latency_;
  std::vector<second_counts> seconds_;
  std::vector<latency_histogram> second_latencies_;
  std::chrono::nanoseconds last_{0};
};

} // namespace heymovie::loadgen
