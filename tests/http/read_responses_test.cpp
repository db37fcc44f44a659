#include "http/read_responses.hpp"

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

using namespace heymovie;
using nlohmann::json;

TEST_CASE("a movie shows its average in stars and its votes", "[http]") {
  auto body = json::parse(http::movie_json(
      {1, "Toy Story (1995)", {"Adventure", "Comedy"}, 4, 31}));
  CHECK(body["id"] == 1);
  CHECK(body["title"] == "Toy Story (1995)");
  CHECK(body["genres"] == json::array({"Adventure", "Comedy"}));
  CHECK(body["votes"] == 4);
  CHECK(body["average"].get<double>() == Approx(3.875));
  auto unrated = json::parse(http::movie_json({2, "x", {}, 0, 0}));
  CHECK(unrated["average"].is_null());
  CHECK(unrated["genres"] == json::array());
}

TEST_CASE("titles with quotes, backslashes and broken bytes stay valid JSON",
          "[http]") {
  auto text = http::movie_json({3, "A \"B\" \\ C \xff", {}, 0, 0});
  auto body = json::parse(text);
  CHECK(body["title"].get<std::string>().rfind("A \"B\" \\ C ", 0) == 0);
}

TEST_CASE("the rolling average lists cumulative figures per year", "[http]") {
  auto body = json::parse(
      http::rolling_average_json(5, {{1996, 2, 15}, {1997, 3, 20}}));
  CHECK(body["movie"] == 5);
  REQUIRE(body["years"].size() == 2);
  CHECK(body["years"][0]["year"] == 1996);
  CHECK(body["years"][0]["average"].get<double>() == Approx(3.75));
  CHECK(body["years"][1]["votes"] == 3);
  CHECK(body["years"][1]["average"].get<double>() == Approx(20.0 / 6));
}

TEST_CASE("a page of a user's ratings points to the next one if there is "
          "one",
          "[http]") {
  // The reader asks for one more than the limit.
  std::vector<persistence::rating> rows{
      {1, 10, 7, 100}, {1, 20, 10, 200}, {1, 30, 4, 300}};
  auto more = json::parse(http::user_ratings_json(1, 2, rows));
  CHECK(more["user"] == 1);
  REQUIRE(more["ratings"].size() == 2);
  CHECK(more["next_after"] == 20);
  CHECK(more["ratings"][0]["movie"] == 10);
  CHECK(more["ratings"][0]["rating"].get<double>() == 3.5);
  CHECK(more["ratings"][1]["timestamp"] == 200);
  // Exactly full, and nothing after it: the last page.
  auto full_last = json::parse(http::user_ratings_json(1, 3, rows));
  CHECK(full_last["ratings"].size() == 3);
  CHECK(full_last["next_after"].is_null());
  auto short_last = json::parse(http::user_ratings_json(1, 5, rows));
  CHECK(short_last["next_after"].is_null());
  auto empty = json::parse(http::user_ratings_json(1, 3, {}));
  CHECK(empty["ratings"] == json::array());
  CHECK(empty["next_after"].is_null());
}

TEST_CASE("the top list echoes its parameters", "[http]") {
  auto body = json::parse(http::top_movies_json(
      2, 50, {{1, "a", {}, 60, 600}, {2, "b", {}, 50, 400}}));
  CHECK(body["limit"] == 2);
  CHECK(body["min_votes"] == 50);
  CHECK(body["movies"][0]["average"].get<double>() == 5.0);
  CHECK(body["movies"][1]["id"] == 2);
}
