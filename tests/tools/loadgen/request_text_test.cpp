// The POST /rating requests the load generator sends.

#include "loadgen/request_text.hpp"
#include "make_rating.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace heymovie::loadgen;

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
