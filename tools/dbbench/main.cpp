// dbbench: the database's own ceiling for HeyMovie's write path. It writes
// random ratings (users from the whole id range, movies of the catalogue in
// the database, the current time) through the same batch transaction as the
// service (persistence::rating_writer), from several writer threads, as fast
// as PostgreSQL takes them, and prints the rows committed per second. No
// HTTP, no actors: the figure tools/bench compares the service against.
//
// In the same run, first, the floor: the same rows (same seeds) inserted
// with a plain INSERT into a table with only the primary key (dbbench_bare,
// kept between runs as the ratings are), and the ratio of the two, which is
// what the storage design is judged by.
//
//   dbbench DATABASE_URL [--batch=1000] [--writers=2] [--seconds=10]

#include "persistence/array_literal.hpp"
#include "persistence/rating_writer.hpp"
#include "persistence/sql.hpp"

#include <boost/program_options.hpp>
#include <pqxx/pqxx>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <iostream>
#include <limits>
#include <random>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

using namespace heymovie::persistence;
namespace po = boost::program_options;

namespace {

std::vector<int32_t> movie_ids(const std::string& url) {
  pqxx::connection conn{url};
  pqxx::read_transaction tx{conn};
  std::vector<int32_t> ids;
  for (auto row : tx.exec("SELECT id FROM movies"))
    ids.push_back(row[0].as<int32_t>());
  return ids;
}

/// The floor: a table with only the ratings' primary key, and one plain
/// INSERT per batch. Random pairs repeat now and then (about one in ten
/// million draws): a batch that meets one is written again with ON CONFLICT
/// DO NOTHING, which would cost every batch a lookup if it were the rule.
class bare_insert {
public:
  explicit bare_insert(const std::string& url) : conn_{url} {
    std::string insert = "INSERT INTO dbbench_bare (user_id, movie_id,"
                         " half_stars, rated_at)"
                         " SELECT * FROM unnest($1::integer[], $2::integer[],"
                         "  $3::smallint[], $4::bigint[])";
    conn_.prepare("bare", insert);
    conn_.prepare("bare_again", insert + " ON CONFLICT DO NOTHING");
  }

  static void create_table(const std::string& url) {
    pqxx::connection conn{url};
    pqxx::nontransaction tx{conn};
    tx.exec("CREATE TABLE IF NOT EXISTS dbbench_bare ("
            " user_id integer NOT NULL, movie_id integer NOT NULL,"
            " half_stars smallint NOT NULL, rated_at bigint NOT NULL,"
            " PRIMARY KEY (user_id, movie_id))");
  }

  bool write(const std::vector<rating>& rows) {
    auto array = [&](auto field) {
      return array_literal(rows, field);
    };
    auto run = [&](const char* statement) {
      pqxx::nontransaction tx{conn_};
      tx.exec_prepared(statement, array([](auto& r) { return r.user; }),
                       array([](auto& r) { return r.movie; }),
                       array([](auto& r) { return int{r.half_stars}; }),
                       array([](auto& r) { return r.rated_at; }));
    };
    try {
      run("bare");
    } catch (const pqxx::unique_violation&) {
      run("bare_again");
    }
    return true;
  }

private:
  pqxx::connection conn_;
};

/// Writes random batches from `writers` threads for `seconds` through the
/// store each thread makes; the rows committed per second, or a negative
/// number when a batch failed. Writer w's rows depend only on `seed` and w.
using batch_store = std::function<bool(const std::vector<rating>&)>;
double rows_per_second(const std::vector<int32_t>& movies, size_t batch,
                       size_t writers, size_t seconds, unsigned seed,
                       const std::function<batch_store(size_t)>& make_store) {
  std::atomic<uint64_t> rows{0};
  std::atomic<bool> failed{false};
  auto until = rating_writer::clock::now() + std::chrono::seconds(seconds);
  auto now = static_cast<int64_t>(std::time(nullptr));
  std::vector<std::thread> threads;
  for (size_t w = 0; w < writers; ++w)
    threads.emplace_back([&, w] {
      try {
        auto store = make_store(w);
        std::mt19937 rng(seed + static_cast<unsigned>(w * 7919));
        // Users from the whole id range, so that pairs seldom repeat.
        std::uniform_int_distribution<int32_t> user(
            1, std::numeric_limits<int32_t>::max());
        std::uniform_int_distribution<size_t> movie(0, movies.size() - 1);
        std::uniform_int_distribution<int> half(1, 10);
        while (rating_writer::clock::now() < until && !failed) {
          std::vector<rating> batch_rows;
          std::unordered_set<uint64_t> keys;
          while (batch_rows.size() < batch) {
            rating r{user(rng), movies[movie(rng)],
                     static_cast<uint8_t>(half(rng)), now};
            auto key = (uint64_t(uint32_t(r.user)) << 32) | uint32_t(r.movie);
            if (keys.insert(key).second)
              batch_rows.push_back(r);
          }
          if (!store(batch_rows)) {
            failed = true;
            return;
          }
          rows += batch_rows.size();
        }
      } catch (const std::exception& e) {
        std::fprintf(stderr, "dbbench: %s\n", e.what());
        failed = true;
      }
    });
  for (auto& t : threads)
    t.join();
  if (failed)
    return -1;
  return static_cast<double>(rows) / static_cast<double>(seconds);
}

} // namespace

