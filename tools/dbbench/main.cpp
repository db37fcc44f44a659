// dbbench: the database's own ceiling for HeyMovie's write path. It writes
// random ratings (users 1..1,000,000, movies of the catalogue in the
// database) through the same batch transaction as the service
// (persistence::rating_writer), from several writer threads, as fast as
// PostgreSQL takes them, and prints the rows committed per second. No HTTP,
// no actors: the figure tools/bench compares the service against.
//
//   dbbench DATABASE_URL [--batch=1000] [--writers=2] [--seconds=10]

#include "persistence/rating_writer.hpp"

#include <boost/program_options.hpp>
#include <pqxx/pqxx>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <iostream>
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
        if (!result.committed()) {
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
