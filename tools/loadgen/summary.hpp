// The end of a run in numbers, as text for people and as JSON for scripts
// (keys: requests, seconds, rate, ok_rate, status {code: count}, latency_ms
// {p50, p90, p99, p999, max}, plus failures {kind: count} and stopped_by).

#pragma once

#include "loadgen/run_stats.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <string>

namespace heymovie::loadgen {

struct run_summary {
  uint64_t requests = 0;
  double seconds = 0;
  double rate = 0;                          // requests finished per second
  double ok_rate = 0;                       // 2xx answers per second
  std::map<int, uint64_t> status;           // 0: no answer
  std::map<std::string, uint64_t> failures; // why no answer, nonzero only
  double p50_ms = 0;
  double p90_ms = 0;
  double p99_ms = 0;
  double p999_ms = 0;
  double max_ms = 0;
  std::string stopped_by;
};

/// `elapsed`: from t0 to the last answer.
run_summary summarize(const run_stats& stats, std::chrono::nanoseconds elapsed,
                      std::string stopped_by);

std::string format_summary(const run_summary& summary);

std::string summary_json(const run_summary& summary);

} // namespace heymovie::loadgen
