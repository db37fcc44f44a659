// The real `heymovie` binary, started for a black-box test on a free port and
// awaited until GET /healthz answers (a readiness check, not a sleep).

#pragma once

#include <chrono>
#include <string>
#include <sys/types.h>
#include <vector>

namespace heymovie::testing {

class service_process {
public:
  /// Starts `heymovie serve` against `db_url` with `extra_args`, and waits
  /// until it is ready; throws if it exits or is not ready in time.
  service_process(const std::string& db_url,
                  std::vector<std::string> extra_args = {});
  ~service_process();

  service_process(const service_process&) = delete;
  service_process& operator=(const service_process&) = delete;

  uint16_t port() const noexcept { return port_; }
  pid_t pid() const noexcept { return pid_; }

  /// Sends `signal` and waits for the exit; returns the exit status (or
  /// 128 + signal number if it died of a signal, -1 on timeout).
  int stop(int signal, std::chrono::seconds timeout = std::chrono::seconds{20});

  /// Whether the process still runs.
  bool running();

private:
  void wait_until_ready();

  pid_t pid_ = -1;
  uint16_t port_ = 0;
};

/// Runs the binary to completion (e.g. `import-movies PATH`); returns its
/// exit status.
int run_heymovie(const std::vector<std::string>& args);

} // namespace heymovie::testing
