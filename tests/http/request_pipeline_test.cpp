#include "http/request_pipeline.hpp"

#include <boost/asio/error.hpp>
#include <boost/beast/http/error.hpp>
#include <catch2/catch.hpp>

using namespace heymovie;
using namespace heymovie::http;
namespace bhttp = boost::beast::http;
using action = decision::action;

namespace {

const persistence::movie_catalog catalog{{1, 2, 3}};

/// A pipeline as a worker holds one, with a health report the test sets.
struct pipeline_under_test {
  config::http_settings settings;
  actors::pipeline_health_ptr health = [] {
    auto h = std::make_shared<actors::pipeline_health>();
    h->update(4, 0);
    return h;
  }();
  request_pipeline pipeline{settings, catalog, health, true};

  decision decide(request req, connection_view conn = {}) {
    return pipeline.decide(req, conn, 1700000000);
  }
};

request get(const std::string& target, unsigned version = http_1_1) {
  request req{bhttp::verb::get, target, version};
  req.set(bhttp::field::host, "x");
  return req;
}

request post_rating(const std::string& body,
                    const std::string& type = "application/json") {
  request req{bhttp::verb::post, "/rating", http_1_1};
  req.set(bhttp::field::host, "x");
  if (!type.empty())
    req.set(bhttp::field::content_type, type);
  req.body() = body;
  req.prepare_payload();
  return req;
}

const std::string valid = R"({"user": 7, "movie": 2, "rating": 4.5})";

std::string error_code_of(const response& res) {
  auto key = res.body().find(R"("error":")");
  if (key == std::string::npos)
    return {};
  auto start = key + 9;
  return res.body().substr(start, res.body().find('"', start) - start);
}

} // namespace

SCENARIO("a valid rating goes to the rating pipeline, dated when received",
         "[http]") {
  pipeline_under_test p;
  auto d = p.decide(post_rating(valid));
  REQUIRE(d.what == action::submit_rating);
  CHECK(d.rating == persistence::rating{7, 2, 9, 1700000000});
  CHECK(d.info.route == "/rating");
  CHECK(d.info.touches == storage_use::writes);
  CHECK(d.info.ctx.keep_alive);
  CHECK(d.info.request_line == "POST /rating");
}

SCENARIO("a rating the service cannot take is answered at once", "[http]") {
  pipeline_under_test p;
  struct refusal {
    request req;
    unsigned status;
    std::string code;
  };
  auto two_types = post_rating(valid);
  two_types.insert(bhttp::field::content_type, "text/plain");
  std::vector<refusal> refusals{
      {post_rating(valid, "text/plain"), 415, "unsupported_media_type"},
      {post_rating(valid, ""), 415, "unsupported_media_type"},
      {two_types, 415, "unsupported_media_type"},
      {post_rating("{oops"), 400, "malformed_json"},
      {post_rating(R"({"user": 7, "movie": 4, "rating": 4})"), 422,
       "unknown_movie"},
      {post_rating(R"({"user": 7, "movie": 2, "rating": 4.2})"), 422,
       "off_scale"},
  };
  for (auto& r : refusals) {
    INFO(r.req.body());
    auto d = p.decide(r.req);
    REQUIRE(d.what == action::answer);
    CHECK(d.answer.result_int() == r.status);
    CHECK(error_code_of(d.answer) == r.code);
    CHECK(d.answer.keep_alive());
  }
}

SCENARIO("framing comes before routing, routing before the route", "[http]") {
  pipeline_under_test p;
  WHEN("the body's length cannot be told") {
    auto req = post_rating(valid);
    req.set(bhttp::field::transfer_encoding, "gzip");
    auto d = p.decide(req);
    THEN("400, and the connection closes after it") {
      REQUIRE(d.what == action::answer);
      CHECK(d.answer.result_int() == 400);
      CHECK_FALSE(d.info.ctx.keep_alive);
      CHECK_FALSE(d.answer.keep_alive());
      CHECK(d.info.route == "other");
    }
  }
  WHEN("an HTTP/1.1 request has no Host") {
    auto req = get("/movies/1");
    req.erase(bhttp::field::host);
    auto d = p.decide(req);
    THEN("400, keeping the connection") {
      CHECK(d.answer.result_int() == 400);
      CHECK(d.info.ctx.keep_alive);
    }
  }
  WHEN("the path is unknown or the method wrong") {
    auto unknown = p.decide(get("/nothing"));
    auto wrong = p.decide(get("/rating"));
    THEN("404, and 405 with Allow, under the route's template") {
      CHECK(unknown.answer.result_int() == 404);
      CHECK(unknown.info.route == "other");
      CHECK(wrong.answer.result_int() == 405);
      CHECK(wrong.answer[bhttp::field::allow] == "POST");
      CHECK(wrong.info.route == "/rating");
    }
  }
}

