#include "http/rating_request.hpp"

#include <catch2/catch.hpp>

using namespace heymovie;
using http::api_errc;

namespace {

const persistence::movie_catalog catalog{{1, 2, 50, 2147483647}};
constexpr int64_t now = 1700000000;

http::rating_or_error parse(std::string body) {
  http::rating_request_parser parser{catalog};
  return parser.parse(body, now);
}

api_errc error_of(const std::string& body) {
  auto result = parse(body);
  REQUIRE(std::holds_alternative<http::api_error>(result));
  return std::get<http::api_error>(result).code;
}

persistence::rating rating_of(const std::string& body) {
  auto result = parse(body);
  if (auto* err = std::get_if<http::api_error>(&result))
    FAIL("unexpected error: " << err->message);
  return std::get<persistence::rating>(result);
}

} // namespace

TEST_CASE("a valid rating is parsed, with the time of receipt by default",
          "[http]") {
  auto r = rating_of(R"({"user": 1, "movie": 1, "rating": 4.0})");
  CHECK(r.user == 1);
  CHECK(r.movie == 1);
  CHECK(r.half_stars == 8);
  CHECK(r.rated_at == now);
}

TEST_CASE("ratings are half stars from 0.5 to 5.0", "[http]") {
  CHECK(rating_of(R"({"user":1,"movie":1,"rating":4})").half_stars == 8);
  CHECK(rating_of(R"({"user":1,"movie":1,"rating":4.5})").half_stars == 9);
  CHECK(rating_of(R"({"user":1,"movie":1,"rating":0.5})").half_stars == 1);
  CHECK(rating_of(R"({"user":1,"movie":1,"rating":5.0})").half_stars == 10);
  CHECK(rating_of(R"({"user":1,"movie":1,"rating":45e-1})").half_stars == 9);
  CHECK(rating_of(R"({"user":1,"movie":1,"rating":0.45E+1 })").half_stars == 9);
  for (auto bad : {"4.2", "0", "0.0", "-0", "5.5", "-1", "-0.5", "10", "1e3",
                   "4.25", "1e999", "-1e999"})
    CHECK(error_of(std::string{R"({"user":1,"movie":1,"rating":)"} + bad +
                   "}") == api_errc::off_scale);
}

TEST_CASE("field order and an explicit timestamp are honoured", "[http]") {
  auto r = rating_of(
      R"({"timestamp": 964982703, "rating": 3.5, "movie": 50, "user": 7})");
  CHECK(r.user == 7);
  CHECK(r.movie == 50);
  CHECK(r.half_stars == 7);
  CHECK(r.rated_at == 964982703);
}

TEST_CASE("ids must be integers in 1..2147483647", "[http]") {
  CHECK(
      rating_of(R"({"user":2147483647,"movie":2147483647,"rating":1})").user ==
      2147483647);
  CHECK(error_of(R"({"user":0,"movie":1,"rating":1})") ==
        api_errc::out_of_range);
  CHECK(error_of(R"({"user":-5,"movie":1,"rating":1})") ==
        api_errc::out_of_range);
  CHECK(error_of(R"({"user":2147483648,"movie":1,"rating":1})") ==
        api_errc::out_of_range);
  CHECK(error_of(R"({"user":18446744073709551615,"movie":1,"rating":1})") ==
        api_errc::out_of_range);
  CHECK(error_of(R"({"user":-9223372036854775809,"movie":1,"rating":1})") ==
        api_errc::out_of_range);
  CHECK(error_of(R"({"user":1,"movie":99999999999999999999,"rating":1})") ==
        api_errc::out_of_range);
  CHECK(error_of(R"({"user":1,"movie":-1,"rating":1})") ==
        api_errc::out_of_range);
  CHECK(error_of(R"({"user":1.0,"movie":1,"rating":1})") ==
        api_errc::wrong_type);
  CHECK(error_of(R"({"user":"1","movie":1,"rating":1})") ==
        api_errc::wrong_type);
  CHECK(error_of(R"({"user":1,"movie":null,"rating":1})") ==
        api_errc::wrong_type);
  CHECK(error_of(R"({"user":[1],"movie":1,"rating":1})") ==
        api_errc::wrong_type);
  CHECK(error_of(R"({"user":{"id":1},"movie":1,"rating":1})") ==
        api_errc::wrong_type);
}

TEST_CASE("a rating of the wrong type is a 400, not a 422", "[http]") {
  CHECK(error_of(R"({"user":1,"movie":1,"rating":"4"})") ==
        api_errc::wrong_type);
  CHECK(error_of(R"({"user":1,"movie":1,"rating":true})") ==
        api_errc::wrong_type);
  CHECK(error_of(R"({"user":1,"movie":1,"rating":null})") ==
        api_errc::wrong_type);
}

