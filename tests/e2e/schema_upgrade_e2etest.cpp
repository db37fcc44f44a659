// An existing database upgrades: one filled by version 2 of the schema (its
// batch statement, kept below as it ran, with ratings moved between years)
// is served by the current binary, which migrates it at start-up without
// losing or changing a rating or an aggregate.

#include "loadgen/movielens_csv.hpp"
#include "persistence/array_literal.hpp"
#include "persistence/movie_import.hpp"
#include "persistence/schema.hpp"
#include "support/http_client.hpp"
#include "support/service_process.hpp"
#include "support/test_database.hpp"

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include <fstream>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>

using namespace heymovie;
using namespace heymovie::testing;

namespace {

// The rating batch of schema version 2 (persistence/sql.hpp until the
// figures came), which wrote every database that is to be upgraded.
constexpr const char* version_2_batch =
    "WITH staged AS MATERIALIZED ("
    "  SELECT d.seq, d.user_id, d.movie_id, d.half_stars, d.rated_at,"
    "   (SELECT r.half_stars FROM ratings r"
    "    WHERE r.user_id = d.user_id AND r.movie_id = d.movie_id"
    "    FOR NO KEY UPDATE) AS previous"
    "  FROM unnest($1::integer[], $2::integer[], $3::smallint[],"
    "              $4::bigint[]) WITH ORDINALITY"
    "   AS d(user_id, movie_id, half_stars, rated_at, seq)),"
    " inserted AS ("
    "  INSERT INTO ratings (user_id, movie_id, half_stars, rated_at)"
    "  SELECT user_id, movie_id, half_stars, rated_at FROM staged"
    "  WHERE previous IS NULL),"
    " updated AS ("
    "  UPDATE ratings r SET half_stars = s.half_stars, rated_at = s.rated_at"
    "  FROM staged s WHERE s.previous IS NOT NULL"
    "   AND r.user_id = s.user_id AND r.movie_id = s.movie_id),"
    " deltas AS ("
    "  SELECT movie_id AS id,"
    "   count(*) FILTER (WHERE previous IS NULL) AS added,"
    "   sum(half_stars - coalesce(previous, 0)) AS delta"
    "  FROM staged GROUP BY movie_id),"
    " locked AS MATERIALIZED ("
    "  SELECT id FROM movies WHERE id IN (SELECT id FROM deltas)"
    "  ORDER BY id FOR NO KEY UPDATE),"
    " aggregates AS ("
    "  UPDATE movies m"
    "  SET vote_count = m.vote_count + d.added,"
    "      rating_sum = m.rating_sum + d.delta"
    "  FROM deltas d WHERE m.id = d.id AND m.id IN (SELECT id FROM locked))"
    " SELECT seq, previous FROM staged";

void write_as_version_2(pqxx::connection& conn,
                        const std::vector<loadgen::rating>& rows) {
  constexpr size_t batch = 1000;
  for (size_t begin = 0; begin < rows.size(); begin += batch) {
    std::vector<loadgen::rating> part(
        rows.begin() + static_cast<std::ptrdiff_t>(begin),
        rows.begin() +
            static_cast<std::ptrdiff_t>(std::min(rows.size(), begin + batch)));
    using persistence::array_literal;
    pqxx::nontransaction tx{conn};
    tx.exec_params(version_2_batch,
                   array_literal(part, [](auto& r) { return r.user; }),
                   array_literal(part, [](auto& r) { return r.movie; }),
                   array_literal(part, [](auto& r) { return r.half_stars; }),
                   array_literal(part, [](auto& r) { return r.timestamp; }));
  }
}

using figures = std::map<std::vector<int64_t>, std::vector<int64_t>>;

/// Rows of `sql` keyed by their first `key_columns` columns.
figures query_map(pqxx::connection& conn, const std::string& sql,
                  size_t key_columns) {
  pqxx::read_transaction tx{conn};
  figures out;
  for (auto r : tx.exec(sql)) {
    std::vector<int64_t> key, value;
    for (pqxx::row::size_type i = 0; i < r.size(); ++i)
      (static_cast<size_t>(i) < key_columns ? key : value)
          .push_back(r[i].as<int64_t>());
    out[key] = value;
  }
  return out;
}

constexpr const char* ratings_digest =
    "SELECT count(*), md5(string_agg(user_id || ',' || movie_id || ',' ||"
    " half_stars || ',' || rated_at, ';' ORDER BY user_id, movie_id))"
    " FROM ratings";

constexpr const char* years_from_ratings =
    "SELECT movie_id, extract(year FROM to_timestamp(rated_at)"
    " AT TIME ZONE 'UTC')::integer, count(*), sum(half_stars)"
    " FROM ratings GROUP BY 1, 2";

} // namespace

