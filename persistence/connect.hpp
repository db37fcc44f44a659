// Connecting at start-up, when the database may still be coming up (a
// service and its database started together, a database restarting).

#pragma once

#include <pqxx/connection>

#include <chrono>
#include <memory>
#include <string>

namespace heymovie::persistence {

/// A connection to `url` (with liveness checks, see connection_liveness),
/// retried with growing pauses while the server is not reachable, for at
/// most `patience`; then the last error is thrown.
std::unique_ptr<pqxx::connection>
connect_patiently(const std::string& url, std::chrono::seconds patience);

} // namespace heymovie::persistence
