#include "node/storage.hpp"

#include "persistence/connect.hpp"
#include "persistence/movie_reader.hpp"
#include "persistence/rating_writer.hpp"
#include "persistence/schema.hpp"
#include "persistence/sql.hpp"

#include <spdlog/spdlog.h>

#include <atomic>
#include <memory>

namespace heymovie::node {

using namespace std::chrono_literals;

namespace {

std::chrono::milliseconds statement_timeout(const config::settings& s) {
  return std::chrono::ceil<std::chrono::milliseconds>(s.http.request_deadline);
}

} // namespace

std::unique_ptr<pqxx::connection> open_database(const config::settings& s) {
  auto conn = persistence::connect_patiently(s.db.url, 30s);
  if (auto applied = persistence::migrate(*conn); applied > 0)
    spdlog::info("schema: applied {} migration(s)", applied);
  return conn;
}

persistence::batch_writer_factory
postgres_batch_writers(const config::settings& s) {
  persistence::retry_policy retry{s.db.retry_backoff, s.db.retry_backoff_max};
  // The writers take the slots from db.figure-slot on, one each (a writer
  // made again after a failure takes one of them again).
  auto made = std::make_shared<std::atomic<size_t>>(0);
  return [url = s.db.url, retry, timeout = statement_timeout(s),
          first = s.db.figure_slot, writers = s.db.writers, made] {
    auto slot =
        (first + made->fetch_add(1) % writers) % persistence::sql::figure_slots;
    return std::make_unique<persistence::rating_writer>(url, retry, timeout,
                                                        static_cast<int>(slot));
  };
}

persistence::read_queries_factory postgres_readers(const config::settings& s) {
  return [url = s.db.url, timeout = statement_timeout(s)] {
    return std::make_unique<persistence::movie_reader>(url, timeout);
  };
}

} // namespace heymovie::node
