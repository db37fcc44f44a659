#include "persistence/connect.hpp"

#include "observability/service_metrics.hpp"
#include "persistence/connection_liveness.hpp"

#include <pqxx/except>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <mutex>
#include <thread>

namespace heymovie::persistence {

using namespace std::chrono_literals;

namespace {

/// The server this process's connections reached last: a new connection to
/// another one is a failover (or a switchover, or a new URL).
void note_server(const std::string& address) {
  static std::mutex mtx;
  static std::string last;
  std::lock_guard<std::mutex> guard{mtx};
  if (address == last)
    return;
  auto& metrics = observability::service_metrics::instance();
  if (last.empty()) {
    spdlog::info("database: connected to {}", address);
  } else {
    spdlog::warn("database: now connected to {}, before to {}", address, last);
    metrics.db_server_changes.Increment();
    metrics.db_server(last).Set(0);
  }
  metrics.db_server(address).Set(1);
  last = address;
}

} // namespace

std::string server_address(pqxx::connection_base& conn) {
  auto* host = conn.hostname();
  auto* port = conn.port();
  return std::string{host != nullptr ? host : ""} + ":" +
         (port != nullptr ? port : "");
}

std::unique_ptr<pqxx::connection> open_connection(const std::string& url) {
  auto conn = std::make_unique<pqxx::connection>(url);
  note_server(server_address(*conn));
  return conn;
}

std::unique_ptr<pqxx::connection>
connect_patiently(const std::string& url, std::chrono::seconds patience) {
  auto give_up_at = std::chrono::steady_clock::now() + patience;
  for (auto pause = 100ms;; pause = std::min(pause * 2, 2000ms)) {
    try {
      return open_connection(with_liveness_checks(url));
    } catch (const pqxx::broken_connection& e) {
      if (std::chrono::steady_clock::now() >= give_up_at)
        throw;
      spdlog::warn("database not reachable yet, retrying: {}", e.what());
      std::this_thread::sleep_for(pause);
    }
  }
}

} // namespace heymovie::persistence
