// The PostgreSQL read_queries: the queries behind the read endpoints, over
// one connection that it owns, made on first use and dropped when an error
// broke it (the next query makes a new one). Blocking: meant for a detached
// actor. libpqxx's exceptions stop here: they come out as db_error values.

#pragma once

#include "persistence/read_queries.hpp"

#include <pqxx/connection>

#include <chrono>
#include <memory>
#include <string>

namespace heymovie::persistence {

class movie_reader final : public read_queries {
public:
  /// `statement_timeout`: how long one query may run; zero for no limit.
  explicit movie_reader(const std::string& url,
                        std::chrono::milliseconds statement_timeout = {});
  ~movie_reader() override;

  movie_reader(const movie_reader&) = delete;
  movie_reader& operator=(const movie_reader&) = delete;

  db_result<std::optional<movie_info>> movie(int32_t id) override;
  db_result<std::optional<std::vector<year_average>>>
  rolling_average(int32_t id) override;
  db_result<std::vector<movie_info>> top(int32_t limit,
                                         int64_t min_votes) override;
  db_result<std::optional<rating>> find_rating(int32_t user,
                                               int32_t movie) override;
  db_result<std::vector<rating>> user_ratings(int32_t user, int32_t after,
                                              int32_t limit) override;
  db_result<std::vector<int32_t>> movie_ids() override;
  std::optional<db_error> ping() override;

private:
  pqxx::connection_base& connection();

  /// `query(connection)`'s value, or the error it threw as a value.
  template<class Query>
  auto attempt(Query query) -> db_result<decltype(query(connection()))>;

  std::string url_;
  std::chrono::milliseconds statement_timeout_;
  std::unique_ptr<pqxx::connection> conn_;
};

} // namespace heymovie::persistence
