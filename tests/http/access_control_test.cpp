// Stage 3 of the request pipeline, through the pipeline: who may do what
// with which token, and how each refusal is answered.

#include "auth/jwt.hpp"
#include "http/request_pipeline.hpp"

#include <catch2/catch.hpp>

#include <chrono>

using namespace heymovie;
using namespace heymovie::http;
namespace bhttp = boost::beast::http;
using action = decision::action;

namespace {

const std::string secret = "an HS256 test secret of 32 bytes or more!";
const persistence::movie_catalog catalog{{1, 2, 3}};

std::string token(int32_t user, const std::string& scope = {}) {
  return auth::mint_hs256(user, scope, std::chrono::minutes{10}, secret);
}

struct guarded_pipeline {
  config::http_settings settings;
  access_settings access = [] {
    access_settings a;
    a.keys = std::make_shared<const auth::verification_keys>(
        auth::verification_keys::hs256(secret));
    a.token_cache = 16;
    a.limiter = std::make_shared<auth::rate_limiter>(1, 3);
    return a;
  }();
  request_pipeline pipeline{settings, catalog,
                            std::make_shared<actors::pipeline_health>(), false,
                            access};

  decision decide(request req) {
    return pipeline.decide(req, {}, auth::unix_now());
  }
};

request with_token(request req, const std::string& t,
                   const std::string& scheme = "Bearer") {
  req.set(bhttp::field::authorization, scheme + " " + t);
  return req;
}

request rating(const std::string& body) {
  request req{bhttp::verb::post, "/rating", http_1_1};
  req.set(bhttp::field::host, "x");
  req.set(bhttp::field::content_type, "application/json");
  req.body() = body;
  req.prepare_payload();
  return req;
}

request get(const std::string& target) {
  request req{bhttp::verb::get, target, http_1_1};
  req.set(bhttp::field::host, "x");
  return req;
}

std::string error_code_of(const response& res) {
  auto key = res.body().find(R"("error":")");
  auto start = key + 9;
  return key == std::string::npos
             ? std::string{}
             : res.body().substr(start, res.body().find('"', start) - start);
}

} // namespace

SCENARIO("a rating needs a token: none is 401 unauthorized, a bad one 401 "
         "invalid_token",
         "[http][auth]") {
  guarded_pipeline p;
  auto none = p.decide(rating(R"({"user":7,"movie":1,"rating":4})"));
  REQUIRE(none.what == action::answer);
  CHECK(none.answer.result_int() == 401);
  CHECK(error_code_of(none.answer) == "unauthorized");
  CHECK(none.answer[bhttp::field::www_authenticate] == "Bearer");
  for (auto& bad : {with_token(rating("{}"), token(7) + "x"),
                    with_token(rating("{}"), "not.a.token")}) {
    auto d = p.decide(bad);
    REQUIRE(d.what == action::answer);
    CHECK(d.answer.result_int() == 401);
    CHECK(error_code_of(d.answer) == "invalid_token");
    CHECK(d.answer[bhttp::field::www_authenticate] ==
          R"(Bearer error="invalid_token")");
  }
  // The scheme alone, or another scheme, is no bearer token at all.
  CHECK(error_code_of(p.decide(with_token(rating("{}"), "")).answer) ==
        "unauthorized");
  CHECK(p.decide(with_token(rating("{}"), "dXNlcjpwYXNz", "Basic"))
            .answer.result_int() == 401);
  auto twice = with_token(rating("{}"), token(7));
  twice.insert(bhttp::field::authorization, "Bearer " + token(8));
  CHECK(error_code_of(p.decide(twice).answer) == "invalid_token");
}

