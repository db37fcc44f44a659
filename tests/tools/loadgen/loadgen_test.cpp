// The pure parts of the load generator: latency percentiles, MovieLens CSV
// parsing, request and record formats, the verify rule, the Zipf sampler's
// skew, the split of synthetic users over connections, and option parsing.

#include "loadgen/command_line.hpp"
#include "loadgen/latency_histogram.hpp"
#include "loadgen/movielens_csv.hpp"
#include "loadgen/recorder.hpp"
#include "loadgen/request_text.hpp"
#include "loadgen/run_options.hpp"
#include "loadgen/verify_rule.hpp"
#include "loadgen/workload.hpp"
#include "loadgen/zipf_sampler.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <map>
#include <set>

using namespace heymovie::loadgen;

namespace {

rating make_rating(int32_t user, int32_t movie, int16_t half_stars,
                   int64_t timestamp = no_timestamp) {
  rating r;
  r.user = user;
  r.movie = movie;
  r.half_stars = half_stars;
  r.timestamp = timestamp;
  return r;
}

std::string refusal_of_rating(std::string_view line) {
  std::string error;
  CHECK_FALSE(parse_rating_line(line, error));
  return error;
}

std::string temp_file(const std::string& name, const std::string& content) {
  auto path = "/tmp/loadgen_test_" + name;
  std::ofstream{path} << content;
  return path;
}

} // namespace

// -- latency histogram --------------------------------------------------------

TEST_CASE("latencies below a millisecond are exact", "[loadgen]") {
  latency_histogram h;
  for (uint64_t us = 1; us <= 1000; ++us)
    h.record_us(us);
  CHECK(h.count() == 1000);
  CHECK(h.percentile_us(0.5) == 500);
  CHECK(h.percentile_us(0.9) == 900);
  CHECK(h.percentile_us(0.99) == 990);
  CHECK(h.percentile_us(0.999) == 999);
  CHECK(h.percentile_us(1.0) == 1000);
  CHECK(h.max_us() == 1000);
}

TEST_CASE("longer latencies are within 0.8 percent and never below",
          "[loadgen]") {
  for (uint64_t us = 1024; us < 60'000'000; us = us * 21 / 20 + 7) {
    auto bucket = latency_histogram::bucket_of(us);
    auto highest = latency_histogram::highest_of(bucket);
    INFO(us << " us in bucket " << bucket << " up to " << highest);
    CHECK(highest >= us);
    CHECK(static_cast<double>(highest - us) / static_cast<double>(us) < 0.008);
    CHECK(latency_histogram::bucket_of(highest) == bucket);
    CHECK(latency_histogram::bucket_of(highest + 1) == bucket + 1);
  }
}

