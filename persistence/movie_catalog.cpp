#include "persistence/movie_catalog.hpp"

#include "persistence/sql.hpp"

#include <pqxx/pqxx>

#include <algorithm>

namespace heymovie::persistence {

movie_catalog::movie_catalog(std::vector<int32_t> ids) : ids_(std::move(ids)) {
  std::sort(ids_.begin(), ids_.end());
  ids_.erase(std::unique(ids_.begin(), ids_.end()), ids_.end());
  withdrawn_ = std::vector<std::atomic<bool>>(ids_.size());
}

size_t movie_catalog::position(int32_t id) const noexcept {
  auto i = std::lower_bound(ids_.begin(), ids_.end(), id);
  if (i == ids_.end() || *i != id)
    return ids_.size();
  return static_cast<size_t>(i - ids_.begin());
}

bool movie_catalog::contains(int32_t id) const noexcept {
  auto i = position(id);
  return i < ids_.size() && !withdrawn_[i].load(std::memory_order_relaxed);
}

bool movie_catalog::withdraw(int32_t id) noexcept {
  auto i = position(id);
  return i < ids_.size() &&
         !withdrawn_[i].exchange(true, std::memory_order_relaxed);
}

movie_catalog load_movie_catalog(pqxx::connection_base& conn) {
  pqxx::read_transaction tx{conn};
  auto rows = tx.exec(sql::select_movie_ids);
  std::vector<int32_t> ids;
  ids.reserve(rows.size());
  for (auto row : rows)
    ids.push_back(row[0].as<int32_t>());
  return movie_catalog{std::move(ids)};
}

} // namespace heymovie::persistence
