// dbbench: the database's own ceiling for HeyMovie's write path. It writes
// random ratings (users 1..1,000,000, movies of the catalogue in the
// database) through the same batch transaction as the service
// (persistence::rating_writer), from several writer threads, as fast as
// PostgreSQL takes them, and prints the rows committed per second. No HTTP,
// no actors: the figure tools/bench compares the service against.
//
//   dbbench DATABASE_URL [--batch=1000] [--writers=2] [--seconds=10]

#include "persistence/rating_writer.hpp"

#include <pqxx/pqxx>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

using namespace heymovie::persistence;

namespace {

size_t option(int argc, char** argv, const std::string& name, size_t fallback) {
  auto prefix = "--" + name + "=";
  for (int i = 2; i < argc; ++i)
    if (std::string{argv[i]}.rfind(prefix, 0) == 0)
      return std::stoul(std::string{argv[i]}.substr(prefix.size()));
  return fallback;
}

std::vector<int32_t> movie_ids(const std::string& url) {
  pqxx::connection conn{url};
  pqxx::read_transaction tx{conn};
  std::vector<int32_t> ids;
  for (auto row : tx.exec("SELECT id FROM movies"))
    ids.push_back(row[0].as<int32_t>());
  return ids;
}

} // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: dbbench DATABASE_URL [--batch=1000] "
                         "[--writers=2] [--seconds=10]\n");
    return 64;
  }
  std::string url = argv[1];
  auto batch = option(argc, argv, "batch", 1000);
  auto writers = option(argc, argv, "writers", 2);
  auto seconds = option(argc, argv, "seconds", 10);
  auto movies = movie_ids(url);
  if (movies.empty()) {
    std::fprintf(stderr, "dbbench: no movies in the database\n");
    return 1;
  }
  std::atomic<uint64_t> rows{0};
  std::atomic<bool> failed{false};
  auto until = rating_writer::clock::now() + std::chrono::seconds(seconds);
  std::vector<std::thread> threads;
  for (size_t w = 0; w < writers; ++w)
    threads.emplace_back([&, w] {
      rating_writer writer{url, {}};
      std::mt19937 rng(static_cast<unsigned>(w * 7919 + 1));
      std::uniform_int_distribution<int32_t> user(1, 1000000);
      std::uniform_int_distribution<size_t> movie(0, movies.size() - 1);
      std::uniform_int_distribution<int> half(1, 10);
      while (rating_writer::clock::now() < until && !failed) {
        std::vector<rating> batch_rows;
        std::unordered_set<uint64_t> keys;
        while (batch_rows.size() < batch) {
          rating r{user(rng), movies[movie(rng)],
                   static_cast<uint8_t>(half(rng)), 0};
          auto key = (uint64_t(uint32_t(r.user)) << 32) | uint32_t(r.movie);
          if (keys.insert(key).second)
            batch_rows.push_back(r);
        }
        auto result = writer.write(batch_rows, until + std::chrono::seconds(5));
        if (result.status != write_status::committed) {
          std::fprintf(stderr, "dbbench: %s\n", result.error.c_str());
          failed = true;
          return;
        }
        rows += batch_rows.size();
      }
    });
  for (auto& t : threads)
    t.join();
  if (failed)
    return 1;
  std::printf("BENCH db_rows_per_s=%.0f batch=%zu writers=%zu\n",
              static_cast<double>(rows) / static_cast<double>(seconds), batch,
              writers);
  return 0;
}
