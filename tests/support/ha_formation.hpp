// A replicated PostgreSQL of a test's own: `tools/postgres ha` (a
// pg_auto_failover monitor, a primary and a synchronous standby) in a folder
// and on ports of its own, for tests that lose the primary under a running
// service.

#pragma once

#include <string>

namespace heymovie::testing {

class ha_formation {
public:
  /// Creates and starts the formation, with a `heymovie` database; returns
  /// once a primary and a secondary are healthy.
  ha_formation();
  /// Stops it and removes its files.
  ~ha_formation();

  ha_formation(const ha_formation&) = delete;
  ha_formation& operator=(const ha_formation&) = delete;

  /// The multi-host URL of database `heymovie` (the primary, wherever it is).
  const std::string& url() const noexcept { return url_; }

  /// `tools/postgres ha COMMAND` on this formation; its output (throws when
  /// it fails).
  std::string ha(const std::string& command) const;

private:
  std::string home_;
  std::string environment_;
  std::string url_;
};

} // namespace heymovie::testing
