// The PostgreSQL batch_writer: writes batches of ratings, one transaction per
// batch, over one connection that it owns. Blocking: meant for a detached
// actor.

#pragma once

#include "persistence/batch_writer.hpp"
#include "persistence/db_error.hpp"
#include "persistence/rating.hpp"

#include <pqxx/connection>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace heymovie::persistence {

struct retry_policy {
  std::chrono::nanoseconds backoff{std::chrono::milliseconds{50}};
  std::chrono::nanoseconds backoff_max{std::chrono::seconds{1}};
};

class rating_writer final : public batch_writer {
public:
  /// `statement_timeout`: how long one statement may run; zero for no limit.
  /// `figure_slot`: which of the movies' figure rows this writer adds to
  /// (0..sql::figure_slots - 1, see sql.hpp); writers that share one wait
  /// for each other's rows.
  rating_writer(const std::string& url, retry_policy policy,
                std::chrono::milliseconds statement_timeout = {},
                int figure_slot = 0);
  ~rating_writer() override;

  rating_writer(const rating_writer&) = delete;
  rating_writer& operator=(const rating_writer&) = delete;

  /// Writes `rows` (distinct (user, movie) pairs) in one transaction,
  /// reconnecting and retrying transient errors with exponential backoff until
  /// `give_up_at`. When the database refuses some rows (a movie no longer in
  /// the table), the others are written without them, in transactions of
  /// their own.
  write_result write(const std::vector<rating>& rows,
                     clock::time_point give_up_at) override;

  /// Whether the last attempt left a usable connection.
  bool connected() const noexcept { return conn_ != nullptr; }

private:
  struct range {
    size_t begin;
    size_t end;
  };

  void connect();
  /// Sets the connection's statement_timeout to `limit` unless it has it.
  void limit_statement_time(std::chrono::milliseconds limit);
  /// Writes `part` of `rows`; a refusal of some of its rows splits it in
  /// halves, each written on its own, until the refused rows stand alone.
  void settle(const std::vector<rating>& rows, range part,
              clock::time_point give_up_at, write_result& result);
  /// Writes `part` of `rows` in one statement with retries; the error that
  /// ended the attempts if it did not commit.
  std::optional<db_error> write_with_retries(const std::vector<rating>& rows,
                                             range part,
                                             clock::time_point give_up_at,
                                             write_result& result);
  /// One statement; fills `result.rows` for `part`.
  void write_once(const std::vector<rating>& rows, range part,
                  write_result& result);

  std::string url_;
  retry_policy policy_;
  std::chrono::milliseconds statement_timeout_;
  int figure_slot_;
  /// The statement_timeout the connection has now.
  std::chrono::milliseconds applied_timeout_{0};
  std::unique_ptr<pqxx::connection> conn_;
};

} // namespace heymovie::persistence
