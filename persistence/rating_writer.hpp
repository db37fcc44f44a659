// Writes batches of ratings to PostgreSQL, one transaction per batch, over
// one connection that it owns. Blocking: meant for a detached actor.

#pragma once

#include "persistence/db_error.hpp"
#include "persistence/rating.hpp"

#include <pqxx/connection>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace heymovie::persistence {

enum class write_status : uint8_t {
  /// Committed; `replaced` says which rows existed before.
  committed,
  /// Transient errors until the give-up time; nothing is known to be written.
  unavailable,
  /// A permanent error; the transaction was rolled back.
  rejected,
};

struct write_result {
  write_status status = write_status::unavailable;
  /// One entry per row of the batch when committed.
  std::vector<bool> replaced;
  /// The last error seen, when not committed.
  std::string error;
  /// Transactions tried, 1 when nothing went wrong.
  int attempts = 0;
  /// The kind of each failed attempt, in order.
  std::vector<db_error_kind> errors;
  /// How long the successful transaction took, commit included.
  std::chrono::nanoseconds commit_time{0};
};

struct retry_policy {
  std::chrono::nanoseconds backoff{std::chrono::milliseconds{50}};
  std::chrono::nanoseconds backoff_max{std::chrono::seconds{1}};
};

class rating_writer {
public:
  using clock = std::chrono::steady_clock;

  rating_writer(const std::string& url, retry_policy policy);
  ~rating_writer();

  rating_writer(const rating_writer&) = delete;
  rating_writer& operator=(const rating_writer&) = delete;

  /// Writes `rows` (distinct (user, movie) pairs) in one transaction,
  /// reconnecting and retrying transient errors with exponential backoff until
  /// `give_up_at`.
  write_result write(const std::vector<rating>& rows,
                     clock::time_point give_up_at);

  /// Whether the last attempt left a usable connection.
  bool connected() const noexcept { return conn_ != nullptr; }

private:
  void connect();
  std::vector<bool> write_once(const std::vector<rating>& rows);

  std::string url_;
  retry_policy policy_;
  std::unique_ptr<pqxx::connection> conn_;
};

} // namespace heymovie::persistence