SCENARIO("a database written by schema version 2 is migrated at start-up "
         "without losing a rating or changing an aggregate",
         "[e2e]") {
  test_database db;
  pqxx::connection conn{db.url()};
  REQUIRE(persistence::migrate(conn, 2) == 2);
  std::ifstream movies{movielens_dir() + "/movies.csv"};
  persistence::import_movies(conn, movies);
  auto ratings = loadgen::read_ratings_csv(
      movielens_dir() + "/ratings.csv", std::numeric_limits<uint64_t>::max());
  REQUIRE(ratings.size() == 100836);
  write_as_version_2(conn, ratings);
  // Users change their minds years later: ratings move between years.
  std::vector<loadgen::rating> again(ratings.begin(), ratings.begin() + 3000);
  for (auto& r : again) {
    r.half_stars = static_cast<int16_t>(11 - r.half_stars);
    r.timestamp += 5 * 365 * 24 * 3600;
  }
  write_as_version_2(conn, again);

  std::string digest_before;
  {
    pqxx::read_transaction tx{conn};
    digest_before = tx.exec1(ratings_digest)[1].as<std::string>();
  }
  auto aggregates_before =
      query_map(conn, "SELECT id, vote_count, rating_sum FROM movies", 1);
  auto years_before = query_map(conn, years_from_ratings, 2);
  REQUIRE(aggregates_before.size() == 9742);

  WHEN("the current service starts on it") {
    service_process service{db.url()};
    THEN("the schema is current, the ratings are what they were, and the "
         "figures say what the aggregates said") {
      pqxx::read_transaction tx{conn};
      CHECK(
          tx.exec1("SELECT max(version) FROM schema_migrations")[0].as<int>() ==
          persistence::migrations.back().version);
      auto digest = tx.exec1(ratings_digest);
      CHECK(digest[0].as<int64_t>() == 100836);
      CHECK(digest[1].as<std::string>() == digest_before);
      tx.commit();
      CHECK(query_map(conn,
                      "SELECT id, vote_count, rating_sum"
                      " FROM movie_totals",
                      1) == aggregates_before);
      CHECK(query_map(conn,
                      "SELECT movie_id, year, sum(votes), sum(half_stars)"
                      " FROM movie_figures GROUP BY 1, 2",
                      2) == years_before);
      CHECK(query_map(conn, years_from_ratings, 2) == years_before);
    }
    THEN("the read endpoints answer as before, and new ratings add to the "
         "migrated figures") {
      http_client client{service.port()};
      auto before = aggregates_before.at({356}); // Forrest Gump: most rated
      auto movie = nlohmann::json::parse(client.get("/movies/356").body);
      CHECK(movie["votes"] == before[0]);
      CHECK(movie["average"].get<double>() ==
            Approx(static_cast<double>(before[1]) / 2 / before[0]));
      auto rolling =
          nlohmann::json::parse(client.get("/movies/356/rolling-avg").body);
      int64_t cumulative = 0;
      size_t i = 0;
      for (auto& [key, value] : years_before) {
        if (key[0] != 356)
          continue;
        cumulative += value[0];
        REQUIRE(i < rolling["years"].size());
        CHECK(rolling["years"][i]["year"] == key[1]);
        CHECK(rolling["years"][i]["votes"] == cumulative);
        ++i;
      }
      CHECK(rolling["years"].size() == i);
      auto post = client.post_rating(
          R"({"user": 999999, "movie": 356, "rating": 5.0})");
      CHECK(post.status == 201);
      auto after = nlohmann::json::parse(client.get("/movies/356").body);
      CHECK(after["votes"] == before[0] + 1);
    }
  }
}
