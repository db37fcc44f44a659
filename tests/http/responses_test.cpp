#include "http/responses.hpp"

#include <catch2/catch.hpp>

using namespace heymovie;
using http::api_errc;
namespace bhttp = boost::beast::http;

TEST_CASE("every error has a status, and client errors are 4xx", "[http]") {
  for (auto code : {api_errc::bad_request, api_errc::malformed_json,
                    api_errc::missing_field, api_errc::wrong_type,
                    api_errc::unknown_field, api_errc::duplicate_key})
    CHECK(http::status_of(code) == bhttp::status::bad_request);
  CHECK(http::status_of(api_errc::not_found) == bhttp::status::not_found);
  CHECK(http::status_of(api_errc::method_not_allowed) ==
        bhttp::status::method_not_allowed);
  CHECK(http::status_of(api_errc::request_timeout) ==
        bhttp::status::request_timeout);
  CHECK(http::status_of(api_errc::body_too_large) ==
        bhttp::status::payload_too_large);
  CHECK(http::status_of(api_errc::unsupported_media_type) ==
        bhttp::status::unsupported_media_type);
  CHECK(http::status_of(api_errc::headers_too_large) ==
        bhttp::status::request_header_fields_too_large);
  for (auto code :
       {api_errc::out_of_range, api_errc::off_scale, api_errc::unknown_movie})
    CHECK(http::status_of(code) == bhttp::status::unprocessable_entity);
  for (auto code : {api_errc::shard_full, api_errc::unavailable,
                    api_errc::shutting_down, api_errc::too_many_connections})
    CHECK(http::status_of(code) == bhttp::status::service_unavailable);
  CHECK(http::status_of(api_errc::not_implemented) ==
        bhttp::status::not_implemented);
  CHECK_FALSE(http::is_retryable(api_errc::not_implemented));
}

TEST_CASE("a 503 carries Retry-After, a 405 carries Allow", "[http]") {
  http::response_context ctx{11, true, 3};
  auto res = http::error_response({api_errc::shard_full, "full"}, ctx);
  CHECK(res.result() == bhttp::status::service_unavailable);
  CHECK(res[bhttp::field::retry_after] == "3");
  res = http::error_response({api_errc::method_not_allowed, "no"}, ctx, "POST");
  CHECK(res[bhttp::field::allow] == "POST");
  CHECK(res[bhttp::field::retry_after].empty());
}

TEST_CASE("error bodies are JSON with the code and an escaped message",
          "[http]") {
  auto body = http::error_body({api_errc::unknown_field, "bad \"x\"\n\\"});
  CHECK(body == R"({"error":"unknown_field","message":"bad \"x\"\n\\"})");
}

TEST_CASE("the request id goes into every answer and every error body",
          "[http]") {
  http::response_context ctx{11, true, 1, "req-7"};
  auto err = http::error_response({api_errc::not_found, "no"}, ctx);
  CHECK(err["X-Request-Id"] == "req-7");
  CHECK(err.body() ==
        R"({"error":"not_found","message":"no","request_id":"req-7"})");
  CHECK(http::json_response("{}", ctx)["X-Request-Id"] == "req-7");
  persistence::rating r{1, 2, 7, 100};
  CHECK(http::rating_response(actors::outcome::created, r,
                              ctx)["X-Request-Id"] == "req-7");
}

TEST_CASE("outcomes map to 201, 200 and 503", "[http]") {
  http::response_context ctx;
  persistence::rating r{1, 2, 7, 100};
  auto created = http::rating_response(actors::outcome::created, r, ctx);
  CHECK(created.result() == bhttp::status::created);
  CHECK(created[bhttp::field::location] == "/ratings/1/2");
  CHECK(created.body() ==
        R"({"user":1,"movie":2,"rating":3.5,"timestamp":100})");
  auto replaced = http::rating_response(actors::outcome::replaced, r, ctx);
  CHECK(replaced.result() == bhttp::status::ok);
  for (auto o : {actors::outcome::shard_full, actors::outcome::unavailable,
                 actors::outcome::shutting_down}) {
    auto res = http::rating_response(o, r, ctx);
    CHECK(res.result() == bhttp::status::service_unavailable);
    CHECK_FALSE(res[bhttp::field::retry_after].empty());
  }
  CHECK(http::rating_response(actors::outcome::failed, r, ctx).result() ==
        bhttp::status::internal_server_error);
}

TEST_CASE("keep-alive follows the request", "[http]") {
  http::response_context close{11, false, 1};
  CHECK_FALSE(http::json_response("{}", close).keep_alive());
  http::response_context keep{11, true, 1};
  CHECK(http::json_response("{}", keep).keep_alive());
}

TEST_CASE("JSON media types are recognised with parameters and any case",
          "[http]") {
  CHECK(http::is_json_media_type("application/json"));
  CHECK(http::is_json_media_type("Application/JSON"));
  CHECK(http::is_json_media_type("application/json; charset=utf-8"));
  CHECK(http::is_json_media_type(" application/json ;charset=UTF-8"));
  CHECK_FALSE(http::is_json_media_type(""));
  CHECK_FALSE(http::is_json_media_type("text/plain"));
  CHECK_FALSE(http::is_json_media_type("application/x-www-form-urlencoded"));
  CHECK_FALSE(http::is_json_media_type("application/jsonx"));
}
