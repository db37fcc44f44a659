// The pure logic of a rating shard, without actors: it queues commands into
// batches of distinct (user, movie) pairs, coalescing repeats of a pair inside
// the open batch (the later rating wins), bounds the number of waiting
// requests, and turns a batch's database result into per-request outcomes.

#pragma once

#include "actors/messages.hpp"

#include <deque>
#include <unordered_map>
#include <utility>
#include <vector>

namespace heymovie::actors {

/// A request waiting for its batch.
struct waiter {
  ticket id = 0;
  /// Index of its row in the batch's `rows`.
  uint32_t row = 0;
  /// Where its outcome goes (an index the shard keeps).
  uint16_t reply_to = 0;
};

struct pending_batch {
  /// One per distinct (user, movie), holding the latest rating. Once the
  /// batch is taken they may be moved out: its outcomes need only `waiters`.
  std::vector<rating> rows;
  /// In arrival order; several may share a row.
  std::vector<waiter> waiters;
};

class rating_batcher {
public:
  /// `batch_size`: distinct rows per batch; `limit`: waiting requests at most,
  /// counting the batch in flight.
  rating_batcher(size_t batch_size, size_t limit);

  /// Queues `cmd`; false when the limit is reached (nothing queued).
  bool add(const rating_command& cmd, uint16_t reply_to);

  /// Whether no batch is queued (a batch in flight does not count).
  bool empty() const noexcept { return queue_.empty(); }

  /// Whether the oldest queued batch has reached the batch size.
  bool front_full() const noexcept;

  /// Removes the oldest queued batch and counts it as in flight.
  pending_batch take();

  /// Marks `waiters` of the batch in flight as answered.
  void release(size_t waiters) noexcept;

  /// Requests queued or in flight.
  size_t pending() const noexcept { return queued_ + in_flight_; }

  size_t limit() const noexcept { return limit_; }

private:
  size_t batch_size_;
  size_t limit_;
  std::deque<pending_batch> queue_;
  /// (user, movie) -> row, for the newest queued batch only.
  std::unordered_map<uint64_t, uint32_t> newest_rows_;
  size_t queued_ = 0;
  size_t in_flight_ = 0;
};

/// The outcome of each waiter of `batch`, in arrival order, given what the
/// database did with it. Of several requests for one row the first is
/// `created` or `replaced` as the database saw it; the later ones replaced
/// their predecessor, so they are `replaced`.
std::vector<std::pair<uint16_t, rating_outcome>>
outcomes_of(const pending_batch& batch, const batch_result& result);

} // namespace heymovie::actors
