#include "test_database.hpp"

#include "eventually.hpp"
#include "persistence/movie_import.hpp"
#include "persistence/schema.hpp"

#include <pqxx/pqxx>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <unistd.h>

namespace heymovie::testing {

namespace {

std::string with_database(const std::string& url, const std::string& name) {
  // URLs look like postgresql:///DB?params; swap DB.
  auto query = url.find('?');
  auto path_start = url.find('/', url.find("//") + 2);
  return url.substr(0, path_start + 1) + name +
         (query == std::string::npos ? "" : url.substr(query));
}

} // namespace

std::string admin_database_url() {
  auto* url = std::getenv("HEYMOVIE_TEST_DATABASE_URL");
  if (url == nullptr || *url == '\0')
    throw std::runtime_error("HEYMOVIE_TEST_DATABASE_URL is not set: run the "
                             "tests through tools/test");
  return url;
}

int64_t query_int(const std::string& url, const std::string& sql) {
  pqxx::connection conn{url};
  pqxx::read_transaction tx{conn};
  return tx.exec1(sql)[0].as<int64_t>();
}

int64_t lock_waiters(const std::string& url) {
  return query_int(url, "SELECT count(*) FROM pg_stat_activity WHERE datname "
                        "= current_database() AND wait_event_type = 'Lock'");
}

int64_t terminate_other_connections(const std::string& url) {
  return query_int(url, "SELECT count(pg_terminate_backend(pid)) FROM "
                        "pg_stat_activity WHERE datname = current_database() "
                        "AND pid <> pg_backend_pid()");
}

void execute(const std::string& url, const std::string& sql) {
  pqxx::connection conn{url};
  pqxx::nontransaction tx{conn};
  tx.exec0(sql);
}

struct storage_lock::held {
  explicit held(const std::string& url) : conn{url}, tx{conn} {
    // nop
  }

  pqxx::connection conn;
  pqxx::work tx;
};

storage_lock::storage_lock(const std::string& url, const std::string& mode,
                           const std::string& tables)
    : held_(std::make_unique<held>(url)) {
  held_->tx.exec0("LOCK TABLE " + tables + " IN " + mode + " MODE");
}

storage_lock::~storage_lock() = default;

void storage_lock::release() {
  held_.reset();
}

void wait_for_ratings(const std::string& url, int64_t n) {
  eventually("at least " + std::to_string(n) + " ratings in the database", [&] {
    return query_int(url, "SELECT count(*) FROM ratings") >= n;
  });
}

std::string sample_movies_csv() {
  return HEYMOVIE_SOURCE_DIR "/persistence/sample_movies.csv";
}

std::string movielens_dir() {
  // The repository's copy, unless the environment names another.
  if (auto* dir = std::getenv("HEYMOVIE_MOVIELENS_DIR"); dir && *dir)
    return dir;
  return HEYMOVIE_SOURCE_DIR "/tests/data/movielens-small";
}

test_database::test_database() : admin_url_(admin_database_url()) {
  static std::atomic<int> counter{0};
  name_ = "heymovie_test_" + std::to_string(getpid()) + "_" +
          std::to_string(counter++);
  pqxx::connection admin{admin_url_};
  pqxx::nontransaction tx{admin};
  tx.exec("DROP DATABASE IF EXISTS " + tx.quote_name(name_));
  tx.exec("CREATE DATABASE " + tx.quote_name(name_));
  url_ = with_database(admin_url_, name_);
}

// Delegating: the database is dropped even when preparing it fails.
test_database::test_database(const std::string& movies_csv) : test_database() {
  prepare(movies_csv);
}

test_database::~test_database() {
  try {
    pqxx::connection admin{admin_url_};
    pqxx::nontransaction tx{admin};
    tx.exec("DROP DATABASE IF EXISTS " + tx.quote_name(name_) +
            " WITH (FORCE)");
  } catch (...) {
    // Best effort: a leftover test database harms nothing.
  }
}

void test_database::prepare(const std::string& movies_csv) const {
  pqxx::connection conn{url_};
  persistence::migrate(conn);
  std::ifstream in{movies_csv};
  if (!in)
    throw std::runtime_error("cannot open " + movies_csv);
  auto summary = persistence::import_movies(conn, in);
  if (!summary.refused.empty())
    throw std::runtime_error("refused lines in " + movies_csv);
}

} // namespace heymovie::testing
