#include "persistence/connect.hpp"

#include "persistence/connection_liveness.hpp"

#include <pqxx/except>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <thread>

namespace heymovie::persistence {

using namespace std::chrono_literals;

std::unique_ptr<pqxx::connection>
connect_patiently(const std::string& url, std::chrono::seconds patience) {
  auto give_up_at = std::chrono::steady_clock::now() + patience;
  for (auto pause = 100ms;; pause = std::min(pause * 2, 2000ms)) {
    try {
      return std::make_unique<pqxx::connection>(with_liveness_checks(url));
    } catch (const pqxx::broken_connection& e) {
      if (std::chrono::steady_clock::now() >= give_up_at)
        throw;
      spdlog::warn("database not reachable yet, retrying: {}", e.what());
      std::this_thread::sleep_for(pause);
    }
  }
}

} // namespace heymovie::persistence
