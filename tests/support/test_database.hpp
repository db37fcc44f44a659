// A fresh PostgreSQL database per test, created from the admin URL that
// tools/test exports as HEYMOVIE_TEST_DATABASE_URL and dropped afterwards.

#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace heymovie::testing {

class test_database {
public:
  /// Creates an empty database; fails the test run if PostgreSQL is absent.
  test_database();
  /// Creates a database with the schema and the movies of `movies_csv`.
  explicit test_database(const std::string& movies_csv);
  ~test_database();

  test_database(const test_database&) = delete;
  test_database& operator=(const test_database&) = delete;

  /// libpq URL of the new database.
  const std::string& url() const noexcept { return url_; }

private:
  /// Creates the schema and imports a movies.csv.
  void prepare(const std::string& movies_csv) const;

  std::string admin_url_;
  std::string name_;
  std::string url_;
};

/// The admin URL from the environment; throws when it is not set.
std::string admin_database_url();

/// The one integer `sql` yields in database `url`.
int64_t query_int(const std::string& url, const std::string& sql);

/// Runs `sql` in database `url`, in a transaction of its own (statements
/// separated by `;` share it).
void execute(const std::string& url, const std::string& sql);

/// How many sessions of database `url` wait for a lock now.
int64_t lock_waiters(const std::string& url);

/// Kills every other connection to database `url` (as a restart would);
/// returns how many there were.
int64_t terminate_other_connections(const std::string& url);

/// Holds a lock on `tables` of database `url` (by default those of movies,
/// ratings and figures), in a transaction of its own, until released:
/// statements that need them wait meanwhile.
class storage_lock {
public:
  /// `mode`: "EXCLUSIVE" holds writers back, "ACCESS EXCLUSIVE" readers too.
  storage_lock(const std::string& url, const std::string& mode,
               const std::string& tables = "movies, ratings, movie_figures");
  ~storage_lock();

  storage_lock(const storage_lock&) = delete;
  storage_lock& operator=(const storage_lock&) = delete;

  /// Ends the transaction: the waiting statements go on.
  void release();

private:
  struct held;
  std::unique_ptr<held> held_;
};

/// Waits until database `url` holds at least `n` ratings (a load is under
/// way); fails the test after 10 s.
void wait_for_ratings(const std::string& url, int64_t n);

/// Paths of the data the tests use.
std::string sample_movies_csv();
std::string movielens_dir();

} // namespace heymovie::testing
