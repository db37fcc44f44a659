// Black-box tests of the operations endpoints and reads after writes.

#include "support/eventually.hpp"
#include "support/http_client.hpp"
#include "support/prometheus_text.hpp"
#include "support/sample_app.hpp"
#include "support/service_process.hpp"
#include "support/test_database.hpp"
#include "support/tokens.hpp"

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <future>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <sys/socket.h>
#include <sys/un.h>
#include <thread>
#include <unistd.h>

using namespace heymovie::testing;
using namespace std::chrono_literals;
namespace bhttp = boost::beast::http;

namespace {

/// Parses `text` with the Prometheus client library's own parser (Debian's
/// python3-prometheus-client); returns the number of metric families, or -1
/// if it does not parse.
int parse_with_prometheus(const std::string& text) {
  auto path = "/tmp/heymovie_metrics_" + std::to_string(getpid()) + ".txt";
  std::ofstream{path} << text;
  auto command = "/usr/bin/python3 -c 'import sys\n"
                 "from prometheus_client.parser import "
                 "text_string_to_metric_families as parse\n"
                 "families = list(parse(open(sys.argv[1]).read()))\n"
                 "print(len(families))' " +
                 path;
  auto* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buf[64] = {};
  auto got = fgets(buf, sizeof(buf), pipe);
  auto status = pclose(pipe);
  std::remove(path.c_str());
  if (status != 0 || got == nullptr)
    return -1;
  return std::atoi(buf);
}

} // namespace

SCENARIO("a rating is readable at once after its 201", "[e2e]") {
  sample_app app;
  http_client client{app.port()};
  for (int round = 1; round <= 20; ++round) {
    auto body = R"({"user": 77, "movie": 50, "rating": )" +
                std::to_string(round % 10 / 2.0 + 0.5) + "}";
    REQUIRE(client.post_rating(body).status / 100 == 2);
    auto read = client.get("/ratings/77/50");
    REQUIRE(read.status == 200);
    CHECK(nlohmann::json::parse(read.body)["rating"].get<double>() ==
          round % 10 / 2.0 + 0.5);
  }
  auto movie = nlohmann::json::parse(client.get("/movies/50").body);
  CHECK(movie["votes"] == 1);
  CHECK(client.get("/ratings/78/50").status == 404);
  CHECK(client.get("/movies/4").status == 404);
  CHECK(client.get("/movies/x").status == 400);
}

SCENARIO("a read the database does not answer gets 503 by its deadline, "
         "not later",
         "[e2e]") {
  // The connection timeouts stay long: the deadline alone must bound reads.
  sample_app app{{"--http.request-deadline=1s"}};
  http_client client{app.port()};
  REQUIRE(client.get("/movies/1").status == 200);
  storage_lock lock{app.db_url(), "ACCESS EXCLUSIVE"};
  for (int i = 0; i < 3; ++i) {
    auto started = std::chrono::steady_clock::now();
    auto read = client.get("/movies/1");
    auto took = std::chrono::steady_clock::now() - started;
    CHECK(read.status == 503);
    CHECK(read.header("retry-after") == "1");
    CHECK(took < 1050ms);
    // Not much early either: a twentieth of the deadline at most.
    CHECK(took > 900ms);
  }
  lock.release();
  CHECK(client.get("/movies/1").status == 200);
}

SCENARIO("reads that waited for a reader past their deadline are not run",
         "[e2e]") {
  // No catalogue refresh to take the only reader meanwhile.
  sample_app app{{"--http.request-deadline=1s", "--db.readers=1",
                  "--db.catalog-refresh=0s"}};
  storage_lock lock{app.db_url(), "ACCESS EXCLUSIVE"};
  // The first waits at the lock until its statement times out; the other two
  // wait for the only reader meanwhile.
  http_client client{app.port()};
  std::string get = "GET /movies/1 HTTP/1.1\r\nHost: x\r\n\r\n";
  client.send_raw(get + get + get);
  for (int i = 0; i < 3; ++i)
    CHECK(client.read_response().status == 503);
  http_client observer{app.service.admin_port()};
  auto expired = [&] {
    return sample(observer.get("/metrics").body,
                  "heymovie_db_reads_expired_total");
  };
  eventually("the two reads behind the first have expired",
             [&] { return expired() >= 2; });
  CHECK(expired() == 2);
  lock.release();
  CHECK(client.get("/movies/1").status == 200);
}

