// In-memory storage behind persistence's interfaces (batch_writer,
// read_queries), so that the actors can be tested without PostgreSQL. It
// keeps ratings and per-movie aggregates as the real schema does, shared by
// every writer and reader made from it, and has switches to hold writes at
// a gate (to look at what happened before a commit), to fail them or to
// crash the writer.

#pragma once

#include "persistence/batch_writer.hpp"
#include "persistence/read_queries.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <utility>
#include <vector>

namespace heymovie::testing {

class memory_storage : public std::enable_shared_from_this<memory_storage> {
public:
  using clock = persistence::batch_writer::clock;

  /// Movies the database knows.
  explicit memory_storage(std::vector<int32_t> movies);

  /// Writers and readers on this storage.
  persistence::batch_writer_factory writers();
  persistence::read_queries_factory readers();

  // -- what is stored ---------------------------------------------------------

  std::optional<persistence::rating> rating_of(int32_t user,
                                               int32_t movie) const;

  /// A movie's vote count and sum of half stars.
  std::pair<int64_t, int64_t> aggregate_of(int32_t movie) const;

  /// Every row committed, in commit order.
  std::vector<persistence::rating> commits() const;

  /// Batches written (committed or refused), in order, by size.
  std::vector<size_t> batches() const;

  // -- switches ---------------------------------------------------------------

  /// Writes wait at the gate until it opens (or their batch's time is up:
  /// then, as with a stalled database, nothing is written).
  void close_gate();
  void open_gate();

  /// Blocks until `n` writes wait at the closed gate; fails the test after
  /// 10 s.
  void await_waiting_writes(size_t n);

  /// The next write answers every row with `status` and writes nothing
  /// (unavailable: the database was down; failed: it refused the batch).
  void fail_next_write(persistence::row_status status);

  /// The next write throws, as a bug in a writer would: its actor dies.
  void crash_next_write();

  /// The next `n` read queries fail with an error of `kind`.
  void fail_next_reads(int n, persistence::db_error_kind kind);

  /// Read queries run so far.
  int reads() const;

  // -- what the writers and readers call --------------------------------------

  persistence::write_result write(const std::vector<persistence::rating>& rows,
                                  clock::time_point give_up_at);

  /// The error the next read must answer, if one was asked for.
  std::optional<persistence::db_error> next_read_error();

  /// Every rating, keyed by (user, movie).
  std::map<std::pair<int32_t, int32_t>, persistence::rating> ratings() const;

  bool knows_movie(int32_t movie) const;

  /// The movies known, in ascending order.
  std::vector<int32_t> movies() const;

private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::set<int32_t> movies_;
  std::map<std::pair<int32_t, int32_t>, persistence::rating> ratings_;
  std::map<int32_t, std::pair<int64_t, int64_t>> aggregates_;
  std::vector<persistence::rating> commits_;
  std::vector<size_t> batches_;
  bool gate_open_ = true;
  size_t waiting_ = 0;
  std::optional<persistence::row_status> fail_next_;
  bool crash_next_ = false;
  int failing_reads_ = 0;
  persistence::db_error_kind read_error_kind_ =
      persistence::db_error_kind::connection;
  int reads_ = 0;
};

} // namespace heymovie::testing
