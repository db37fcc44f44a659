#include "persistence/movies_csv.hpp"

#include <catch2/catch.hpp>

using namespace heymovie::persistence;

namespace {

movie_record parsed(std::string_view line) {
  std::string error;
  auto movie = parse_movie_line(line, error);
  if (!movie)
    FAIL("refused: " << error);
  return *movie;
}

std::string refusal(std::string_view line) {
  std::string error;
  auto movie = parse_movie_line(line, error);
  CHECK_FALSE(movie);
  return error;
}

} // namespace

TEST_CASE("a plain line", "[persistence]") {
  auto m = parsed("1,Toy Story (1995),Adventure|Animation|Children");
  CHECK(m.id == 1);
  CHECK(m.title == "Toy Story (1995)");
  CHECK(m.genres == "Adventure|Animation|Children");
}

TEST_CASE("quoted titles hold commas and doubled quotes", "[persistence]") {
  CHECK(parsed(R"csv(11,"American President, The (1995)",Comedy|Drama)csv")
            .title == "American President, The (1995)");
  CHECK(parsed(R"csv(7,"The ""Great"" One, Part 2 (2001)",Drama)csv").title ==
        R"csv(The "Great" One, Part 2 (2001))csv");
  CHECK(parsed(R"csv("5",Five (1995),"Comedy")csv").genres == "Comedy");
}

TEST_CASE("CRLF line ends and UTF-8 titles", "[persistence]") {
  auto m = parsed("29,\"City of Lost Children, The (Cit\xc3\xa9 des enfants "
                  "perdus, La) (1995)\",Adventure\r");
  CHECK(m.title ==
        "City of Lost Children, The (Cit\xc3\xa9 des enfants perdus, La) "
        "(1995)");
  CHECK(m.genres == "Adventure");
}

TEST_CASE("malformed lines are refused with a reason", "[persistence]") {
  CHECK_THAT(refusal("1,Toy Story"), Catch::Contains("3 fields"));
  CHECK_THAT(refusal("1,a,b,c"), Catch::Contains("3 fields"));
  CHECK_THAT(refusal(R"csv(1,"unterminated,Drama)csv"), Catch::Contains("CSV"));
  CHECK_THAT(refusal(R"csv(1,stray"quote,Drama)csv"), Catch::Contains("CSV"));
  CHECK_THAT(refusal("x,Title,Drama"), Catch::Contains("movieId"));
  CHECK_THAT(refusal("0,Title,Drama"), Catch::Contains("movieId"));
  CHECK_THAT(refusal("-3,Title,Drama"), Catch::Contains("movieId"));
  CHECK_THAT(refusal("99999999999,Title,Drama"), Catch::Contains("movieId"));
  CHECK_THAT(refusal("1,,Drama"), Catch::Contains("title"));
  CHECK_THAT(refusal("1,Bad \xff UTF-8,Drama"), Catch::Contains("UTF-8"));
}

TEST_CASE("the header is recognised, with or without a BOM", "[persistence]") {
  CHECK(is_movies_csv_header("movieId,title,genres"));
  CHECK(is_movies_csv_header("movieId,title,genres\r"));
  CHECK(is_movies_csv_header("\xEF\xBB\xBFmovieId,title,genres"));
  CHECK_FALSE(is_movies_csv_header("1,Toy Story (1995),Comedy"));
}