SCENARIO("reads go to the readers with their route, and HEAD is a GET without "
         "a body",
         "[http]") {
  pipeline_under_test p;
  auto d = p.decide(get("/users/7/ratings?limit=2&after=1"));
  REQUIRE(d.what == action::run_read);
  CHECK(d.read.kind == route_kind::user_ratings);
  CHECK(d.read.id == 7);
  CHECK(d.read.limit == 2);
  CHECK(d.read.after == 1);
  CHECK(d.info.touches == storage_use::reads);
  CHECK_FALSE(d.info.head);
  auto head = get("/movies/1");
  head.method(bhttp::verb::head);
  CHECK(p.decide(head).info.head);
}

SCENARIO("a request waits while earlier ones of the other kind are "
         "unanswered",
         "[http]") {
  pipeline_under_test p;
  connection_view writes_pending{false, false, true};
  connection_view reads_pending{false, true, false};
  CHECK(p.decide(get("/movies/1"), writes_pending).what == action::wait);
  CHECK(p.decide(get("/movies/1"), reads_pending).what == action::run_read);
  CHECK(p.decide(post_rating(valid), reads_pending).what == action::wait);
  CHECK(p.decide(post_rating(valid), writes_pending).what ==
        action::submit_rating);
  // Health and metrics touch no ratings: they never wait.
  CHECK(p.decide(get("/healthz"), writes_pending).what == action::answer);
  connection_view both{false, true, true};
  CHECK(p.decide(get("/readyz"), both).what != action::wait);
}

SCENARIO("health and readiness, and no metrics on the public port", "[http]") {
  pipeline_under_test p;
  auto health = p.decide(get("/healthz"));
  CHECK(health.answer.result_int() == 200);
  CHECK(health.answer.body() == R"({"status":"ok"})");
  CHECK(p.decide(get("/metrics")).answer.result_int() == 404);
  WHEN("the rating pipeline takes requests") {
    THEN("readiness asks the database") {
      auto d = p.decide(get("/readyz"));
      CHECK(d.what == action::run_read);
      CHECK(d.read.kind == route_kind::readyz);
    }
  }
  WHEN("every shard is saturated") {
    p.health->update(4, 4);
    THEN("not ready, at once") {
      auto d = p.decide(get("/readyz"));
      REQUIRE(d.what == action::answer);
      CHECK(d.answer.result_int() == 503);
      CHECK(d.answer.body().find("every shard is saturated") !=
            std::string::npos);
      CHECK(d.answer[bhttp::field::retry_after] == "1");
    }
  }
}

SCENARIO("whether the connection stays open after the answer", "[http]") {
  pipeline_under_test p;
  auto close = get("/movies/1");
  close.set(bhttp::field::connection, "close");
  CHECK_FALSE(p.decide(close).info.ctx.keep_alive);
  CHECK_FALSE(p.decide(get("/movies/1", http_1_0)).info.ctx.keep_alive);
  auto keep = get("/movies/1", http_1_0);
  keep.set(bhttp::field::connection, "keep-alive");
  CHECK(p.decide(keep).info.ctx.keep_alive);
  // Draining: the last request read on the connection.
  CHECK_FALSE(
      p.decide(get("/movies/1"), {true, false, false}).info.ctx.keep_alive);
}

SCENARIO("100 Continue is sent when a client waits for it, and only then",
         "[http]") {
  pipeline_under_test p;
  auto waits = post_rating(valid);
  waits.set(bhttp::field::expect, "100-continue");
  CHECK(p.pipeline.sends_continue(waits, {}, false));
  CHECK_FALSE(p.pipeline.sends_continue(waits, {}, true));
  CHECK_FALSE(p.pipeline.sends_continue(waits, {true, false, false}, false));
  CHECK_FALSE(p.pipeline.sends_continue(post_rating(valid), {}, false));
  waits.version(http_1_0);
  CHECK_FALSE(p.pipeline.sends_continue(waits, {}, false));
}

SCENARIO(
    "bytes that are not a request get a 4xx and close the connection, and a "
    "client that left gets nothing",
    "[http]") {
  pipeline_under_test p;
  auto status_of = [&](boost::system::error_code ec, bool timed_out) {
    auto d = p.pipeline.decide_unreadable(ec, timed_out);
    REQUIRE(d);
    CHECK_FALSE(d->answer.keep_alive());
    CHECK(d->info.route == "other");
    return d->answer.result_int();
  };
  CHECK(status_of(bhttp::error::end_of_stream, true) == 408);
  CHECK(status_of(bhttp::error::body_limit, false) == 413);
  CHECK(status_of(bhttp::error::buffer_overflow, false) == 413);
  CHECK(status_of(bhttp::error::header_limit, false) == 431);
  CHECK(status_of(bhttp::error::bad_method, false) == 400);
  CHECK_FALSE(p.pipeline.decide_unreadable(bhttp::error::end_of_stream, false));
  CHECK_FALSE(p.pipeline.decide_unreadable(boost::asio::error::connection_reset,
                                           false));
}
