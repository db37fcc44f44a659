// Reading MovieLens files: ratings.csv lines to half stars and timestamps,
// movies.csv ids, refused lines with their reasons, headers and limits.

#include "loadgen/movielens_csv.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

using namespace heymovie::loadgen;

namespace {

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
