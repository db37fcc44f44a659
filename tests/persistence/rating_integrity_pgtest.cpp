// What the figures design must keep: no rating of a movie that is not there,
// also when the movie is deleted while a batch is in flight, and writers that
// share figure rows (writers of two processes) without deadlocks or lost
// votes.

#include "persistence/rating_writer.hpp"
#include "support/test_database.hpp"

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include <ctime>
#include <map>
#include <thread>

using namespace heymovie;
using namespace heymovie::persistence;
using namespace std::chrono_literals;

namespace {

using statuses = std::vector<row_status>;
constexpr auto created = row_status::created;
constexpr auto unknown_movie = row_status::unknown_movie;

auto soon() {
  return rating_writer::clock::now() + 10s;
}

int64_t ratings_of(const std::string& url, int movie) {
  return testing::query_int(url, "SELECT count(*) FROM ratings WHERE movie_id "
                                 "= " +
                                     std::to_string(movie));
}

int64_t figure_rows_of(const std::string& url, int movie) {
  return testing::query_int(url, "SELECT count(*) FROM movie_figures WHERE "
                                 "movie_id = " +
                                     std::to_string(movie));
}

int64_t votes_of(const std::string& url, int movie) {
  return testing::query_int(url, "SELECT vote_count FROM movie_totals WHERE "
                                 "id = " +
                                     std::to_string(movie));
}

/// Whether a session came to wait for a lock within 10 s. Not an assertion:
/// the caller releases the lock and joins its thread first, whatever the
/// answer.
bool lock_waiter_seen(const std::string& url) {
  auto give_up = std::chrono::steady_clock::now() + 10s;
  while (testing::lock_waiters(url) < 1)
    if (std::chrono::steady_clock::now() > give_up)
      return false;
  return true;
}

/// Runs `sql`, which should not wait (5 s at most): "" when it succeeds,
/// "foreign key" when a foreign key refuses it, else the error.
std::string refusal_of(const std::string& url, const std::string& sql) {
  try {
    testing::execute(url, "SET LOCAL statement_timeout = 5000; " + sql);
    return "";
  } catch (const pqxx::foreign_key_violation&) {
    return "foreign key";
  } catch (const std::exception& e) {
    return e.what();
  }
}

/// A writer whose statements give up after 5 s, so that a broken premise
/// fails the test rather than hanging it.
constexpr std::chrono::milliseconds writer_timeout{5000};

/// A batch written on a thread of its own while another session holds it
/// up. `finish` waits for it once the hold is released; so does the
/// destructor, should an assertion end the test first (the writer's timeout
/// bounds the wait).
class batch_in_flight {
public:
  batch_in_flight(rating_writer& writer, std::vector<rating> rows)
      : thread_{[this, &writer, rows = std::move(rows)] {
          result_ = writer.write(rows, soon());
        }} {}

  ~batch_in_flight() {
    if (thread_.joinable())
      thread_.join();
  }

  batch_in_flight(const batch_in_flight&) = delete;
  batch_in_flight& operator=(const batch_in_flight&) = delete;

  const write_result& finish() {
    thread_.join();
    return result_;
  }

private:
  write_result result_;
  std::thread thread_;
};

int utc_year(int64_t unix_seconds) {
  std::time_t t = unix_seconds;
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm.tm_year + 1900;
}

} // namespace

