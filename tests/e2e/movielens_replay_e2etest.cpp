// Replays MovieLens ratings over HTTP with many connections at once and
// checks the database against what the CSV file implies, computed here
// independently of the service. HEYMOVIE_REPLAY_LIMIT=N replays only the
// first N ratings (the full file is the default).

#include "loadgen/movielens_csv.hpp"
#include "loadgen/request_text.hpp"
#include "support/http_client.hpp"
#include "support/service_process.hpp"
#include "support/test_database.hpp"

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include <cstdlib>
#include <ctime>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

using namespace heymovie::testing;

namespace {

int utc_year(int64_t unix_seconds) {
  std::time_t t = unix_seconds;
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm.tm_year + 1900;
}

nlohmann::json get_json(http_client& client, const std::string& target) {
  auto res = client.get(target);
  INFO(target << " -> " << res.status << " " << res.body);
  REQUIRE(res.status == 200);
  return nlohmann::json::parse(res.body);
}

size_t replay_limit() {
  auto* env = std::getenv("HEYMOVIE_REPLAY_LIMIT");
  return env ? std::stoul(env) : std::numeric_limits<size_t>::max();
}

} // namespace

SCENARIO("replaying MovieLens over many connections stores exactly what the "
         "file says",
         "[e2e][replay]") {
  auto ratings = heymovie::loadgen::read_ratings_csv(
      movielens_dir() + "/ratings.csv", replay_limit());
  REQUIRE(!ratings.empty());
  test_database db{movielens_dir() + "/movies.csv"};
  service_process service{db.url()};

  // Each connection owns the users with user % connections == its index, so
  // one user's ratings go in file order.
  constexpr size_t connections = 32;
  std::vector<std::map<int, size_t>> statuses(connections);
  std::vector<std::thread> clients;
  for (size_t c = 0; c < connections; ++c)
    clients.emplace_back([&, c] {
      http_client client{service.port()};
      std::string body;
      for (auto& r : ratings) {
        if (static_cast<size_t>(r.user) % connections != c)
          continue;
        heymovie::loadgen::write_rating_body(r, body);
        ++statuses[c][client.post_rating(body).status];
      }
    });
  for (auto& t : clients)
    t.join();
  std::map<int, size_t> total;
  for (auto& per_client : statuses)
    for (auto& [status, n] : per_client)
      total[status] += n;
  CHECK(total[201] == ratings.size());
  CHECK(total.size() == 1);

  // Expected state, from the file alone.
  std::map<std::pair<int32_t, int32_t>, const heymovie::loadgen::rating*>
      expected_rows;
  for (auto& r : ratings)
    expected_rows[{r.user, r.movie}] = &r;
  std::map<int32_t, std::pair<int64_t, int64_t>> expected_movies;
  for (auto& [key, r] : expected_rows) {
    expected_movies[r->movie].first += 1;
    expected_movies[r->movie].second += r->half_stars;
  }

  pqxx::connection conn{db.url()};
  pqxx::read_transaction tx{conn};
  size_t rows = 0;
  size_t wrong_rows = 0;
  for (auto row : tx.exec("SELECT user_id, movie_id, half_stars, rated_at "
                          "FROM ratings")) {
    ++rows;
    auto i = expected_rows.find({row[0].as<int32_t>(), row[1].as<int32_t>()});
    if (i == expected_rows.end() || i->second->half_stars != row[2].as<int>() ||
        i->second->timestamp != row[3].as<int64_t>())
      ++wrong_rows;
  }
  CHECK(rows == expected_rows.size());
  CHECK(wrong_rows == 0);
  size_t wrong_movies = 0;
  size_t rated_movies = 0;
  for (auto row :
       tx.exec("SELECT id, vote_count, rating_sum FROM movie_totals")) {
    auto id = row[0].as<int32_t>();
    auto votes = row[1].as<int64_t>();
    auto sum = row[2].as<int64_t>();
    auto i = expected_movies.find(id);
    auto want = i == expected_movies.end()
                    ? std::make_pair(int64_t{0}, int64_t{0})
                    : i->second;
    rated_movies += votes > 0;
    if (votes != want.first || sum != want.second)
      ++wrong_movies;
  }
  CHECK(wrong_movies == 0);
  CHECK(rated_movies == expected_movies.size());

  // The read endpoints, against figures computed from the file.
  http_client reads{service.port()};
  auto most_rated = std::max_element(
      expected_movies.begin(), expected_movies.end(),
      [](auto& a, auto& b) { return a.second.first < b.second.first; });
  for (int32_t id : {ratings.front().movie, most_rated->first}) {
    INFO("movie " << id);
    auto [votes, half_stars] = expected_movies[id];
    auto movie = get_json(reads, "/movies/" + std::to_string(id));
    CHECK(movie["votes"] == votes);
    CHECK(movie["average"].get<double>() ==
          Approx(static_cast<double>(half_stars) / 2 / votes));
    // Rolling average: cumulative per calendar year of the timestamps.
    std::map<int, std::pair<int64_t, int64_t>> per_year;
    for (auto& [key, r] : expected_rows)
      if (r->movie == id) {
        per_year[utc_year(r->timestamp)].first += 1;
        per_year[utc_year(r->timestamp)].second += r->half_stars;
      }
    auto rolling = get_json(reads, "/movies/" + std::to_string(id) +
                                       "/rolling-avg")["years"];
    REQUIRE(rolling.size() == per_year.size());
    int64_t cum_votes = 0;
    int64_t cum_half = 0;
    size_t i = 0;
    for (auto& [year, figures] : per_year) {
      cum_votes += figures.first;
      cum_half += figures.second;
      CHECK(rolling[i]["year"] == year);
      CHECK(rolling[i]["votes"] == cum_votes);
      CHECK(rolling[i]["average"].get<double>() ==
            Approx(static_cast<double>(cum_half) / 2 / cum_votes));
      ++i;
    }
  }
  // A user's ratings, page by page: no gaps, no repeats.
  auto user = ratings.front().user;
  std::map<int32_t, const heymovie::loadgen::rating*> expected_user;
  for (auto& [key, r] : expected_rows)
    if (key.first == user)
      expected_user[key.second] = r;
  std::set<int32_t> seen;
  std::string after = "0";
  size_t pages = 0;
  for (;;) {
    auto page = get_json(reads, "/users/" + std::to_string(user) +
                                    "/ratings?limit=50&after=" + after);
    ++pages;
    for (auto& r : page["ratings"]) {
      auto movie = r["movie"].get<int32_t>();
      CHECK(seen.insert(movie).second);
      auto i = expected_user.find(movie);
      REQUIRE(i != expected_user.end());
      CHECK(r["rating"].get<double>() == i->second->half_stars / 2.0);
      CHECK(r["timestamp"] == i->second->timestamp);
    }
    if (page["next_after"].is_null())
      break;
    after = std::to_string(page["next_after"].get<int32_t>());
  }
  CHECK(seen.size() == expected_user.size());
  CHECK(pages == std::max<size_t>(1, (expected_user.size() + 49) / 50));
  // A page that holds exactly the rest is the last one.
  if (expected_user.size() <= 500) {
    auto whole =
        get_json(reads, "/users/" + std::to_string(user) + "/ratings?limit=" +
                            std::to_string(expected_user.size()));
    CHECK(whole["ratings"].size() == expected_user.size());
    CHECK(whole["next_after"].is_null());
  }
  auto one = get_json(reads, "/ratings/" + std::to_string(user) + "/" +
                                 std::to_string(ratings.front().movie));
  CHECK(one["rating"].get<double>() == ratings.front().half_stars / 2.0);
  // The best movies with at least 50 votes, as the file ranks them.
  std::vector<std::pair<double, int32_t>> ranked;
  for (auto& [id, figures] : expected_movies)
    if (figures.first >= 50)
      ranked.emplace_back(
          static_cast<double>(figures.second) / 2 / figures.first, id);
  std::sort(ranked.begin(), ranked.end(), [&](auto& a, auto& b) {
    if (a.first != b.first)
      return a.first > b.first;
    auto va = expected_movies[a.second].first;
    auto vb = expected_movies[b.second].first;
    return va != vb ? va > vb : a.second < b.second;
  });
  auto top = get_json(reads, "/movies/top?limit=10&min_votes=50")["movies"];
  REQUIRE(top.size() == std::min<size_t>(10, ranked.size()));
  for (size_t i = 0; i < top.size(); ++i) {
    CHECK(top[i]["id"] == ranked[i].second);
    CHECK(top[i]["average"].get<double>() == Approx(ranked[i].first));
  }
}
