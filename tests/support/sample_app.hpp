// How most end-to-end scenarios begin: a fresh database with the sample
// catalogue, and the real heymovie binary serving it on a free port.

#pragma once

#include "support/service_process.hpp"
#include "support/test_database.hpp"

#include <string>
#include <vector>

namespace heymovie::testing {

class sample_app {
public:
  /// `args`: options for the service beyond the address, port and database.
  explicit sample_app(std::vector<std::string> args = {});

  /// The same, the service logging at level info into a file of this test
  /// process's named after `log_name` (see `log`).
  sample_app(std::vector<std::string> args, const std::string& log_name);

  uint16_t port() const noexcept { return service.port(); }
  const std::string& db_url() const noexcept { return db.url(); }

  /// What the service logged so far (with a log file only).
  std::string log() const { return service.log(); }

  test_database db;
  service_process service;
};

} // namespace heymovie::testing
