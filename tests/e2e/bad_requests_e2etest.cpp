// A corpus of bad requests, each sent raw on a fresh connection: every one is
// answered 4xx with a JSON error, and the service and its data stay intact.
// The same inputs seed the fuzzer (tests/fuzz).

#include "support/http_client.hpp"
#include "support/sample_app.hpp"
#include "support/service_process.hpp"
#include "support/test_database.hpp"
#include "support/tokens.hpp"

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include <sstream>
#include <thread>

using namespace heymovie::testing;

namespace {

std::string post(const std::string& body,
                 const std::string& type = "application/json") {
  return "POST /rating HTTP/1.1\r\nHost: x\r\n" + authorization() +
         "Content-Type: " + type +
         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
         body;
}

std::string chunked(const std::string& chunks) {
  return "POST /rating HTTP/1.1\r\nHost: x\r\n" + authorization() +
         "Content-Type: "
         "application/json\r\n"
         "Transfer-Encoding: chunked\r\n\r\n" +
         chunks;
}

std::string hex(size_t n) {
  std::ostringstream out;
  out << std::hex << n;
  return out.str();
}

/// A chunked body of one chunk, then the last chunk with `trailer` fields.
std::string one_chunk(const std::string& body,
                      const std::string& trailer = {}) {
  return hex(body.size()) + "\r\n" + body + "\r\n0\r\n" + trailer + "\r\n";
}

struct bad_request {
  const char* what;
  std::string bytes;
};

} // namespace

