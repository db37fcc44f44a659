#include "persistence/movie_catalog.hpp"

#include "persistence/sql.hpp"

#include <pqxx/pqxx>

#include <algorithm>

namespace heymovie::persistence {

movie_catalog::movie_catalog(std::vector<int32_t> ids) : ids_(std::move(ids)) {
  std::sort(ids_.begin(), ids_.end());
  ids_.erase(std::unique(ids_.begin(), ids_.end()), ids_.end());
}

bool movie_catalog::contains(int32_t id) const noexcept {
  return std::binary_search(ids_.begin(), ids_.end(), id);
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