SCENARIO("a user's token rates as that user only, undated", "[http][auth]") {
  guarded_pipeline p;
  auto own = p.decide(
      with_token(rating(R"({"user":7,"movie":1,"rating":4})"), token(7)));
  REQUIRE(own.what == action::submit_rating);
  CHECK(own.rating.user == 7);
  // The scheme's name is case-insensitive; `user` may be left out.
  auto implicit = p.decide(
      with_token(rating(R"({"movie":2,"rating":3})"), token(7), "bEaReR"));
  REQUIRE(implicit.what == action::submit_rating);
  CHECK(implicit.rating.user == 7);
  CHECK(implicit.rating.movie == 2);
  auto other = p.decide(
      with_token(rating(R"({"user":8,"movie":1,"rating":4})"), token(7)));
  CHECK(other.answer.result_int() == 403);
  CHECK(error_code_of(other.answer) == "forbidden");
  auto dated = p.decide(with_token(
      rating(R"({"movie":1,"rating":4,"timestamp":964982703})"), token(7)));
  CHECK(dated.answer.result_int() == 403);
  // A body that is no rating is still a 400 for someone who may rate.
  CHECK(p.decide(with_token(rating("{oops"), token(7))).answer.result_int() ==
        400);
}

SCENARIO("an import token rates for anyone, dated, without a rate limit",
         "[http][auth]") {
  guarded_pipeline p;
  for (int i = 0; i < 10; ++i) {
    auto d = p.decide(with_token(
        rating(R"({"user":9,"movie":1,"rating":4,"timestamp":964982703})"),
        token(1, "import")));
    REQUIRE(d.what == action::submit_rating);
    CHECK(d.rating.user == 9);
    CHECK(d.rating.rated_at == 964982703);
  }
  // Without `user` it rates as its own subject.
  CHECK(p.decide(with_token(rating(R"({"movie":1,"rating":4})"),
                            token(1, "import")))
            .rating.user == 1);
}

SCENARIO("past the burst a user gets 429 with Retry-After", "[http][auth]") {
  guarded_pipeline p; // 1 per second, 3 at once
  auto t = token(7);
  for (int i = 0; i < 3; ++i)
    CHECK(p.decide(with_token(rating(R"({"movie":1,"rating":4})"), t)).what ==
          action::submit_rating);
  auto limited = p.decide(with_token(rating(R"({"movie":1,"rating":4})"), t));
  REQUIRE(limited.what == action::answer);
  CHECK(limited.answer.result_int() == 429);
  CHECK(error_code_of(limited.answer) == "rate_limited");
  CHECK(limited.answer[bhttp::field::retry_after] == "1");
  // Someone else is not limited by it.
  CHECK(p.decide(with_token(rating(R"({"movie":1,"rating":4})"), token(8)))
            .what == action::submit_rating);
}

SCENARIO("a user's ratings are read by that user, import and admin only, while "
         "movies and health are public",
         "[http][auth]") {
  guarded_pipeline p;
  CHECK(p.decide(get("/ratings/7/1")).answer.result_int() == 401);
  CHECK(p.decide(with_token(get("/ratings/7/1"), token(7))).what ==
        action::run_read);
  CHECK(p.decide(with_token(get("/users/7/ratings"), token(7))).what ==
        action::run_read);
  auto foreign = p.decide(with_token(get("/users/8/ratings"), token(7)));
  CHECK(foreign.answer.result_int() == 403);
  CHECK(error_code_of(foreign.answer) == "forbidden");
  CHECK(p.decide(with_token(get("/ratings/8/1"), token(7, "importer")))
            .answer.result_int() == 403);
  CHECK(p.decide(with_token(get("/ratings/8/1"), token(1, "admin"))).what ==
        action::run_read);
  CHECK(
      p.decide(with_token(get("/users/8/ratings"), token(1, "import"))).what ==
      action::run_read);
  for (auto target : {"/movies/1", "/movies/1/rolling-avg", "/movies/top"})
    CHECK(p.decide(get(target)).what == action::run_read);
  CHECK(p.decide(get("/healthz")).answer.result_int() == 200);
  // Routing comes first: unknown paths and wrong methods are as before.
  CHECK(p.decide(get("/nothing")).answer.result_int() == 404);
  CHECK(p.decide(get("/rating")).answer.result_int() == 405);
}
