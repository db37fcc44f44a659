// `loadgen idle`: a helper for measuring what idle connections cost the
// service. It opens N connections (at most 256 connecting at once), makes
// sure each is accepted with one GET /healthz (unless --probe=false), then
// holds them open without sending anything for --hold seconds, and reports
// how many are still open at the end. SIGINT/SIGTERM end the hold early.

#pragma once

#include "loadgen/command_line.hpp"
#include "loadgen/run_options.hpp"

#include <chrono>
#include <vector>

namespace heymovie::loadgen {

struct idle_options {
  server_address server{"127.0.0.1", 8080};
  size_t connections = 100;
  std::chrono::nanoseconds hold = std::chrono::seconds{10};
  bool probe = true;
  std::chrono::nanoseconds timeout = std::chrono::seconds{10};
};

const std::vector<option_spec>& idle_option_table();

/// Throws usage_error when a value does not fit.
idle_options parse_idle_options(const command_line& args);

/// The exit code: 0, or 1 when the server cannot be resolved.
int hold_idle(const idle_options& options);

} // namespace heymovie::loadgen
