// Opening connections: every connection of the service goes through
// `open_connection`, which notes the server it reached, so that a failover
// (a multi-host URL, another server now primary) is visible in the logs and
// the metrics; and at start-up, `connect_patiently` waits for a database that
// may still be coming up (a service and its database started together, a
// database restarting).

#pragma once

#include <pqxx/connection>

#include <chrono>
#include <memory>
#include <string>

namespace heymovie::persistence {

/// A connection to `url`, as given (liveness checks are the caller's); the
/// server it reached ("host:port") is logged and counted when it is another
/// than the one this process reached before.
std::unique_ptr<pqxx::connection> open_connection(const std::string& url);

/// A connection to `url` (with liveness checks, see connection_liveness),
/// retried with growing pauses while the server is not reachable, for at
/// most `patience`; then the last error is thrown.
std::unique_ptr<pqxx::connection>
connect_patiently(const std::string& url, std::chrono::seconds patience);

/// "host:port" of the server `conn` talks to (for a Unix socket, its
/// directory and port).
std::string server_address(pqxx::connection_base& conn);

} // namespace heymovie::persistence
