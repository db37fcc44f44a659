#include "persistence/movie_reader.hpp"
#include "persistence/rating_writer.hpp"
#include "persistence/sql.hpp"
#include "support/test_database.hpp"

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include <algorithm>
#include <array>

using namespace heymovie;
using namespace heymovie::persistence;
using namespace std::chrono_literals;

namespace {

// 1995-06-01, 1996-06-01, 1997-06-01 (UTC)
constexpr int64_t y1995 = 801964800;
constexpr int64_t y1996 = 833587200;
constexpr int64_t y1997 = 865123200;

void write(const std::string& url, std::vector<rating> rows) {
  rating_writer writer{url, {}};
  REQUIRE(writer.write(rows, rating_writer::clock::now() + 5s).committed());
}

/// (year, votes, half stars) of each row, to compare in one check.
std::vector<std::array<int64_t, 3>>
rows_of(const std::vector<year_average>& years) {
  std::vector<std::array<int64_t, 3>> rows;
  for (auto& y : years)
    rows.push_back({y.year, y.votes, y.half_star_sum});
  return rows;
}

} // namespace

SCENARIO("the read queries return what was written", "[pg]") {
  testing::test_database db{testing::sample_movies_csv()};
  write(db.url(), {{1, 1, 8, y1996},
                   {2, 1, 6, y1995},
                   {3, 1, 10, y1997},
                   {1, 2, 4, y1996},
                   {1, 50, 9, y1995},
                   {4, 50, 10, y1997},
                   {1, 3, 2, y1997}});
  movie_reader reader{db.url()};
  WHEN("every movie id is read") {
    auto ids = reader.movie_ids();
    REQUIRE(ids);
    CHECK(ids->size() == static_cast<size_t>(testing::query_int(
                             db.url(), "SELECT count(*) FROM movies")));
    CHECK(std::is_sorted(ids->begin(), ids->end()));
    REQUIRE_FALSE(ids->empty());
    CHECK(ids->front() == 1);
  }
  WHEN("a movie is looked up") {
    auto m = reader.movie(1);
    REQUIRE(m);
    REQUIRE(*m);
    CHECK((*m)->title == "Toy Story (1995)");
    CHECK((*m)->genres.size() == 5);
    CHECK((*m)->votes == 3);
    CHECK((*m)->half_star_sum == 24);
    auto unknown = reader.movie(4);
    REQUIRE(unknown);
    CHECK_FALSE(*unknown);
  }
  WHEN("its rolling average is asked for") {
    auto found = reader.rolling_average(1);
    REQUIRE(found);
    REQUIRE(*found);
    auto& years = **found;
    // Cumulative: each year adds its ratings to the ones before.
    CHECK(rows_of(years) == std::vector<std::array<int64_t, 3>>{
                                {1995, 1, 6}, {1996, 2, 14}, {1997, 3, 24}});
    auto unrated = reader.rolling_average(6);
    REQUIRE(unrated);
    REQUIRE(*unrated);
    CHECK((*unrated)->empty());
    auto unknown = reader.rolling_average(4);
    REQUIRE(unknown);
    CHECK_FALSE(*unknown);
  }
  WHEN("ratings are given again in other years, by another writer") {
    // User 2's rating moves from 1995 to 1997 and user 1's from 1996 to
    // 1995 (a new writer: another figure slot), so that 1996 is left
    // without ratings.
    write(db.url(), {{2, 1, 4, y1997}, {1, 1, 2, y1995}});
    auto found = reader.rolling_average(1);
    REQUIRE(found);
    REQUIRE(*found);
    auto& years = **found;
    THEN("they leave the year they were given in for their new one") {
      CHECK(rows_of(years) == std::vector<std::array<int64_t, 3>>{
                                  {1995, 1, 2}, {1997, 3, 2 + 4 + 10}});
      CHECK((*reader.movie(1))->votes == 3);
      CHECK((*reader.movie(1))->half_star_sum == 16);
    }
  }
  WHEN("the top movies are asked for") {
    auto top = reader.top(2, 2);
    REQUIRE(top);
    REQUIRE(top->size() == 2);
    CHECK((*top)[0].id == 50); // 4.75 over 2 votes
    CHECK((*top)[1].id == 1);  // 4.0 over 3 votes
    CHECK(reader.top(10, 3)->size() == 1);
    CHECK(reader.top(10, 0)->size() == 4); // only movies with votes
  }
  WHEN("single ratings and pages of a user's ratings are read") {
    auto r = reader.find_rating(1, 50);
    REQUIRE(r);
    REQUIRE(*r);
    CHECK((*r)->half_stars == 9);
    CHECK((*r)->rated_at == y1995);
    auto none = reader.find_rating(2, 50);
    REQUIRE(none);
    CHECK_FALSE(*none);
    auto first = reader.user_ratings(1, 0, 2);
    REQUIRE(first);
    REQUIRE(first->size() == 2);
    CHECK((*first)[0].movie == 1);
    CHECK((*first)[1].movie == 2);
    auto second = reader.user_ratings(1, first->back().movie, 2);
    REQUIRE(second);
    REQUIRE(second->size() == 2);
    CHECK((*second)[0].movie == 3);
    CHECK((*second)[1].movie == 50);
    CHECK(reader.user_ratings(1, 50, 2)->empty());
  }
}

SCENARIO("a reader whose connection was killed says so, then reconnects",
         "[pg]") {
  testing::test_database db{testing::sample_movies_csv()};
  movie_reader reader{db.url()};
  REQUIRE_FALSE(reader.ping());
  testing::terminate_other_connections(db.url());
  auto lost = reader.ping();
  REQUIRE(lost);
  CHECK(lost->kind == db_error_kind::connection);
  CHECK_FALSE(reader.ping());
}

SCENARIO("a query stuck at a lock is cancelled after the statement timeout",
         "[pg]") {
  testing::test_database db{testing::sample_movies_csv()};
  movie_reader reader{db.url(), 300ms};
  REQUIRE(reader.movie(1));
  testing::storage_lock lock{db.url(), "ACCESS EXCLUSIVE"};
  auto started = std::chrono::steady_clock::now();
  auto stuck = reader.movie(1);
  auto took = std::chrono::steady_clock::now() - started;
  REQUIRE_FALSE(stuck);
  CHECK(stuck.error().kind == db_error_kind::timeout);
  CHECK(took >= 300ms);
  CHECK(took < 2s);
  lock.release();
  AND_THEN("the connection goes on working") {
    CHECK(reader.movie(1));
  }
}

SCENARIO("the movie reads never touch the ratings table, so their time does "
         "not grow with a movie's ratings",
         "[pg]") {
  testing::test_database db{testing::sample_movies_csv()};
  write(db.url(), {{1, 1, 8, y1996}, {2, 1, 6, y1995}});
  pqxx::connection conn{db.url()};
  pqxx::read_transaction tx{conn};
  // The plans name every relation they scan.
  for (auto query : {sql::select_movie, sql::select_rolling_average}) {
    INFO(query);
    std::string plan;
    for (auto row :
         tx.exec_params(std::string{"EXPLAIN (FORMAT JSON) "} + query, 1))
      plan += row[0].as<std::string>();
    CHECK(plan.find("\"movie_figures\"") != std::string::npos);
    CHECK(plan.find("\"ratings\"") == std::string::npos);
  }
}