SCENARIO("catalogue refreshes stuck at the database take one reader, not "
         "all of them",
         "[e2e]") {
  sample_app app{{"--db.catalog-refresh=100ms"}};
  storage_lock lock{app.db_url(), "ACCESS EXCLUSIVE", "movies"};

  eventually("a refresh waits at the lock",
             [&] { return lock_waiters(app.db_url()) > 0; });
  REQUIRE(lock_waiters(app.db_url()) == 1);
  // Ten more periods: every turn finds the first refresh still running.
  int most = 0;
  for (auto until = std::chrono::steady_clock::now() + 1s;
       std::chrono::steady_clock::now() < until;)
    most = std::max(most, static_cast<int>(lock_waiters(app.db_url())));
  CHECK(most == 1);
  // The other reader still answers what does not need the movies table.
  http_client client{app.port()};
  CHECK(client.get("/ratings/1/1").status == 404);
}

SCENARIO("SIGTERM while a read is stuck at the database exits once the "
         "statement times out",
         "[e2e]") {
  sample_app app{{"--http.request-deadline=1s"}, "stuck-read-drain.log"};
  storage_lock lock{app.db_url(), "ACCESS EXCLUSIVE"};
  http_client client{app.port()};
  REQUIRE(client.get("/movies/1").status == 503);
  // The reader still waits at the lock; the client has its answer.
  auto started = std::chrono::steady_clock::now();
  CHECK(app.service.stop(SIGTERM) == 0);
  CHECK(std::chrono::steady_clock::now() - started < 1s);
  CHECK(app.log().find("drained in") != std::string::npos);
  CHECK(app.log().find("gave up") == std::string::npos);
}

SCENARIO("an answer sent while draining says that the connection closes",
         "[e2e]") {
  sample_app app;
  http_client idle{app.port()};
  REQUIRE(idle.get("/healthz").status == 200);
  http_client client{app.port()};
  storage_lock lock{app.db_url(), "EXCLUSIVE"};
  std::string body = R"({"user": 3, "movie": 1, "rating": 4.0})";
  client.send_raw("POST /rating HTTP/1.1\r\nHost: x\r\n" + authorization() +
                  "Content-Type: "
                  "application/json\r\nContent-Length: " +
                  std::to_string(body.size()) + "\r\n\r\n" + body);
  // Read before the drain, answered during it.
  auto give_up = std::chrono::steady_clock::now() + 5s;
  while (lock_waiters(app.db_url()) == 0 &&
         std::chrono::steady_clock::now() < give_up)
    std::this_thread::yield();
  REQUIRE(lock_waiters(app.db_url()) > 0);
  auto stopped =
      std::async(std::launch::async, [&] { return app.service.stop(SIGTERM); });
  // The drain has begun once idle connections are closed.
  REQUIRE(idle.closed_by_peer());
  lock.release();
  auto answer = client.read_response();
  CHECK(answer.status == 201);
  // A client would otherwise send its next request into the close.
  CHECK_FALSE(answer.keep_alive);
  CHECK(answer.header("connection") == "close");
  CHECK(client.closed_by_peer());
  CHECK(stopped.get() == 0);
}

