// What the rating pipeline needs of storage on the write side: a batch of
// ratings written in one transaction, with what became of each row. The
// actors depend on this interface only; `rating_writer` is the PostgreSQL
// implementation, and the unit tests bring an in-memory one. Failures are
// values (row statuses and error kinds), never exceptions.

#pragma once

#include "persistence/db_error.hpp"
#include "persistence/rating.hpp"

#include <algorithm>
#include <chrono>
#include <functional>
#include <memory>
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

  /// How many rows have `status`.
  size_t count(row_status status) const noexcept {
    return static_cast<size_t>(std::count(rows.begin(), rows.end(), status));
  }

  /// Whether every row was committed.
  bool committed() const noexcept {
    return count(row_status::created) + count(row_status::replaced) ==
           rows.size();
  }
};

class batch_writer {
public:
  using clock = std::chrono::steady_clock;

  virtual ~batch_writer() = default;

  /// Writes `rows` (distinct (user, movie) pairs) in one transaction,
  /// retrying transient errors until `give_up_at`; rows it refuses (a movie
  /// that is not there) do not keep the others from being written. Blocking.
  virtual write_result write(const std::vector<rating>& rows,
                             clock::time_point give_up_at) = 0;
};

/// Makes a writer; called on the thread that will use it.
using batch_writer_factory = std::function<std::unique_ptr<batch_writer>()>;

} // namespace heymovie::persistence