SCENARIO("every bad request is a 4xx and the service stays intact",
         "[e2e][hostile]") {
  sample_app app;
  std::vector<bad_request> corpus{
      {"garbage request line", "HELLO\r\n\r\n"},
      {"bad version", "POST /rating HTTP/7.3\r\nHost: x\r\n\r\n"},
      {"space in target", "GET /movies/ 1 HTTP/1.1\r\nHost: x\r\n\r\n"},
      {"control character in a header",
       "GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a\x01b\r\n\r\n"},
      {"header without colon", "GET /healthz HTTP/1.1\r\nHost x\r\n\r\n"},
      {"bad content length", "POST /rating HTTP/1.1\r\nHost: x\r\n" +
                                 authorization() +
                                 "Content-Length: 1x\r\n\r\n"},
      {"two content lengths", "POST /rating HTTP/1.1\r\nHost: x\r\n" +
                                  authorization() +
                                  "Content-Length: 2\r\n"
                                  "Content-Length: 3\r\n\r\n{}"},
      {"invalid UTF-8 in the body",
       post("{\"user\": 1, \"movie\": 1, \"rating\": 4, \"\xc3\x28\": 1}")},
      {"invalid UTF-8 in a string value",
       post("{\"user\": \"\xff\xfe\", \"movie\": 1, \"rating\": 4}")},
      {"NaN", post(R"({"user": 1, "movie": 1, "rating": NaN})")},
      {"Infinity", post(R"({"user": 1, "movie": 1, "rating": Infinity})")},
      {"1e999", post(R"({"user": 1, "movie": 1, "rating": 1e999})")},
      {"-1e999", post(R"({"user": 1, "movie": 1, "rating": -1e999})")},
      {"user beyond int32",
       post(R"({"user": 2147483648, "movie": 1, "rating": 4})")},
      {"movie beyond int64",
       post(R"({"user": 1, "movie": 99999999999999999999999, "rating": 4})")},
      {"negative user", post(R"({"user": -1, "movie": 1, "rating": 4})")},
      {"negative movie", post(R"({"user": 1, "movie": -50, "rating": 4})")},
      {"duplicate key",
       post(R"({"user": 1, "movie": 1, "movie": 2, "rating": 4})")},
      {"nested object",
       post(R"({"user": {"id": 1}, "movie": 1, "rating": 4})")},
      {"nested array", post(R"({"user": 1, "movie": [1], "rating": 4})")},
      {"deep nesting", post(std::string(5000, '[') + std::string(5000, ']'))},
      {"trailing garbage", post(R"({"user": 1, "movie": 1, "rating": 4} x)")},
      {"two objects", post(R"({"user": 1, "movie": 1, "rating": 4}{})")},
      {"empty body", post("")},
      {"not an object", post("[1, 1, 4]")},
      {"string rating", post(R"({"user": 1, "movie": 1, "rating": "4"})")},
      {"two content types",
       "POST /rating HTTP/1.1\r\nHost: x\r\n" + authorization() +
           "Content-Type: application/json\r\n"
           "Content-Type: text/plain\r\nContent-Length: 33\r\n\r\n"
           R"({"user":9,"movie":1,"rating":4.0})"},
      {"form body",
       post("user=1&movie=1&rating=4", "application/x-www-form-urlencoded")},
      {"malformed chunk size", chunked("zz\r\n{\"user\":1}\r\n0\r\n\r\n")},
      {"chunked body over the limit",
       chunked("1000\r\n" + std::string(4096, ' ') + "\r\n1000\r\n" +
               std::string(4096, ' ') + "\r\n0\r\n\r\n")},
      {"content length over the limit",
       "POST /rating HTTP/1.1\r\nHost: x\r\n" + authorization() +
           "Content-Type: application/json\r\n"
           "Content-Length: 100000000\r\n\r\n{"},
      {"transfer coding without chunked",
       "POST /rating HTTP/1.1\r\nHost: x\r\n" + authorization() +
           "Content-Type: application/json\r\n"
           "Transfer-Encoding: gzip\r\n\r\n{\"user\": 1, \"movie\": 1, "
           "\"rating\": "
           "4}"},
      {"HTTP/1.1 without Host", "GET /healthz HTTP/1.1\r\n\r\n"},
      {"a Host that is not a host",
       "GET /healthz HTTP/1.1\r\nHost: a b@c\r\n\r\n"},
      {"two Host headers",
       "GET /healthz HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n"},
      {"unknown route", "GET /admin HTTP/1.1\r\nHost: x\r\n\r\n"},
      {"bad id", "GET /movies/1e3 HTTP/1.1\r\nHost: x\r\n\r\n"},
      {"bad page size",
       "GET /users/1/ratings?limit=100000 HTTP/1.1\r\nHost: x\r\n\r\n"},
      {"wrong method", "DELETE /rating HTTP/1.1\r\nHost: x\r\n\r\n"},
  };
  for (auto& bad : corpus) {
    INFO(bad.what);
    http_client client{app.port()};
    client.send_raw(bad.bytes);
    auto res = client.read_response();
    CHECK(res.status >= 400);
    CHECK(res.status < 500);
    CHECK(res.header("content-type") == "application/json");
    CHECK(res.body.rfind(R"({"error":)", 0) == 0);
  }
  REQUIRE(app.service.running());
  http_client client{app.port()};
  CHECK(
      client.post_rating(R"({"user": 1, "movie": 1, "rating": 4.0})").status ==
      201);
  pqxx::connection conn{app.db_url()};
  pqxx::read_transaction tx{conn};
  CHECK(tx.exec1("SELECT count(*) FROM ratings")[0].as<int>() == 1);
  CHECK(tx.exec1("SELECT vote_count FROM movie_totals WHERE id = 1")[0]
            .as<int>() == 1);
}

SCENARIO("a well-formed chunked body is accepted like any other",
         "[e2e][hostile]") {
  sample_app app;
  http_client client{app.port()};
  client.send_raw(chunked("10\r\n{\"user\":5,\"movie\r\n"
                          "14\r\n\":1,\"rating\":4.5}   \r\n0\r\n\r\n"));
  CHECK(client.read_response().status == 201);
}

