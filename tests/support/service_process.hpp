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
  /// until it is ready; throws if it exits or is not ready in time. It
  /// verifies tokens with the test secret (see tokens.hpp) and has its admin
  /// listener on a port of its own.
  service_process(const std::string& db_url,
                  std::vector<std::string> extra_args = {});
  /// The same, with the service's output going to `log_file`.
  service_process(const std::string& db_url,
                  std::vector<std::string> extra_args, std::string log_file);
  ~service_process();

  service_process(const service_process&) = delete;
  service_process& operator=(const service_process&) = delete;

  uint16_t port() const noexcept { return port_; }
  /// The admin listener's port (/metrics).
  uint16_t admin_port() const noexcept { return admin_port_; }
  pid_t pid() const noexcept { return pid_; }

  /// Sends `signal` and waits for the exit; returns the exit status (or
  /// 128 + signal number if it died of a signal, -1 on timeout).
  int stop(int signal, std::chrono::seconds timeout = std::chrono::seconds{20});

  /// Whether the process still runs.
  bool running();

  /// Starts the service again after it stopped, on the same port.
  void restart();

  /// What the service wrote so far (with a log file only).
  std::string log() const;

private:
  void launch();
  void wait_until_ready();

  pid_t pid_ = -1;
  uint16_t port_ = 0;
  uint16_t admin_port_ = 0;
  std::vector<std::string> args_;
  std::string log_file_;
};

/// A path in /tmp for this test process's files (records, logs).
std::string temp_path(const std::string& name);

/// Runs the binary to completion (e.g. `import-movies PATH`); returns its
/// exit status.
int run_heymovie(const std::vector<std::string>& args);

/// Starts a program with arguments (output appended to `log_file` if not
/// empty); returns its pid.
pid_t spawn_program(const std::string& path,
                    const std::vector<std::string>& args,
                    const std::string& log_file = {});

/// Waits for a process started with spawn_program; returns its exit status
/// (128 + signal if killed), or -1 if it did not end within `timeout`.
int wait_program(pid_t pid, std::chrono::seconds timeout);

} // namespace heymovie::testing
