// A PostgreSQL cluster of a test's own (tools/postgres with HEYMOVIE_PG_HOME),
// for tests that stop and start the database under a running service
// without disturbing the cluster the other tests share.

#pragma once

#include <string>

namespace heymovie::testing {

class private_cluster {
public:
  /// Creates and starts the cluster with a `heymovie` database.
  private_cluster();
  /// Stops the cluster and removes its files.
  ~private_cluster();

  private_cluster(const private_cluster&) = delete;
  private_cluster& operator=(const private_cluster&) = delete;

  void start();
  void stop();

  /// libpq URL of database `heymovie` in this cluster.
  const std::string& url() const noexcept { return url_; }

private:
  int run(const std::string& command) const;

  std::string home_;
  std::string url_;
};

/// Runs a shell command; returns its standard output (throws on failure).
std::string shell_output(const std::string& command);

} // namespace heymovie::testing
