#include "persistence/movie_catalog.hpp"

#include "persistence/sql.hpp"

#include <pqxx/pqxx>

#include <algorithm>
#include <atomic>

namespace heymovie::persistence {

/// The ids never change once published, so lookups need no lock; only the
/// flags do, and they are atomics.
struct movie_catalog::snapshot {
  explicit snapshot(std::vector<int32_t> unsorted) : ids(std::move(unsorted)) {
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    withdrawn = std::vector<std::atomic<bool>>(ids.size());
  }

  /// Where `id` is in `ids`, or `ids.size()`.
  size_t position(int32_t id) const noexcept {
    auto i = std::lower_bound(ids.begin(), ids.end(), id);
    if (i == ids.end() || *i != id)
      return ids.size();
    return static_cast<size_t>(i - ids.begin());
  }

  bool known_at(size_t i) const noexcept {
    return !withdrawn[i].load(std::memory_order_relaxed);
  }

  std::vector<int32_t> ids; // sorted, unique
  std::vector<std::atomic<bool>> withdrawn;
};

movie_catalog::movie_catalog() : movie_catalog(std::vector<int32_t>{}) {}

movie_catalog::movie_catalog(std::vector<int32_t> ids)
    : current_(std::make_shared<snapshot>(std::move(ids))) {}

std::shared_ptr<movie_catalog::snapshot>
movie_catalog::current() const noexcept {
  return std::atomic_load_explicit(&current_, std::memory_order_acquire);
}

bool movie_catalog::contains(int32_t id) const noexcept {
  auto s = current();
  auto i = s->position(id);
  return i < s->ids.size() && s->known_at(i);
}

bool movie_catalog::withdraw(int32_t id) noexcept {
  auto s = current();
  auto i = s->position(id);
  return i < s->ids.size() &&
         !s->withdrawn[i].exchange(true, std::memory_order_relaxed);
}

movie_catalog::change movie_catalog::replace(std::vector<int32_t> ids) {
  auto next = std::make_shared<snapshot>(std::move(ids));
  auto previous = current();
  // Both sorted: one merge counts what came and what went.
  change result;
  size_t i = 0;
  size_t j = 0;
  while (i < previous->ids.size() || j < next->ids.size()) {
    if (j == next->ids.size() ||
        (i < previous->ids.size() && previous->ids[i] < next->ids[j])) {
      result.removed += previous->known_at(i) ? 1 : 0;
      ++i;
    } else if (i == previous->ids.size() || next->ids[j] < previous->ids[i]) {
      ++result.added;
      ++j;
    } else {
      result.added += previous->known_at(i) ? 0 : 1;
      ++i;
      ++j;
    }
  }
  std::atomic_store_explicit(&current_, std::move(next),
                             std::memory_order_release);
  return result;
}

size_t movie_catalog::size() const noexcept {
  return current()->ids.size();
}

std::vector<int32_t> read_movie_ids(pqxx::connection_base& conn) {
  pqxx::read_transaction tx{conn};
  auto rows = tx.exec(sql::select_movie_ids);
  std::vector<int32_t> ids;
  ids.reserve(rows.size());
  for (auto row : rows)
    ids.push_back(row[0].as<int32_t>());
  return ids;
}

} // namespace heymovie::persistence
