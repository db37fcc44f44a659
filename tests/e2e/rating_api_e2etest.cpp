// Black-box tests of POST /rating against the real binary and PostgreSQL.

#include "support/eventually.hpp"
#include "support/http_client.hpp"
#include "support/sample_app.hpp"
#include "support/service_process.hpp"
#include "support/test_database.hpp"
#include "support/tokens.hpp"

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include <csignal>
#include <cstdio>
#include <future>
#include <thread>

using namespace heymovie::testing;
using namespace std::chrono_literals;
namespace bhttp = boost::beast::http;

namespace {

/// The "error" field of a JSON error body.
std::string error_code(const http_response& res) {
  auto key = res.body.find(R"("error":")");
  if (key == std::string::npos)
    return {};
  auto start = key + 9;
  return res.body.substr(start, res.body.find('"', start) - start);
}

const std::string valid = R"({"user": 1, "movie": 1, "rating": 4.0})";

/// One POST /rating as raw bytes, for pipelining several on a connection.
std::string pipelined_rating(const std::string& body) {
  return "POST /rating HTTP/1.1\r\nHost: x\r\n" + authorization() +
         "Content-Type: "
         "application/json\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

} // namespace

SCENARIO("a new rating is created, the same again replaces it", "[e2e]") {
  sample_app app;
  http_client client{app.port()};
  auto first = client.post_rating(valid);
  CHECK(first.status == 201);
  CHECK(first.header("content-type") == "application/json");
  CHECK(first.header("location") == "/ratings/1/1");
  CHECK(first.body.find(R"("rating":4.0)") != std::string::npos);
  auto second = client.post_rating(valid);
  CHECK(second.status == 200);
  // Acknowledged means committed: another connection sees it at once.
  CHECK(query_int(app.db_url(),
                  "SELECT half_stars FROM ratings WHERE user_id = 1 AND "
                  "movie_id = 1") == 8);
  CHECK(query_int(app.db_url(),
                  "SELECT vote_count FROM movie_totals WHERE id = 1") == 1);
  CHECK(query_int(app.db_url(),
                  "SELECT rating_sum FROM movie_totals WHERE id = 1") == 8);
  auto third = client.post_rating(
      R"({"user": 1, "movie": 1, "rating": 2.5, "timestamp": 964982703})");
  CHECK(third.status == 200);
  CHECK(third.body ==
        R"({"user":1,"movie":1,"rating":2.5,"timestamp":964982703})");
  CHECK(query_int(app.db_url(),
                  "SELECT rating_sum FROM movie_totals WHERE id = 1") == 5);
  CHECK(query_int(app.db_url(),
                  "SELECT rated_at FROM ratings WHERE user_id = 1") ==
        964982703);
}

SCENARIO("every client error gets its status and a JSON error naming the "
         "problem, and the service keeps serving",
         "[e2e]") {
  sample_app app;
  struct error_case {
    std::string body;
    std::string content_type;
    int status;
    std::string code;
  };
  std::vector<error_case> cases{
      {"{not json", "application/json", 400, "malformed_json"},
      {R"({"user": 1, "movie": 1})", "application/json", 400, "missing_field"},
      {R"({"user": "1", "movie": 1, "rating": 4})", "application/json", 400,
       "wrong_type"},
      {R"({"user": 1, "movie": 1, "rating": 4, "x": 1})", "application/json",
       400, "unknown_field"},
      {R"({"user": 1, "user": 2, "movie": 1, "rating": 4})", "application/json",
       400, "duplicate_key"},
      {R"({"user": 1, "movie": 1, "rating": 4.2})", "application/json", 422,
       "off_scale"},
      {R"({"user": 1, "movie": 4, "rating": 4})", "application/json", 422,
       "unknown_movie"},
      {R"({"user": 0, "movie": 1, "rating": 4})", "application/json", 422,
       "out_of_range"},
      {valid, "text/plain", 415, "unsupported_media_type"},
      {valid, "", 415, "unsupported_media_type"},
  };
  http_client client{app.port()};
  for (auto& c : cases) {
    INFO(c.body << " as " << c.content_type);
    auto res =
        client.request(bhttp::verb::post, "/rating", c.body, c.content_type);
    CHECK(res.status == c.status);
    CHECK(error_code(res) == c.code);
    CHECK(res.header("content-type") == "application/json");
    CHECK(res.body.find(R"("message":")") != std::string::npos);
    CHECK(res.keep_alive);
  }
  auto wrong_method = client.get("/rating");
  CHECK(wrong_method.status == 405);
  CHECK(wrong_method.header("allow") == "POST");
  CHECK(error_code(wrong_method) == "method_not_allowed");
  auto unknown = client.get("/nothing/here");
  CHECK(unknown.status == 404);
  CHECK(error_code(unknown) == "not_found");
  CHECK(client.post_rating(valid).status == 201);
  CHECK(query_int(app.db_url(), "SELECT count(*) FROM ratings") == 1);
}

SCENARIO("oversized and malformed requests are refused and the connection "
         "closed",
         "[e2e]") {
  sample_app app;
  {
    http_client client{app.port()};
    auto res = client.post_rating(std::string(5000, ' ') + valid);
    CHECK(res.status == 413);
    CHECK(error_code(res) == "body_too_large");
    CHECK_FALSE(res.keep_alive);
  }
  {
    http_client client{app.port()};
    client.send_raw("POST /rating HTTP/1.1\r\nHost: x\r\n" + authorization() +
                    "X-Big: " + std::string(9000, 'a') + "\r\n\r\n");
    auto res = client.read_response();
    CHECK(res.status == 431);
    CHECK(error_code(res) == "headers_too_large");
  }
  {
    http_client client{app.port()};
    client.send_raw("THIS IS NOT HTTP\r\n\r\n");
    auto res = client.read_response();
    CHECK(res.status == 400);
    CHECK(error_code(res) == "bad_request");
    CHECK(client.closed_by_peer());
  }
  http_client client{app.port()};
  CHECK(client.post_rating(valid).status == 201);
}

SCENARIO("pipelined requests are answered in order on one connection",
         "[e2e]") {
  sample_app app;
  http_client client{app.port()};
  client.send_raw(pipelined_rating(R"({"user":9,"movie":1,"rating":1})") +
                  pipelined_rating(R"({"user":9,"movie":1,"rating":9})") +
                  pipelined_rating(R"({"user":9,"movie":1,"rating":2})") +
                  "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(client.read_response().status == 201);
  CHECK(client.read_response().status == 422);
  auto third = client.read_response();
  CHECK(third.status == 200);
  CHECK(third.body.find(R"("rating":2.0)") != std::string::npos);
  CHECK(client.read_response().status == 200);
  CHECK(query_int(app.db_url(),
                  "SELECT half_stars FROM ratings WHERE user_id = 9") == 4);
}

SCENARIO("pipelined reads see exactly the ratings sent before them on the "
         "connection",
         "[e2e]") {
  // Lingering batches: a read that ran beside the ratings before it would
  // find them not yet committed.
  sample_app app{{"--pipeline.batch-linger=100ms"}};
  http_client client{app.port()};
  std::string get =
      "GET /ratings/12/1 HTTP/1.1\r\nHost: x\r\n" + authorization() + "\r\n";
  client.send_raw(
      pipelined_rating(R"({"user":12,"movie":1,"rating":1})") + get +
      pipelined_rating(R"({"user":12,"movie":1,"rating":2})") +
      pipelined_rating(R"({"user":12,"movie":1,"rating":2.5})") + get + get +
      pipelined_rating(R"({"user":12,"movie":1,"rating":3})"));
  auto expect_rating = [&](int status, const char* rating) {
    auto res = client.read_response();
    CHECK(res.status == status);
    CHECK(res.body.find(std::string{R"("rating":)"} + rating) !=
          std::string::npos);
  };
  expect_rating(201, "1.0");
  expect_rating(200, "1.0");
  expect_rating(200, "2.0");
  expect_rating(200, "2.5");
  expect_rating(200, "2.5");
  expect_rating(200, "2.5");
  expect_rating(200, "3.0");
}

SCENARIO("a client that expects 100-continue is told to send its body",
         "[e2e]") {
  sample_app app{{"--pipeline.batch-linger=100ms"}};
  // Without the interim answer the client would wait for its own timeout
  // (curl: 1 s) before sending the body; here the read times out.
  http_client client{app.port(), 3s};
  auto header = [](const std::string& version, size_t length) {
    return "POST /rating HTTP/" + version + "\r\nHost: x\r\n" +
           authorization() +
           "Content-Type: application/json\r\n"
           "Connection: keep-alive\r\nExpect: 100-continue\r\n"
           "Content-Length: " +
           std::to_string(length) + "\r\n\r\n";
  };
  client.send_raw(header("1.1", valid.size()));
  CHECK(client.read_response().status == 100);
  client.send_raw(valid);
  CHECK(client.read_response().status == 201);
  // Behind an earlier request (a rating, lingering), after its answer.
  client.send_raw(pipelined_rating(R"({"user":2,"movie":1,"rating":3})") +
                  header("1.1", valid.size()));
  CHECK(client.read_response().status == 201);
  CHECK(client.read_response().status == 100);
  client.send_raw(valid);
  CHECK(client.read_response().status == 200);
  // A body sent at once needs no interim answer.
  client.send_raw(header("1.1", valid.size()) + valid);
  CHECK(client.read_response().status == 200);
  // HTTP/1.0 knows none: the final answer comes first.
  client.send_raw(header("1.0", valid.size()));
  client.send_raw(valid);
  CHECK(client.read_response().status == 200);
  // A body over the limit is refused before it is sent.
  client.send_raw(header("1.1", 1 << 20));
  auto refused = client.read_response();
  CHECK(refused.status == 413);
  CHECK(client.closed_by_peer());
  CHECK(query_int(app.db_url(),
                  "SELECT vote_count FROM movie_totals WHERE id = 1") == 2);
}

SCENARIO("a movie removed from the database after start-up is answered "
         "422, and the ratings batched with it are written",
         "[e2e]") {
  // One shard that lingers: the pipelined ratings below make one batch.
  // No catalogue refresh: the database must be the one to refuse the movie.
  sample_app app{{"--pipeline.shards=1", "--pipeline.batch-linger=300ms",
                  "--db.catalog-refresh=0s"},
                 "removed-movie.log"};
  // The service loaded its catalogue with movie 79132 in it.
  execute(app.db_url(), "DELETE FROM movies WHERE id = 79132");
  http_client client{app.port()};
  client.send_raw(pipelined_rating(R"({"user":20,"movie":1,"rating":4})") +
                  pipelined_rating(R"({"user":20,"movie":79132,"rating":4})") +
                  pipelined_rating(R"({"user":21,"movie":2,"rating":3})") +
                  pipelined_rating(R"({"user":21,"movie":79132,"rating":5})"));
  CHECK(client.read_response().status == 201);
  auto removed = client.read_response();
  CHECK(removed.status == 422);
  CHECK(error_code(removed) == "unknown_movie");
  CHECK(removed.body.find("movie") != std::string::npos);
  CHECK(client.read_response().status == 201);
  CHECK(client.read_response().status == 422);
  CHECK(query_int(app.db_url(), "SELECT count(*) FROM ratings") == 2);
  CHECK(query_int(app.db_url(), "SELECT sum(vote_count) FROM movie_totals") ==
        2);
  CHECK(query_int(app.db_url(), "SELECT sum(rating_sum) FROM movie_totals") ==
        8 + 6);
  // They were one batch: its statement was refused as a whole first.
  CHECK(app.log().find("2 ratings of movies no longer in the database "
                       "refused, 2 committed") != std::string::npos);
  CHECK(client.post_rating(valid).status == 201);
  AND_THEN("later ratings of that movie are refused without asking the "
           "database") {
    CHECK(app.log().find("movie 79132 withdrawn") != std::string::npos);
    // With the movies locked, a rating that went to the database would wait
    // there and get 503 at its deadline.
    storage_lock lock{app.db_url(), "EXCLUSIVE"};
    auto again = client.post_rating(R"({"user":22,"movie":79132,"rating":1})");
    CHECK(again.status == 422);
    CHECK(error_code(again) == "unknown_movie");
  }
}

SCENARIO("movies added to or deleted from the database while the service "
         "runs are known after the next catalogue refresh",
         "[e2e]") {
  sample_app app{{"--db.catalog-refresh=100ms"}, "catalogue-refresh.log"};
  http_client client{app.port()};
  auto added = R"({"user":30,"movie":424242,"rating":3})";
  CHECK(client.post_rating(added).status == 422);
  // One transaction, so that one refresh sees both (79132 has no ratings).
  execute(app.db_url(), "INSERT INTO movies (id, title) VALUES (424242, 'New');"
                        "DELETE FROM movies WHERE id = 79132");
  auto refreshed = [&] {
    return app.log().find("(1 added, 1 removed)") != std::string::npos;
  };
  eventually("a catalogue refresh has seen the new and the deleted movie",
             refreshed);
  CHECK(client.post_rating(added).status == 201);
  CHECK(query_int(app.db_url(),
                  "SELECT vote_count FROM movie_totals WHERE id = 424242") ==
        1);
  // With the movies locked, a rating that went to the database would wait
  // there and get 503 at its deadline: the 422 comes from the catalogue.
  storage_lock lock{app.db_url(), "EXCLUSIVE"};
  auto removed = client.post_rating(R"({"user":30,"movie":79132,"rating":3})");
  CHECK(removed.status == 422);
  CHECK(error_code(removed) == "unknown_movie");
}

SCENARIO("a full shard and a stalled database both answer 503 with "
         "Retry-After",
         "[e2e]") {
  sample_app app{{"--pipeline.shards=1", "--pipeline.batch-size=1",
                  "--pipeline.mailbox-limit=1",
                  "--http.request-deadline=1500ms"}};
  storage_lock lock{app.db_url(), "EXCLUSIVE"};
  // The first rating waits at the database; the second finds its shard full.
  auto stalled = std::async(std::launch::async, [&] {
    http_client client{app.port()};
    auto started = std::chrono::steady_clock::now();
    auto res = client.post_rating(valid);
    return std::make_pair(res, std::chrono::steady_clock::now() - started);
  });
  eventually("the first rating waits at the database",
             [&] { return lock_waiters(app.db_url()) > 0; });
  http_client second{app.port()};
  auto full = second.post_rating(R"({"user": 2, "movie": 1, "rating": 3})");
  CHECK(full.status == 503);
  CHECK(error_code(full) == "overloaded");
  CHECK(full.header("retry-after") == "1");
  auto [late, took] = stalled.get();
  CHECK(late.status == 503);
  CHECK(error_code(late) == "unavailable");
  CHECK(late.header("retry-after") == "1");
  CHECK(took < std::chrono::milliseconds{1600});
  lock.release();
  // Once the database moves again, the service writes again (at first the
  // shard is still full with the stalled batch, which now commits).
  auto status = post_rating_until_written(
      app.port(), R"({"user": 3, "movie": 1, "rating": 3})",
      std::chrono::seconds{5});
  CHECK((status == 201 || status == 200));
}

SCENARIO("SIGTERM stops the service cleanly", "[e2e]") {
  sample_app app;
  http_client client{app.port()};
  CHECK(client.post_rating(valid).status == 201);
  CHECK(app.service.stop(SIGTERM) == 0);
}
