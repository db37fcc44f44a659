// Writes batches of ratings to PostgreSQL, one transaction per batch, over
// one connection that it owns. Blocking: meant for a detached actor.

#pragma once

#include "persistence/db_error.hpp"
#include "persistence/rating.hpp"

#include <pqxx/connection>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace heymovie::persistence {

/// What became of one row of a batch.
enum class row_status : uint8_t {
  /// Committed, and the (user, movie) pair is new.
  created,
  /// Committed, replacing the user's earlier rating of the movie.
  replaced,
  /// Refused: its movie is not in the movies table.
  unknown_movie,
  /// Refused by the database for a reason retrying cannot fix.
  failed,
  /// Not written: transient errors until the give-up time.
  unavailable,
};

struct write_result {
  /// One entry per row of the batch.
  std::vector<row_status> rows;
  /// The last error seen, if any.
  std::string error;
  /// Statements tried, 1 when nothing went wrong.
  int attempts = 0;
  /// Statements tried again after a transient error (a split batch's parts
  /// are attempts, not retries).
  int retries = 0;
  /// The kind of each failed attempt, in order.
  std::vector<db_error_kind> errors;
  /// How long the committed statements took, commits included.
  std::chrono::nanoseconds commit_time{0};

  /// Whether every row was committed.
  bool committed() const noexcept;
  /// How many rows have `status`.
  size_t count(row_status status) const noexcept;
};

struct retry_policy {
  std::chrono::nanoseconds backoff{std::chrono::milliseconds{50}};
  std::chrono::nanoseconds backoff_max{std::chrono::seconds{1}};
};

class rating_writer {
public:
  using clock = std::chrono::steady_clock;

  /// `statement_timeout`: how long one statement may run; zero for no limit.
  rating_writer(const std::string& url, retry_policy policy,
                std::chrono::milliseconds statement_timeout = {});
  ~rating_writer();

  rating_writer(const rating_writer&) = delete;
  rating_writer& operator=(const rating_writer&) = delete;

  /// Writes `rows` (distinct (user, movie) pairs) in one transaction,
  /// reconnecting and retrying transient errors with exponential backoff until
  /// `give_up_at`. When the database refuses some rows (a movie no longer in
  /// the table), the others are written without them, in transactions of
  /// their own.
  write_result write(const std::vector<rating>& rows,
                     clock::time_point give_up_at);

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
  /// The statement_timeout the connection has now.
  std::chrono::milliseconds applied_timeout_{0};
  std::unique_ptr<pqxx::connection> conn_;
};

} // namespace heymovie::persistence
