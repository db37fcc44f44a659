// Connection settings that let the service notice a database server that
// vanished without closing the connection (a crashed host, a network
// partition). Without them libpq waits for an answer that never comes, and a
// writer with it, so the service would not resume when the database is back.

#pragma once

#include <string>

namespace heymovie::persistence {

/// `url` (a libpq URI or key=value string) as a key=value string with a
/// connect timeout, TCP keepalives and a TCP user timeout added where `url`
/// does not set them itself. Returns `url` unchanged if libpq cannot parse
/// it, so that connecting reports the error.
std::string with_liveness_checks(const std::string& url);

} // namespace heymovie::persistence
