#include "persistence/movie_reader.hpp"

#include "persistence/connect.hpp"
#include "persistence/connection_liveness.hpp"
#include "persistence/movie_catalog.hpp"
#include "persistence/sql.hpp"

#include <pqxx/pqxx>

namespace heymovie::persistence {

namespace {

constexpr const char* movie_query = "select_movie";
constexpr const char* rolling_query = "select_rolling_average";
constexpr const char* top_query = "select_top_movies";
constexpr const char* rating_query = "select_rating";
constexpr const char* user_ratings_query = "select_user_ratings";

std::vector<std::string> split_genres(const std::string& joined) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < joined.size()) {
    auto end = joined.find('|', start);
    if (end == std::string::npos)
      end = joined.size();
    out.push_back(joined.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

movie_info to_movie(const pqxx::row& row) {
  return {row[0].as<int32_t>(), row[1].as<std::string>(),
          split_genres(row[2].as<std::string>()), row[3].as<int64_t>(),
          row[4].as<int64_t>()};
}

} // namespace

movie_reader::movie_reader(const std::string& url,
                           std::chrono::milliseconds statement_timeout)
    : url_(with_liveness_checks(url)), statement_timeout_(statement_timeout) {
  // Connects on first use, like the writers.
}

movie_reader::~movie_reader() = default;

pqxx::connection_base& movie_reader::connection() {
  if (!conn_) {
    auto conn = open_connection(url_);
    if (statement_timeout_.count() > 0) {
      pqxx::nontransaction setup{*conn};
      setup.exec(sql::set_statement_timeout(statement_timeout_));
      setup.commit();
    }
    conn->prepare(movie_query, sql::select_movie);
    conn->prepare(rolling_query, sql::select_rolling_average);
    conn->prepare(top_query, sql::select_top_movies);
    conn->prepare(rating_query, sql::select_rating);
    conn->prepare(user_ratings_query, sql::select_user_ratings);
    conn_ = std::move(conn);
  }
  return *conn_;
}

template<class Query>
auto movie_reader::attempt(Query query)
    -> db_result<decltype(query(connection()))> {
  try {
    return query(connection());
  } catch (...) {
    auto err = classify_current_exception();
    // A broken connection says nothing about the next one: make a new one.
    if (err.kind == db_error_kind::connection)
      conn_.reset();
    return err;
  }
}

db_result<std::optional<movie_info>> movie_reader::movie(int32_t id) {
  return attempt([&](pqxx::connection_base& conn) -> std::optional<movie_info> {
    pqxx::nontransaction tx{conn};
    auto rows = tx.exec_prepared(movie_query, id);
    if (rows.empty())
      return std::nullopt;
    return to_movie(rows[0]);
  });
}

db_result<std::optional<std::vector<year_average>>>
movie_reader::rolling_average(int32_t id) {
  return attempt([&](pqxx::connection_base& conn)
                     -> std::optional<std::vector<year_average>> {
    pqxx::nontransaction tx{conn};
    auto rows = tx.exec_prepared(rolling_query, id);
    if (rows.empty())
      return std::nullopt;
    std::vector<year_average> years;
    for (auto row : rows)
      if (!row[0].is_null())
        years.push_back(
            {row[0].as<int>(), row[1].as<int64_t>(), row[2].as<int64_t>()});
    return years;
  });
}

db_result<std::vector<movie_info>> movie_reader::top(int32_t limit,
                                                     int64_t min_votes) {
  return attempt([&](pqxx::connection_base& conn) {
    pqxx::nontransaction tx{conn};
    std::vector<movie_info> out;
    for (auto row : tx.exec_prepared(top_query, limit, min_votes))
      out.push_back(to_movie(row));
    return out;
  });
}

db_result<std::optional<rating>> movie_reader::find_rating(int32_t user,
                                                           int32_t movie) {
  return attempt([&](pqxx::connection_base& conn) -> std::optional<rating> {
    pqxx::nontransaction tx{conn};
    auto rows = tx.exec_prepared(rating_query, user, movie);
    if (rows.empty())
      return std::nullopt;
    return rating{user, movie, static_cast<uint8_t>(rows[0][0].as<int>()),
                  rows[0][1].as<int64_t>()};
  });
}

db_result<std::vector<rating>>
movie_reader::user_ratings(int32_t user, int32_t after, int32_t limit) {
  return attempt([&](pqxx::connection_base& conn) {
    pqxx::nontransaction tx{conn};
    std::vector<rating> out;
    for (auto row : tx.exec_prepared(user_ratings_query, user, after, limit))
      out.push_back({user, row[0].as<int32_t>(),
                     static_cast<uint8_t>(row[1].as<int>()),
                     row[2].as<int64_t>()});
    return out;
  });
}

db_result<std::vector<int32_t>> movie_reader::movie_ids() {
  return attempt(
      [](pqxx::connection_base& conn) { return read_movie_ids(conn); });
}

std::optional<db_error> movie_reader::ping() {
  auto pinged = attempt([](pqxx::connection_base& conn) {
    pqxx::nontransaction tx{conn};
    tx.exec(sql::ping);
    return true;
  });
  if (!pinged)
    return pinged.error();
  return std::nullopt;
}

} // namespace heymovie::persistence