SCENARIO("an answer to HEAD has no body, so the next answer stays in step",
         "[e2e][hostile]") {
  sample_app app;
  http_client client{app.port()};
  auto get = client.get("/movies/1");
  REQUIRE(get.status == 200);
  client.send_raw("HEAD /movies/1 HTTP/1.1\r\nHost: x\r\n\r\n"
                  "HEAD /rating HTTP/1.1\r\nHost: x\r\n\r\n"
                  "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  auto head = client.read_response(true);
  CHECK(head.status == 200);
  CHECK(head.body.empty());
  CHECK(head.header("content-length") == std::to_string(get.body.size()));
  auto refused = client.read_response(true);
  CHECK(refused.status == 405);
  CHECK(refused.header("allow") == "POST");
  auto next = client.read_response();
  CHECK(next.status == 200);
  CHECK(next.body == R"({"status":"ok"})");
}

SCENARIO("an empty line after a request's body is ignored", "[e2e][hostile]") {
  sample_app app;
  http_client client{app.port()};
  std::string body = R"({"user":6,"movie":1,"rating":3})";
  client.send_raw("POST /rating HTTP/1.1\r\nHost: x\r\n" + authorization() +
                  "Content-Type: "
                  "application/json\r\nContent-Length: " +
                  std::to_string(body.size()) + "\r\n\r\n" + body +
                  "\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(client.read_response().status == 201);
  CHECK(client.read_response().status == 200);
}

SCENARIO("an empty line arriving on its own before a request is ignored",
         "[e2e][hostile]") {
  sample_app app;
  http_client client{app.port()};
  client.send_raw("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  REQUIRE(client.read_response().status == 200);
  // The service is reading the next request by now: the CRLF reaches a
  // parser that has begun, not the buffer between requests.
  client.send_raw("\r\n");
  client.send_raw("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  auto next = client.read_response();
  CHECK(next.status == 200);
  CHECK(next.body == R"({"status":"ok"})");
  // A CR followed by anything but LF is still a malformed request.
  client.send_raw("\rGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(client.read_response().status == 400);
}

SCENARIO("a transfer coding other than chunked is refused, not misread",
         "[e2e][hostile]") {
  sample_app app;
  http_client client{app.port()};
  // Valid JSON under a coding the service cannot decode: taking the bytes
  // as they are would store a rating the client did not send.
  std::string body = R"({"user":7,"movie":1,"rating":4})";
  client.send_raw("POST /rating HTTP/1.1\r\nHost: x\r\n" + authorization() +
                  "Content-Type: "
                  "application/json\r\nTransfer-Encoding: gzip, chunked\r\n"
                  "\r\n" +
                  one_chunk(body));
  auto refused = client.read_response();
  CHECK(refused.status == 501);
  CHECK(refused.body.find("gzip") != std::string::npos);
  // The chunked framing was read, so the connection goes on.
  CHECK(client.get("/healthz").status == 200);
  pqxx::connection conn{app.db_url()};
  pqxx::read_transaction tx{conn};
  CHECK(tx.exec1("SELECT count(*) FROM ratings")[0].as<int>() == 0);
}

SCENARIO("a body of unknown length ends the connection after its 400",
         "[e2e][hostile]") {
  sample_app app;
  http_client client{app.port()};
  // Without chunked last, the body's end cannot be found: what follows the
  // header must not be taken for a next request.
  client.send_raw("POST /rating HTTP/1.1\r\nHost: x\r\n" + authorization() +
                  "Content-Type: "
                  "application/json\r\nTransfer-Encoding: chunked, gzip\r\n"
                  "\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  auto refused = client.read_response();
  CHECK(refused.status == 400);
  CHECK_FALSE(refused.keep_alive);
  CHECK(client.closed_by_peer());
}

SCENARIO("a close in any Connection field line ends the connection",
         "[e2e][hostile]") {
  sample_app app;
  http_client client{app.port()};
  client.send_raw("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: "
                  "keep-alive\r\nConnection: close\r\n\r\n");
  auto res = client.read_response();
  CHECK(res.status == 200);
  CHECK_FALSE(res.keep_alive);
  CHECK(client.closed_by_peer());
}

SCENARIO("an HTTP/1.0 client without Host is served and the connection closes",
         "[e2e][hostile]") {
  sample_app app;
  http_client client{app.port()};
  client.send_raw("GET /healthz HTTP/1.0\r\n\r\n");
  auto res = client.read_response();
  CHECK(res.status == 200);
  CHECK_FALSE(res.keep_alive);
  CHECK(client.closed_by_peer());
}

SCENARIO("a request target in absolute form is served", "[e2e][hostile]") {
  sample_app app;
  http_client client{app.port()};
  client.send_raw("GET http://127.0.0.1/movies/1 HTTP/1.1\r\nHost: "
                  "127.0.0.1\r\n\r\n");
  auto res = client.read_response();
  CHECK(res.status == 200);
  CHECK(res.body.find(R"("id":1)") != std::string::npos);
}

SCENARIO("an empty line whose CR and LF arrive apart is ignored",
         "[e2e][hostile]") {
  sample_app app;
  http_client client{app.port()};
  client.send_raw("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n\r");
  REQUIRE(client.read_response().status == 200);
  // Not a synchronisation: a pause so that the LF comes in a later segment
  // than its CR (sent together, they are skipped as a pair).
  std::this_thread::sleep_for(std::chrono::milliseconds{100});
  client.send_raw("\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(client.read_response().status == 200);
}

SCENARIO("empty lines alone do not keep an idle connection open",
         "[e2e][hostile]") {
  sample_app app{{"--http.idle-timeout=2s"}};
  http_client client{app.port(), std::chrono::seconds{1}};
  client.send_raw("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  REQUIRE(client.read_response().status == 200);
  // A CRLF every quarter of a second for twice the idle timeout: pacing the
  // client, not waiting for the app.service.
  for (int i = 0; i < 16; ++i) {
    try {
      client.send_raw("\r\n");
    } catch (const std::exception&) {
      break; // the service has closed the connection
    }
    std::this_thread::sleep_for(std::chrono::milliseconds{250});
  }
  CHECK(client.closed_by_peer());
}

SCENARIO("an HTTP/1.0 request with a transfer coding is answered, then the "
         "connection closes",
         "[e2e][hostile]") {
  sample_app app;
  http_client client{app.port()};
  std::string body = R"({"user":8,"movie":1,"rating":3})";
  client.send_raw("POST /rating HTTP/1.0\r\nConnection: keep-alive\r\n" +
                  authorization() +
                  "Content-Type: application/json\r\nTransfer-Encoding: "
                  "chunked\r\n\r\n" +
                  one_chunk(body));
  auto res = client.read_response();
  CHECK(res.status == 201);
  CHECK_FALSE(res.keep_alive);
  CHECK(client.closed_by_peer());
}

SCENARIO("trailer fields do not count as header fields", "[e2e][hostile]") {
  sample_app app;
  http_client client{app.port()};
  std::string body = R"({"user":4,"movie":1,"rating":3})";
  auto chunked_post = [&](const std::string& header,
                          const std::string& trailer) {
    return "POST /rating HTTP/1.1\r\nHost: x\r\n" + authorization() + header +
           "Transfer-Encoding: chunked\r\n\r\n" + one_chunk(body, trailer);
  };
  // The media type is the header's to say, not the trailer's.
  client.send_raw(chunked_post("", "Content-Type: application/json\r\n"));
  CHECK(client.read_response().status == 415);
  // Neither is a second Host, nor a close.
  client.send_raw(chunked_post("Content-Type: application/json\r\n",
                               "Host: y\r\nConnection: close\r\n"));
  auto stored = client.read_response();
  CHECK(stored.status == 201);
  CHECK(stored.keep_alive);
  CHECK(client.get("/healthz").status == 200);
}
