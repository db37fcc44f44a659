#include "actors/rating_batcher.hpp"

namespace heymovie::actors {

namespace {

uint64_t pair_key(const rating& r) {
  return (uint64_t{static_cast<uint32_t>(r.user)} << 32) |
         static_cast<uint32_t>(r.movie);
}

} // namespace

rating_batcher::rating_batcher(size_t batch_size, size_t limit)
    : batch_size_(batch_size), limit_(limit) {
  // nop
}

bool rating_batcher::add(const rating_command& cmd, uint16_t reply_to) {
  if (pending() >= limit_)
    return false;
  auto key = pair_key(cmd.value);
  if (!queue_.empty()) {
    auto& newest = queue_.back();
    if (auto i = newest_rows_.find(key); i != newest_rows_.end()) {
      newest.rows[i->second] = cmd.value;
      newest.waiters.push_back({cmd.id, i->second, reply_to});
      ++queued_;
      return true;
    }
  }
  if (queue_.empty() || queue_.back().rows.size() >= batch_size_) {
    queue_.emplace_back();
    queue_.back().rows.reserve(batch_size_);
    newest_rows_.clear();
  }
  auto& newest = queue_.back();
  auto row = static_cast<uint32_t>(newest.rows.size());
  newest.rows.push_back(cmd.value);
  newest.waiters.push_back({cmd.id, row, reply_to});
  newest_rows_.emplace(key, row);
  ++queued_;
  return true;
}

bool rating_batcher::front_full() const noexcept {
  return !queue_.empty() && queue_.front().rows.size() >= batch_size_;
}

pending_batch rating_batcher::take() {
  auto batch = std::move(queue_.front());
  queue_.pop_front();
  if (queue_.empty())
    newest_rows_.clear();
  queued_ -= batch.waiters.size();
  in_flight_ += batch.waiters.size();
  return batch;
}

void rating_batcher::release(size_t waiters) noexcept {
  in_flight_ -= std::min(waiters, in_flight_);
}

std::vector<std::pair<uint16_t, rating_outcome>>
outcomes_of(const pending_batch& batch, const batch_result& result) {
  std::vector<std::pair<uint16_t, rating_outcome>> out;
  out.reserve(batch.waiters.size());
  // One flag per row of the batch; a lost batch has no rows.
  std::vector<bool> answered(result.rows.size(), false);
  for (auto& w : batch.waiters) {
    auto res = outcome::unavailable;
    if (w.row < result.rows.size()) {
      res = result.rows[w.row];
      if (res == outcome::created && answered[w.row])
        res = outcome::replaced;
      answered[w.row] = true;
    }
    out.emplace_back(w.reply_to, rating_outcome{w.id, res});
  }
  return out;
}

} // namespace heymovie::actors
