// What `loadgen run` is told: the server, the workload (a MovieLens replay
// or synthetic ratings), closed or open loop, and what to write at the end.
// Parsing checks every value and the combinations, so the run itself never
// meets a bad setting.

#pragma once

#include "loadgen/command_line.hpp"

#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace heymovie::loadgen {

/// Where to send requests: `http://host:port`.
struct server_address {
  std::string host;
  uint16_t port = 80;

  /// The Host header: `host:port` (`[v6]:port`).
  std::string authority() const {
    auto name = host.find(':') == std::string::npos ? host : "[" + host + "]";
    return name + ":" + std::to_string(port);
  }
};

/// Parses `http://host[:port][/]`; nothing for anything else (no TLS).
std::optional<server_address> parse_url(std::string_view url);

class command_line;

/// The server named by `--url`, or `fallback` without one; throws
/// usage_error for a malformed URL.
server_address url_option(const command_line& args, server_address fallback);

enum class workload_kind { replay, synthetic };

struct run_options {
  server_address server{"127.0.0.1", 8080};
  workload_kind workload = workload_kind::synthetic;

  // --replay
  std::string ratings_path;
  uint64_t limit = std::numeric_limits<uint64_t>::max();

  // --synthetic
  std::string movies_path;
  int32_t users = 100000;
  double zipf = 1.0;
  double rerate = 0.1;
  uint64_t count = std::numeric_limits<uint64_t>::max();
  uint64_t seed = 1;
  bool timestamps = false;

  /// No limit when empty.
  std::optional<std::chrono::nanoseconds> duration;
  size_t connections = 64;
  /// Requests per second for the open loop; the closed loop when empty.
  std::optional<double> rate;
  std::chrono::nanoseconds timeout = std::chrono::seconds{10};
  size_t threads = 1;

  /// The service's HS256 secret file (--token-secret): requests carry
  /// bearer tokens minted with it.
  std::string token_secret_path;
  /// One import token for all (--token-scope=import; the default for
  /// replays and dated synthetic ratings), else a token per user.
  bool import_token = false;

  std::string json_path;
  std::string plot_path;
  std::string record_path;
  bool progress = false;
};

/// The options `loadgen run` accepts, for parsing and usage.
const std::vector<option_spec>& run_option_table();

/// Throws usage_error when a value or combination does not fit.
run_options parse_run_options(const command_line& args);

/// Seconds as a duration (command lines take fractional seconds).
std::chrono::nanoseconds seconds_to_duration(double seconds);

} // namespace heymovie::loadgen