int main(int argc, char** argv) {
  std::string url;
  size_t batch = 0;
  size_t writers = 0;
  size_t seconds = 0;
  po::options_description options{"options"};
  options.add_options()("batch", po::value(&batch)->default_value(1000),
                        "rows per transaction")(
      "writers", po::value(&writers)->default_value(2),
      "connections writing at once")(
      "seconds", po::value(&seconds)->default_value(10), "how long to write");
  po::options_description all;
  all.add(options).add_options()("url", po::value(&url)->required());
  po::positional_options_description url_first;
  url_first.add("url", 1);
  try {
    po::variables_map given;
    po::store(po::command_line_parser(argc, argv)
                  .options(all)
                  .positional(url_first)
                  .run(),
              given);
    po::notify(given);
    if (batch == 0 || writers == 0 || seconds == 0)
      throw po::error("--batch, --writers and --seconds must be positive");
  } catch (const po::error& e) {
    std::cerr << "dbbench: " << e.what() << "\nusage: dbbench DATABASE_URL "
              << "[options]\n"
              << options;
    return 64;
  }
  auto movies = movie_ids(url);
  if (movies.empty()) {
    std::fprintf(stderr, "dbbench: no movies in the database\n");
    return 1;
  }
  bare_insert::create_table(url);
  // New rows on every run (a rerun of the same rows would time updates and
  // conflicts), the same for both stores of a run.
  auto seed = std::random_device{}();
  auto bare =
      rows_per_second(movies, batch, writers, seconds, seed, [&](size_t) {
        auto store = std::make_shared<bare_insert>(url);
        return [store](const std::vector<rating>& rows) {
          return store->write(rows);
        };
      });
  // One figure slot per writer, as the service's writers have.
  auto service =
      rows_per_second(movies, batch, writers, seconds, seed, [&](size_t w) {
        auto writer = std::make_shared<rating_writer>(
            url, retry_policy{}, std::chrono::milliseconds{0},
            static_cast<int>(w % sql::figure_slots));
        return [writer](const std::vector<rating>& rows) {
          auto give_up = rating_writer::clock::now() + std::chrono::seconds(10);
          auto result = writer->write(rows, give_up);
          if (!result.committed())
            std::fprintf(stderr, "dbbench: %s\n", result.error.c_str());
          return result.committed();
        };
      });
  if (bare < 0 || service < 0)
    return 1;
  std::printf("BENCH db_rows_per_s=%.0f bare_rows_per_s=%.0f ratio=%.3f "
              "batch=%zu writers=%zu\n",
              service, bare, service / bare, batch, writers);
  return 0;
}
