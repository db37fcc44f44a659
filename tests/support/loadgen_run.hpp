// tools/loadgen running in the background against a service, recording every
// answer, so that a test can break things meanwhile and then check the run's
// summary and `loadgen verify` the database.

#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <sys/types.h>
#include <vector>

namespace heymovie::testing {

class loadgen_run {
public:
  /// Starts a synthetic run over the sample catalogue against
  /// 127.0.0.1:`port`, with a bearer token per user (see tokens.hpp);
  /// `extra` adds options (connections, duration...).
  loadgen_run(uint16_t port, std::vector<std::string> extra);
  /// Kills a run that was not finished.
  ~loadgen_run();

  loadgen_run(const loadgen_run&) = delete;
  loadgen_run& operator=(const loadgen_run&) = delete;

  /// Waits for the run to end (it must exit 0); returns its JSON summary.
  nlohmann::json finish();

  /// `loadgen verify` of the record against database `db_url`; its exit
  /// status (0: everything acknowledged is there, aggregates match).
  int verify(const std::string& db_url) const;

private:
  pid_t pid_ = -1;
  std::string record_;
  std::string summary_;
};

/// How many answers of a run's summary had HTTP status `code` ("0": none).
int64_t status_count(const nlohmann::json& summary, const std::string& code);

} // namespace heymovie::testing