TEST_CASE("missing, unknown and duplicate fields are refused", "[http]") {
  CHECK(error_of(R"({"user":1,"movie":1})") == api_errc::missing_field);
  CHECK(error_of(R"({"movie":1,"rating":1})") == api_errc::missing_field);
  CHECK(error_of(R"({})") == api_errc::missing_field);
  CHECK(error_of(R"({"user":1,"movie":1,"rating":1,"extra":2})") ==
        api_errc::unknown_field);
  CHECK(error_of(R"({"user":1,"user":2,"movie":1,"rating":1})") ==
        api_errc::duplicate_key);
  // An escaped key is the same key.
  CHECK(error_of(R"({"user":1,"us\u0065r":2,"movie":1,"rating":1})") ==
        api_errc::duplicate_key);
}

TEST_CASE("the message names the field", "[http]") {
  auto result = parse(R"({"user":1,"movie":1,"rating":9})");
  REQUIRE(std::holds_alternative<http::api_error>(result));
  CHECK_THAT(std::get<http::api_error>(result).message,
             Catch::Contains("rating"));
  result = parse(R"({"user":1,"movie":1})");
  CHECK_THAT(std::get<http::api_error>(result).message,
             Catch::Contains("rating"));
  result = parse(R"({"user":1,"movie":"x","rating":1})");
  CHECK_THAT(std::get<http::api_error>(result).message,
             Catch::Contains("movie"));
}

TEST_CASE("malformed JSON is a 400", "[http]") {
  for (auto body : {"",
                    " ",
                    "{",
                    "}",
                    "[]",
                    "null",
                    "4",
                    "\"text\"",
                    R"({"user":1,"movie":1,"rating":1)",
                    R"({"user":1,"movie":1,"rating":1}})",
                    R"({"user":1,"movie":1,"rating":1} trailing)",
                    R"({"user":1,"movie":1,"rating":1}{})",
                    R"({"user":1,,"movie":1,"rating":1})",
                    R"({"user":01,"movie":1,"rating":1})",
                    R"({"user":1.,"movie":1,"rating":1})",
                    R"({"user":1x,"movie":1,"rating":1})",
                    R"({"user":1,"movie":-,"rating":1})",
                    R"({"user":1,"movie":1,"rating":4.})",
                    R"({"user":1,"movie":1,"rating":4e})",
                    R"({"user":1,"movie":1,"rating":4e+})",
                    R"({"user":1,"movie":1,"rating":04})",
                    R"({"user":1,"movie":1,"rating":4x})",
                    R"({"user":1,"movie":1,"rating":4.5.5})",
                    R"({"user":1,"movie":1,"rating":-})",
                    R"({"user":1,"movie":1,"rating":.5})",
                    R"({"user":1,"movie":1,"rating":0000})",
                    R"({"user":1,"movie":1,"rating":NaN})",
                    R"({"user":1,"movie":1,"rating":Infinity})",
                    R"({user:1,"movie":1,"rating":1})",
                    "{\"user\":1,\"movie\":1,\"rating\":1,\"\xff\":1}"}) {
    INFO(body);
    CHECK(error_of(body) == api_errc::malformed_json);
  }
}

TEST_CASE("an unknown movie is a 422", "[http]") {
  CHECK(error_of(R"({"user":1,"movie":3,"rating":1})") ==
        api_errc::unknown_movie);
}

TEST_CASE("timestamps are unix seconds up to year 9999", "[http]") {
  CHECK(
      rating_of(R"({"user":1,"movie":1,"rating":1,"timestamp":0})").rated_at ==
      0);
  CHECK(error_of(R"({"user":1,"movie":1,"rating":1,"timestamp":-1})") ==
        api_errc::out_of_range);
  CHECK(error_of(R"({"user":1,"movie":1,"rating":1,"timestamp":1e9})") ==
        api_errc::wrong_type);
  CHECK(
      error_of(R"({"user":1,"movie":1,"rating":1,"timestamp":253402300800})") ==
      api_errc::out_of_range);
}

TEST_CASE("the echo is the stored rating as JSON", "[http]") {
  CHECK(http::rating_json({7, 50, 9, 964982703}) ==
        R"({"user":7,"movie":50,"rating":4.5,"timestamp":964982703})");
  CHECK(http::rating_json({1, 1, 1, 0}) ==
        R"({"user":1,"movie":1,"rating":0.5,"timestamp":0})");
}