SCENARIO("health and readiness on the public port, metrics on the admin "
         "listener only",
         "[e2e]") {
  sample_app app;
  http_client client{app.port()};
  http_client admin{app.service.admin_port()};
  CHECK(client.get("/healthz").status == 200);
  auto ready = client.get("/readyz");
  CHECK(ready.status == 200);
  CHECK(ready.body == R"({"status":"ready"})");
  CHECK(client.get("/metrics").status == 404);
  CHECK(admin.get("/healthz").status == 200);
  CHECK(admin.get("/movies/1").status == 404);
  CHECK(admin.request(bhttp::verb::post, "/metrics").status == 405);

  auto before = admin.get("/metrics");
  REQUIRE(before.status == 200);
  CHECK(before.header("content-type").rfind("text/plain; version=0.0.4", 0) ==
        0);
  CHECK(parse_with_prometheus(before.body) >= 10);
  const std::string created =
      R"(heymovie_http_requests_total{route="/rating",status="201"})";
  auto created_before = sample(before.body, created);
  for (int user = 1; user <= 5; ++user)
    REQUIRE(client
                .post_rating(R"({"user": )" + std::to_string(user) +
                             R"(, "movie": 1, "rating": 3})")
                .status == 201);
  CHECK(client.post_rating(R"({"user": 1, "movie": 4, "rating": 3})").status ==
        422);
  auto after = admin.get("/metrics").body;
  CHECK(parse_with_prometheus(after) >= 10);
  CHECK(sample(after, created) == created_before + 5);
  CHECK(
      sample(after,
             R"(heymovie_http_requests_total{route="/rating",status="422"})") ==
      1);
  CHECK(sample(after, "heymovie_batch_ratings_count") >= 1);
  CHECK(sample(after, "heymovie_db_commit_duration_seconds_count") >= 1);
  CHECK(sample(after, "heymovie_http_open_connections") >= 1);
  CHECK(sample(after, "heymovie_db_up") == 1);
  CHECK(sample(after, R"(heymovie_shard_pending_ratings{shard="0"})") == 0);
  CHECK(after.find("heymovie_http_request_duration_seconds_bucket{route=\""
                   "/rating\",le=\"+Inf\"}") != std::string::npos);
  // The process, as Prometheus client libraries describe one.
  CHECK(sample(after, "process_resident_memory_bytes") > 1e6);
  CHECK(sample(after, "process_open_fds") >= 5);
  CHECK(sample(after, "process_max_fds") >= sample(after, "process_open_fds"));
  CHECK(sample(after, "process_start_time_seconds") > 1.7e9);
  CHECK(after.find("process_cpu_seconds_total ") != std::string::npos);
  CHECK(std::regex_search(
      after, std::regex{R"(\nheymovie_build_info\{)"
                        R"re(commit="([0-9a-f]{7,}[^"]*|unknown)",)re"
                        R"(version="\d+\.\d+\.\d+"\} 1\n)"}));
}

SCENARIO("--version names the version and the commit", "[e2e]") {
  auto* pipe = popen(HEYMOVIE_BINARY " --version", "r");
  REQUIRE(pipe != nullptr);
  char line[256] = {};
  auto got = fgets(line, sizeof line, pipe);
  CHECK(pclose(pipe) == 0);
  REQUIRE(got != nullptr);
  CHECK(std::regex_match(
      std::string{line},
      std::regex{
          R"(heymovie \d+\.\d+\.\d+ \(commit ([0-9a-f]{7,}(-dirty)?|unknown)\)\n)"}));
}

SCENARIO("a request id and the client's address follow a request into the "
         "answer and the JSON access log",
         "[e2e]") {
  sample_app app{{"--log.format=json", "--log.access-log",
                  R"(--http.trusted-proxies=["127.0.0.0/8"])"},
                 "request_ids"};
  http_client client{app.port()};
  // The client's own id, and the address its trusted proxy forwards.
  client.send_raw("GET /movies/999999 HTTP/1.1\r\nHost: x\r\n"
                  "X-Request-Id: trace-42\r\n"
                  "X-Forwarded-For: 6.6.6.6\r\n"
                  "X-Forwarded-For: 203.0.113.9\r\n\r\n");
  auto missing = client.read_response();
  CHECK(missing.status == 404);
  CHECK(missing.header("x-request-id") == "trace-42");
  CHECK(nlohmann::json::parse(missing.body)["request_id"] == "trace-42");
  // None given (or one unfit for a log line): a new one, different each time.
  auto first = client.get("/movies/1");
  auto second = client.get("/movies/1");
  CHECK(std::regex_match(first.header("x-request-id"),
                         std::regex{"[0-9a-f]{32}"}));
  CHECK(first.header("x-request-id") != second.header("x-request-id"));
  client.send_raw("GET /healthz HTTP/1.1\r\nHost: x\r\n"
                  "X-Request-Id: two words\r\n\r\n");
  CHECK(client.read_response().header("x-request-id") != "two words");

  std::string access;
  eventually("the access line of trace-42", [&] {
    auto log = app.log();
    // Whole lines only: the service may be writing the last one.
    std::istringstream lines{log.substr(0, log.rfind('\n') + 1)};
    for (std::string line; std::getline(lines, line);) {
      // Every line an object, the start-up's as much as the access lines.
      auto object = nlohmann::json::parse(line);
      REQUIRE(object.contains("time"));
      REQUIRE(object.contains("level"));
      std::string message = object["message"];
      if (message.find("trace-42") != std::string::npos)
        access = message;
    }
    return !access.empty();
  });
  // The line the client wrote comes first; its proxy's is believed.
  CHECK_THAT(access, !Catch::Contains("6.6.6.6"));
  CHECK_THAT(access, Catch::Contains("203.0.113.9") &&
                         Catch::Contains("GET /movies/999999") &&
                         Catch::Contains(" 404 ") &&
                         Catch::Contains("request_id=trace-42"));
}

SCENARIO("an untrusted peer's X-Forwarded-For is not believed", "[e2e]") {
  sample_app app{{"--log.access-log"}, "untrusted_proxy"};
  http_client client{app.port()};
  client.send_raw("GET /healthz HTTP/1.1\r\nHost: x\r\n"
                  "X-Request-Id: forged-1\r\n"
                  "X-Forwarded-For: 203.0.113.9\r\n\r\n");
  REQUIRE(client.read_response().status == 200);
  eventually("the access line of forged-1", [&] {
    return app.log().find("request_id=forged-1") != std::string::npos;
  });
  auto log = app.log();
  auto line = log.substr(log.rfind('\n', log.find("request_id=forged-1")) + 1);
  CHECK_THAT(line, Catch::Contains("127.0.0.1 \"GET /healthz\" 200"));
  CHECK_THAT(log, !Catch::Contains("203.0.113.9"));
}

SCENARIO("the service tells systemd when it is ready and when it drains",
         "[e2e]") {
  // What systemd does for a Type=notify unit: a datagram socket named in
  // NOTIFY_SOCKET, inherited by the service.
  auto path = temp_path("notify.sock");
  std::remove(path.c_str());
  int sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  REQUIRE(sock >= 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path.c_str());
  REQUIRE(bind(sock, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  timeval wait{20, 0};
  setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
  auto next_message = [&] {
    char buf[512] = {};
    auto n = recv(sock, buf, sizeof buf - 1, 0);
    return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string{};
  };
  setenv("NOTIFY_SOCKET", path.c_str(), 1);
  sample_app app;
  unsetenv("NOTIFY_SOCKET");
  // The app waited for /healthz; READY=1 came once the listeners were open.
  auto ready = next_message();
  CHECK_THAT(ready, Catch::Contains("READY=1"));
  CHECK(http_client{app.port()}.get("/readyz").status == 200);
  auto stopped =
      std::async(std::launch::async, [&] { return app.service.stop(SIGTERM); });
  CHECK_THAT(next_message(), Catch::Contains("STOPPING=1"));
  CHECK(stopped.get() == 0);
  close(sock);
  std::remove(path.c_str());
}

SCENARIO("a port already in use ends the start-up with a message, not a hang",
         "[e2e]") {
  sample_app first;
  auto log = temp_path("port_taken.log");
  std::remove(log.c_str());
  auto second = spawn_program(HEYMOVIE_BINARY,
                              {"serve", "--http.address=127.0.0.1",
                               "--http.port=" + std::to_string(first.port()),
                               "--admin.port=0", "--auth.mode=off",
                               "--db.url=" + first.db_url()},
                              log);
  auto status = wait_program(second, 20s);
  if (status < 0) {
    kill(second, SIGKILL);
    wait_program(second, 5s);
  }
  CHECK(status == 1);
  std::ifstream in{log};
  std::string output{std::istreambuf_iterator<char>{in},
                     std::istreambuf_iterator<char>{}};
  CHECK(output.find("cannot listen on 127.0.0.1:" +
                    std::to_string(first.port())) != std::string::npos);
  // The first service is untouched.
  http_client client{first.port()};
  CHECK(client.get("/healthz").status == 200);
}

SCENARIO("a read whose connection the database dropped is run again on a "
         "new one",
         "[e2e]") {
  sample_app app{{"--db.readers=1", "--db.catalog-refresh=0s"}};
  http_client client{app.port()};
  REQUIRE(client.get("/movies/1").status == 200);
  REQUIRE(terminate_other_connections(app.db_url()) >= 1);
  // The reader's connection is dead; the database is up.
  auto again = client.get("/movies/1");
  CHECK(again.status == 200);
  CHECK(client.get("/readyz").status == 200);
}