TEST_CASE("a percentile is capped by the largest latency recorded",
          "[loadgen]") {
  latency_histogram h;
  h.record(std::chrono::microseconds{123'456});
  CHECK(h.percentile_us(0.5) == 123'456);
  h.record(std::chrono::seconds{100}); // beyond the range: the last bucket
  CHECK(h.max_us() == 100'000'000);
  CHECK(h.percentile_us(1.0) == 100'000'000);
}

TEST_CASE("histograms merge by adding counts", "[loadgen]") {
  latency_histogram fast;
  latency_histogram slow;
  for (int i = 0; i < 90; ++i)
    fast.record_us(100);
  for (int i = 0; i < 10; ++i)
    slow.record_us(5000);
  fast.merge(slow);
  CHECK(fast.count() == 100);
  CHECK(fast.percentile_us(0.9) == 100);
  CHECK(fast.percentile_us(0.91) >= 5000);
  CHECK(fast.max_us() == 5000);
  CHECK(latency_histogram{}.percentile_us(0.99) == 0);
}

// -- MovieLens CSV ------------------------------------------------------------

TEST_CASE("a ratings.csv line becomes half stars and a timestamp",
          "[loadgen]") {
  std::string error;
  auto r = parse_rating_line("1,31,2.5,964982703\r", error);
  REQUIRE(r);
  CHECK(r->user == 1);
  CHECK(r->movie == 31);
  CHECK(r->half_stars == 5);
  CHECK(r->timestamp == 964982703);
  CHECK(parse_rating_line("7,1,0.5,1", error)->half_stars == 1);
  CHECK(parse_rating_line("7,1,5,1", error)->half_stars == 10);
  CHECK_FALSE(parse_rating_line("7,1,4.0,", error)->has_timestamp());
}

TEST_CASE("malformed ratings.csv lines are refused with a reason",
          "[loadgen]") {
  CHECK_THAT(refusal_of_rating("1,2,4.2,5"), Catch::Contains("rating"));
  CHECK_THAT(refusal_of_rating("1,2,0,5"), Catch::Contains("rating"));
  CHECK_THAT(refusal_of_rating("1,2,5.5,5"), Catch::Contains("rating"));
  CHECK_THAT(refusal_of_rating("x,2,4,5"), Catch::Contains("userId"));
  CHECK_THAT(refusal_of_rating("1,0,4,5"), Catch::Contains("movieId"));
  CHECK_THAT(refusal_of_rating("1,2,4,5,6"), Catch::Contains("4 fields"));
  CHECK_THAT(refusal_of_rating("1,2,4,soon"), Catch::Contains("timestamp"));
}

TEST_CASE("a movies.csv id is the first field whether titles are quoted or not",
          "[loadgen]") {
  std::string error;
  CHECK(parse_movie_id("1,Toy Story (1995),Adventure|Animation", error) == 1);
  CHECK(parse_movie_id(
            R"csv(11,"American President, The (1995)",Comedy|Drama)csv",
            error) == 11);
  CHECK(parse_movie_id(R"csv("5",Five (1995),"Comedy")csv", error) == 5);
  CHECK(parse_movie_id("\xEF\xBB\xBF"
                       "29,Title,Drama\r",
                       error) == 29);
  CHECK_FALSE(parse_movie_id("x,Title,Drama", error));
  CHECK_FALSE(parse_movie_id(R"csv("7,Title,Drama)csv", error));
}

TEST_CASE("files skip their header and stop at the limit", "[loadgen]") {
  auto ratings = temp_file("ratings.csv", "userId,movieId,rating,timestamp\r\n"
                                          "1,1,4.0,964982703\r\n"
                                          "1,3,4.0,964981247\r\n"
                                          "2,6,3.5,964982224\r\n");
  CHECK(read_ratings_csv(ratings, 100).size() == 3);
  auto first = read_ratings_csv(ratings, 2);
  REQUIRE(first.size() == 2);
  CHECK(first[1].movie == 3);
  auto movies =
      temp_file("movies.csv", "movieId,title,genres\n"
                              "1,Toy Story (1995),Comedy\n"
                              "11,\"American President, The (1995)\",Drama\n");
  CHECK(read_movie_ids(movies) == std::vector<int32_t>{1, 11});
  auto broken = temp_file("broken.csv", "movieId,title,genres\n1,A,B\nx,C,D\n");
  CHECK_THROWS_WITH(read_movie_ids(broken), Catch::Contains(":3:"));
  std::remove(ratings.c_str());
  std::remove(movies.c_str());
  std::remove(broken.c_str());
}

// -- request and record formats -----------------------------------------------

TEST_CASE("a request carries the rating in stars and its exact length",
          "[loadgen]") {
  std::string body;
  write_rating_body(make_rating(1, 2, 9, 964982703), body);
  CHECK(body == R"({"user":1,"movie":2,"rating":4.5,"timestamp":964982703})");
  write_rating_body(make_rating(3, 4, 8), body);
  CHECK(body == R"({"user":3,"movie":4,"rating":4.0})");
  std::string request;
  write_rating_request(make_rating(3, 4, 8), "127.0.0.1:8080", request);
  CHECK(request == "POST /rating HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"
                   "Content-Type: application/json\r\nContent-Length: " +
                       std::to_string(body.size()) + "\r\n\r\n" + body);
}

TEST_CASE("record lines round-trip with or without timestamp", "[loadgen]") {
  std::string lines;
  append_record_line(make_rating(5, 6, 7, 123), 201, lines);
  append_record_line(make_rating(5, 6, 8), 0, lines);
  CHECK(lines == "5,6,7,123,201\n5,6,8,,0\n");
  std::string error;
  auto with = parse_record_line("5,6,7,123,201", error);
  REQUIRE(with);
  CHECK(with->what.timestamp == 123);
  CHECK(with->status == 201);
  auto without = parse_record_line("5,6,8,,0\r", error);
  REQUIRE(without);
  CHECK_FALSE(without->what.has_timestamp());
  CHECK(without->status == 0);
  CHECK_FALSE(parse_record_line("5,6,11,,201", error));
  CHECK_FALSE(parse_record_line("5,6,7,201", error));
  CHECK_FALSE(parse_record_line("5,6,7,,", error));
}

// -- the verify rule ----------------------------------------------------------

TEST_CASE("the last acknowledged rating must be stored", "[loadgen]") {
  pair_history h;
  h.add(make_rating(1, 1, 4), 201);
  h.add(make_rating(1, 1, 6), 200);
  REQUIRE(h.acknowledged());
  CHECK(h.accepts(6, 0));
  CHECK_FALSE(h.accepts(4, 0)); // overwritten by a later acknowledged one
}

TEST_CASE("unanswered requests after it may have won but refused ones not",
          "[loadgen]") {
  pair_history h;
  h.add(make_rating(1, 1, 2), 0); // before the acknowledgement: too early
  h.add(make_rating(1, 1, 4), 201);
  h.add(make_rating(1, 1, 5), 503);
  h.add(make_rating(1, 1, 7), 0);
  h.add(make_rating(1, 1, 9), 422);
  CHECK(h.accepts(4, 0));
  CHECK(h.accepts(5, 0));
  CHECK(h.accepts(7, 0));
  CHECK_FALSE(h.accepts(9, 0));
  CHECK_FALSE(h.accepts(2, 0));
  CHECK(h.uncertain_after() == 2);
  h.add(make_rating(1, 1, 3), 200); // a new acknowledgement settles it
  CHECK(h.accepts(3, 0));
  CHECK_FALSE(h.accepts(7, 0));
}

TEST_CASE("timestamps count only when the request carried one", "[loadgen]") {
  pair_history with;
  with.add(make_rating(1, 1, 4, 1000), 201);
  CHECK(with.accepts(4, 1000));
  CHECK_FALSE(with.accepts(4, 1001));
  pair_history without;
  without.add(make_rating(1, 1, 4), 201);
  CHECK(without.accepts(4, 1795814610));
}

TEST_CASE("pairs never acknowledged are not checked", "[loadgen]") {
  pair_history h;
  h.add(make_rating(1, 1, 4), 503);
  h.add(make_rating(1, 1, 5), 400);
  CHECK_FALSE(h.acknowledged());
  CHECK(outcome_of(201) == outcome::acknowledged);
  CHECK(outcome_of(0) == outcome::uncertain);
  CHECK(outcome_of(500) == outcome::uncertain);
  CHECK(outcome_of(413) == outcome::refused);
}

TEST_CASE("movie aggregates must be what the ratings imply", "[loadgen]") {
  std::unordered_map<int32_t, movie_aggregate> stored = {
      {1, {2, 15}}, {2, {0, 0}}, {3, {1, 4}}, {4, {1, 8}}};
  std::unordered_map<int32_t, movie_aggregate> implied = {
      {1, {2, 15}}, {4, {1, 9}}, {5, {1, 2}}};
  auto mismatches = compare_aggregates(stored, implied);
  REQUIRE(mismatches.size() == 3);
  CHECK(mismatches[0].movie == 3); // stored 1/4, no ratings
  CHECK(mismatches[0].implied == movie_aggregate{});
  CHECK(mismatches[1].movie == 4); // sums differ
  CHECK(mismatches[2].movie == 5); // rated, but not in movies
  CHECK_FALSE(mismatches[2].stored);
}

// -- synthetic workload -------------------------------------------------------

TEST_CASE("Zipf ranks are skewed by the exponent", "[loadgen]") {
  constexpr size_t draws = 100000;
  auto histogram = [&](double s) {
    zipf_sampler sampler{1000, s};
    std::vector<size_t> counts(1000);
    for (size_t i = 0; i < draws; ++i)
      ++counts[sampler.rank((static_cast<double>(i) + 0.5) / draws)];
    return counts;
  };
  auto uniform = histogram(0);
  CHECK(uniform.front() == 100);
  CHECK(uniform.back() == 100);
  auto zipf = histogram(1);
  // P(rank 0) = 1 / H(1000) = 0.1336, and rank r has 1/(r + 1) of that.
  CHECK(zipf[0] == Approx(13360).margin(20));
  CHECK(zipf[1] == Approx(zipf[0] / 2.0).margin(20));
  CHECK(zipf[9] == Approx(zipf[0] / 10.0).margin(20));
  CHECK(histogram(2)[0] > zipf[0]);
}

TEST_CASE("synthetic users stay on their connection up to the count",
          "[loadgen]") {
  auto catalogue =
      std::make_shared<const synthetic_catalogue>(synthetic_catalogue{
          {10, 20, 30}, zipf_sampler{3, 1.0}, 50, 0.25, 1000, false});
  constexpr size_t connections = 8;
  size_t total = 0;
  size_t rerated = 0;
  std::set<uint64_t> indices;
  for (size_t c = 0; c < connections; ++c) {
    synthetic_source source{catalogue, 42, c, connections};
    std::set<std::pair<int32_t, int32_t>> seen;
    planned_request p;
    while (source.next(p)) {
      CHECK(static_cast<size_t>(p.what.user) % connections == c);
      CHECK(p.what.user >= 1);
      CHECK(p.what.user <= 50);
      CHECK(p.what.half_stars >= 1);
      CHECK(p.what.half_stars <= 10);
      CHECK_FALSE(p.what.has_timestamp());
      rerated += !seen.insert({p.what.user, p.what.movie}).second;
      indices.insert(p.index);
      ++total;
    }
  }
  CHECK(total == 1000);
  CHECK(indices.size() == 1000); // each index 0..999 once
  CHECK(*indices.rbegin() == 999);
  // Re-ratings at least the asked share (fresh pairs may repeat too).
  CHECK(rerated >= 200);
}

TEST_CASE("a seed repeats the synthetic workload", "[loadgen]") {
  auto catalogue =
      std::make_shared<const synthetic_catalogue>(synthetic_catalogue{
          {1, 2, 3, 4, 5}, zipf_sampler{5, 1.0}, 1000, 0.1, 100, true});
  synthetic_source a{catalogue, 7, 1, 4};
  synthetic_source b{catalogue, 7, 1, 4};
  planned_request pa;
  planned_request pb;
  while (a.next(pa)) {
    REQUIRE(b.next(pb));
    CHECK(pa.what.user == pb.what.user);
    CHECK(pa.what.movie == pb.what.movie);
    CHECK(pa.what.half_stars == pb.what.half_stars);
    CHECK(pa.what.has_timestamp());
  }
}

// -- options ------------------------------------------------------------------

TEST_CASE("URLs name an HTTP host and port", "[loadgen]") {
  auto local = parse_url("http://127.0.0.1:18080/");
  REQUIRE(local);
  CHECK(local->host == "127.0.0.1");
  CHECK(local->port == 18080);
  CHECK(parse_url("http://localhost")->port == 80);
  auto v6 = parse_url("http://[::1]:9000");
  REQUIRE(v6);
  CHECK(v6->host == "::1");
  CHECK(v6->authority() == "[::1]:9000");
  CHECK_FALSE(parse_url("https://127.0.0.1:443"));
  CHECK_FALSE(parse_url("http://127.0.0.1:99999"));
  CHECK_FALSE(parse_url("http://127.0.0.1:8080/rating"));
}

TEST_CASE("run options are checked as a whole", "[loadgen]") {
  auto parse = [](std::vector<std::string_view> args) {
    return parse_run_options(command_line{args, run_option_table()});
  };
  auto synthetic = parse({"--synthetic", "--movies=m.csv", "--rate=500"});
  CHECK(synthetic.workload == workload_kind::synthetic);
  CHECK(synthetic.duration == std::chrono::seconds{10});
  CHECK(synthetic.rate == 500.0);
  CHECK(synthetic.connections == 64);
  auto counted = parse({"--synthetic", "--movies=m.csv", "--count=5"});
  CHECK(counted.count == 5);
  CHECK_FALSE(counted.duration);
  auto replay =
      parse({"--replay=r.csv", "--limit=10", "--threads=4", "--connections=2"});
  CHECK(replay.limit == 10);
  CHECK(replay.threads == 2); // never more threads than connections
  CHECK_FALSE(replay.duration);
  CHECK_THROWS_WITH(parse({"--synthetic"}), Catch::Contains("--movies"));
  CHECK_THROWS_WITH(parse({"--replay=r.csv", "--zipf=2"}),
                    Catch::Contains("--synthetic only"));
  CHECK_THROWS_WITH(parse({"--replay=r.csv", "--synthetic"}),
                    Catch::Contains("either"));
  CHECK_THROWS_WITH(parse({"--replay=r.csv", "--rerate=2"}),
                    Catch::Contains("--rerate"));
}

TEST_CASE("command lines refuse what their table does not list", "[loadgen]") {
  std::vector<option_spec> table = {{"count", "N", ""}, {"fast", "", ""}};
  CHECK_THROWS_WITH((command_line{{"--speed=1"}, table}),
                    Catch::Contains("unrecognised option '--speed=1'"));
  CHECK_THROWS_WITH((command_line{{"--count"}, table}),
                    Catch::Contains("'--count' is missing"));
  CHECK_THROWS_WITH((command_line{{"count=1"}, table}),
                    Catch::Contains("positional"));
  CHECK_THROWS_WITH((command_line{{"--count=1", "--count=2"}, table}),
                    Catch::Contains("more than once"));
  command_line args{{"--count=12", "--fast"}, table};
  CHECK(args.integer("count", 0, 1, 100) == 12);
  CHECK(args.flag("fast"));
  CHECK_THROWS_WITH(args.integer("count", 0, 1, 10), Catch::Contains("1..10"));
  CHECK(command_line{{"--count", "7"}, table}.integer("count", 0, 1, 10) == 7);
  CHECK_FALSE(command_line{{"--fast=false"}, table}.flag("fast"));
  CHECK_FALSE(command_line{{}, table}.flag("fast"));
  command_line yes{{"--fast=yes"}, table};
  CHECK_THROWS_WITH(yes.flag("fast"), Catch::Contains("is a flag"));
}