SCENARIO("a movie deleted while a batch rating it is in flight takes its "
         "rating with it: the rating is refused, the rest of the batch "
         "commits",
         "[pg]") {
  testing::test_database db{testing::sample_movies_csv()};
  rating_writer writer{db.url(), {1ms, 10ms}, writer_timeout, 0};
  REQUIRE(writer.write({{1, 2, 8, 0}}, soon()).committed());

  GIVEN("a batch held at a figure row after it began, and movie 6 deleted "
        "meanwhile") {
    pqxx::connection holder{db.url()};
    pqxx::work hold{holder};
    hold.exec("SELECT 1 FROM movie_figures WHERE movie_id = 2 FOR UPDATE");
    batch_in_flight batch{writer, {{2, 6, 8, 0}, {2, 2, 6, 0}}};
    bool held = lock_waiter_seen(db.url());
    auto refusal = refusal_of(db.url(), "DELETE FROM movies WHERE id = 6");
    hold.commit();
    auto& result = batch.finish();
    REQUIRE(held);
    REQUIRE(refusal == "");
    THEN("the rating of the deleted movie is refused and nothing of it is "
         "stored") {
      CHECK(result.rows == statuses{unknown_movie, created});
      CHECK(ratings_of(db.url(), 6) == 0);
      CHECK(figure_rows_of(db.url(), 6) == 0);
      CHECK(votes_of(db.url(), 2) == 2);
    }
  }

  GIVEN("a deletion of movie 11 begun before the batch, committed while the "
        "batch waits for it") {
    pqxx::connection deleter{db.url()};
    pqxx::work deletion{deleter};
    deletion.exec("DELETE FROM movies WHERE id = 11");
    batch_in_flight batch{writer, {{3, 11, 8, 0}, {3, 2, 6, 0}}};
    bool waited = lock_waiter_seen(db.url());
    deletion.commit();
    auto& result = batch.finish();
    REQUIRE(waited);
    THEN("the rating is refused") {
      CHECK(result.rows == statuses{unknown_movie, created});
      CHECK(ratings_of(db.url(), 11) == 0);
      CHECK(figure_rows_of(db.url(), 11) == 0);
    }
  }

  GIVEN("a deletion of movie 32 begun before the batch, rolled back while "
        "the batch waits for it") {
    pqxx::connection deleter{db.url()};
    pqxx::work deletion{deleter};
    deletion.exec("DELETE FROM movies WHERE id = 32");
    batch_in_flight batch{writer, {{4, 32, 8, 0}}};
    bool waited = lock_waiter_seen(db.url());
    deletion.abort();
    auto& result = batch.finish();
    REQUIRE(waited);
    THEN("the rating commits") {
      CHECK(result.rows == statuses{created});
      CHECK(votes_of(db.url(), 32) == 1);
    }
  }

  GIVEN("a movie with a rating") {
    THEN("it cannot be deleted, and its rating stays") {
      CHECK(refusal_of(db.url(), "DELETE FROM movies WHERE id = 2") ==
            "foreign key");
      CHECK(ratings_of(db.url(), 2) == 1);
      CHECK(votes_of(db.url(), 2) == 1);
    }
  }

  GIVEN("a batch rating a movie again, held after it began, and a deletion "
        "of that movie tried meanwhile") {
    pqxx::connection holder{db.url()};
    pqxx::work hold{holder};
    hold.exec("SELECT 1 FROM ratings WHERE user_id = 1 AND movie_id = 2"
              " FOR UPDATE");
    batch_in_flight batch{writer, {{1, 2, 4, 0}}};
    bool held = lock_waiter_seen(db.url());
    auto refusal = refusal_of(db.url(), "DELETE FROM movies WHERE id = 2");
    hold.commit();
    auto& result = batch.finish();
    REQUIRE(held);
    THEN("the deletion is refused at once and the batch commits") {
      CHECK(refusal == "foreign key");
      CHECK(result.rows == statuses{row_status::replaced});
      CHECK(votes_of(db.url(), 2) == 1);
    }
  }
}

SCENARIO("writers that share figure slots, as two processes' writers do, "
         "neither deadlock nor lose votes, also when ratings move between "
         "years",
         "[pg]") {
  testing::test_database db{testing::sample_movies_csv()};
  const std::vector<int32_t> movies{1, 2, 3, 6, 11, 32, 47, 50};
  constexpr int rounds = 40;
  constexpr int users_per_writer = 10;
  constexpr int64_t year = 366 * 24 * 3600;
  // Slots 0, 0, 1, 1; half of the writers go through the movies backwards.
  // Catch's assertions are for the main thread: the writers note trouble.
  std::vector<std::string> trouble(4);
  auto work = [&](int writer_index) {
    rating_writer writer{db.url(), {1ms, 10ms}, {}, writer_index / 2};
    for (int round = 0; round < rounds; ++round) {
      std::vector<rating> batch;
      for (size_t i = 0; i < movies.size(); ++i) {
        auto m = movies[writer_index % 2 ? movies.size() - 1 - i : i];
        // Rounds 10 and on rate again, a year later each time.
        batch.push_back({1000 * (writer_index + 1) + round % users_per_writer,
                         m, static_cast<uint8_t>(1 + (round + m) % 10),
                         round * year});
      }
      auto result = writer.write(batch, soon());
      if (!result.committed() || result.retries > 0) {
        trouble[writer_index] = "round " + std::to_string(round) + ": " +
                                std::to_string(result.retries) + " retries, " +
                                result.error;
        return;
      }
    }
  };
  std::vector<std::thread> writers;
  for (int i = 0; i < 4; ++i)
    writers.emplace_back(work, i);
  for (auto& w : writers)
    w.join();
  CHECK(trouble == std::vector<std::string>(4));

  // What the writers wrote, last rating of each pair, per movie and year.
  std::map<std::pair<int32_t, int>, std::pair<int64_t, int64_t>> expected;
  for (int writer_index = 0; writer_index < 4; ++writer_index)
    for (int user = 0; user < users_per_writer; ++user)
      for (auto m : movies) {
        int last_round = rounds - users_per_writer + user;
        auto& figures = expected[{m, utc_year(last_round * year)}];
        figures.first += 1;
        figures.second += 1 + (last_round + m) % 10;
      }
  pqxx::connection conn{db.url()};
  pqxx::read_transaction tx{conn};
  std::map<std::pair<int32_t, int>, std::pair<int64_t, int64_t>> stored;
  for (auto row : tx.exec("SELECT movie_id, year, sum(votes), sum(half_stars)"
                          " FROM movie_figures GROUP BY 1, 2"
                          " HAVING sum(votes) <> 0 OR sum(half_stars) <> 0"))
    stored[{row[0].as<int32_t>(), row[1].as<int>()}] = {row[2].as<int64_t>(),
                                                        row[3].as<int64_t>()};
  CHECK(stored == expected);
  CHECK(tx.exec1("SELECT count(*) FROM ratings")[0].as<int64_t>() ==
        4 * users_per_writer * static_cast<int64_t>(movies.size()));
  CHECK(
      tx.exec1("SELECT count(DISTINCT slot) FROM movie_figures")[0].as<int>() ==
      2);
}
