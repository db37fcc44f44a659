// Slow and hostile clients are cut off by the limits and timeouts, while a
// well-behaved client keeps getting answers at the same time.

#include "support/eventually.hpp"
#include "support/http_client.hpp"
#include "support/sample_app.hpp"
#include "support/service_process.hpp"
#include "support/test_database.hpp"
#include "support/tokens.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <thread>

using namespace heymovie::testing;
using namespace std::chrono_literals;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

const std::string valid = R"({"user": 1, "movie": 1, "rating": 4.0})";

/// A well-behaved client posting every 20 ms on one connection until told
/// to stop; records its slowest answer and any failure.
struct steady_client {
  explicit steady_client(uint16_t port)
      : thread([this, port] {
          http_client client{port};
          for (int user = 1000; !stop; ++user) {
            auto started = std::chrono::steady_clock::now();
            auto res =
                client.post_rating(R"({"user": )" + std::to_string(user) +
                                   R"(, "movie": 1, "rating": 3})");
            auto took = std::chrono::steady_clock::now() - started;
            slowest = std::max(slowest.load(), took);
            answered += res.status == 201;
            failed += res.status != 201;
            std::this_thread::sleep_for(20ms);
          }
        }) {}
  ~steady_client() {
    stop = true;
    thread.join();
  }
  std::atomic<bool> stop{false};
  std::atomic<int> answered{0};
  std::atomic<int> failed{0};
  std::atomic<std::chrono::steady_clock::duration> slowest{
      std::chrono::steady_clock::duration::zero()};
  std::thread thread;
};

/// Reads from a raw socket until EOF or the deadline; returns what came.
std::string read_until_closed(tcp::socket& s,
                              std::chrono::steady_clock::time_point until) {
  std::string got;
  s.non_blocking(true);
  char buf[4096];
  while (std::chrono::steady_clock::now() < until) {
    boost::system::error_code ec;
    auto n = s.read_some(asio::buffer(buf), ec);
    if (ec == asio::error::would_block) {
      std::this_thread::sleep_for(10ms);
      continue;
    }
    if (ec)
      return got + "<closed>";
    got.append(buf, n);
  }
  return got;
}

} // namespace

SCENARIO("slowloris connections are cut off by the header timeout while a "
         "normal client is served",
         "[e2e][hostile]") {
  sample_app app{{"--http.header-timeout=1s", "--http.idle-timeout=30s"}};
  asio::io_context ioc;
  std::vector<tcp::socket> trickling;
  for (int i = 0; i < 300; ++i) {
    trickling.emplace_back(ioc);
    trickling.back().connect({asio::ip::make_address("127.0.0.1"), app.port()});
    asio::write(trickling.back(),
                asio::buffer(std::string{
                    "POST /rating HTTP/1.1\r\nHost: x\r\n" + authorization()}));
  }
  auto started = std::chrono::steady_clock::now();
  {
    steady_client normal{app.port()};
    // Trickle a header line every 200 ms on every connection for 3 s.
    while (std::chrono::steady_clock::now() < started + 3s) {
      for (auto& s : trickling) {
        boost::system::error_code ec;
        asio::write(s, asio::buffer(std::string{"X-Slow: a\r\n"}), ec);
      }
      std::this_thread::sleep_for(200ms);
    }
    CHECK(normal.failed == 0);
    CHECK(normal.answered > 20);
    CHECK(normal.slowest.load() < 1s);
  }
  // Every trickling connection got a 408 (or was closed) by now.
  size_t cut_off = 0;
  for (auto& s : trickling) {
    auto got = read_until_closed(s, std::chrono::steady_clock::now() + 2s);
    cut_off += got.find("408") != std::string::npos ||
               got.find("<closed>") != std::string::npos;
  }
  CHECK(cut_off == trickling.size());
}

SCENARIO("idle keep-alive connections are closed after the idle timeout",
         "[e2e][hostile]") {
  sample_app app{{"--http.idle-timeout=1s"}};
  http_client client{app.port()};
  CHECK(client.get("/healthz").status == 200);
  auto started = std::chrono::steady_clock::now();
  CHECK(client.closed_by_peer());
  auto took = std::chrono::steady_clock::now() - started;
  CHECK(took >= 900ms);
  CHECK(took < 3s);
}

SCENARIO("a body that never ends is cut off at the body limit, a body that "
         "trickles at the header timeout",
         "[e2e][hostile]") {
  sample_app app{{"--http.header-timeout=1s"}};
  {
    http_client client{app.port()};
    client.send_raw("POST /rating HTTP/1.1\r\nHost: x\r\n" + authorization() +
                    "Content-Type: "
                    "application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
    // Keep sending chunks; the answer comes once 4 KiB are exceeded.
    for (int i = 0; i < 8; ++i)
      client.send_raw("400\r\n" + std::string(1024, ' ') + "\r\n");
    auto res = client.read_response();
    CHECK(res.status == 413);
  }
  // Framing that the body limit does not count: a chunk line or a trailer
  // that never ends. Answered 413 (not 408 at the header timeout, after
  // buffering whatever came).
  std::string endless_extension = "1;" + std::string(32768, 'a');
  std::string endless_trailer = "0\r\n";
  while (endless_trailer.size() < 32768)
    endless_trailer += "X-Trailer: y\r\n";
  for (auto& framing : {endless_extension, endless_trailer}) {
    http_client client{app.port()};
    client.send_raw("POST /rating HTTP/1.1\r\nHost: x\r\n" + authorization() +
                    "Content-Type: "
                    "application/json\r\nTransfer-Encoding: chunked\r\n\r\n" +
                    framing);
    CHECK(client.read_response().status == 413);
  }
  {
    http_client client{app.port()};
    client.send_raw("POST /rating HTTP/1.1\r\nHost: x\r\n" + authorization() +
                    "Content-Type: "
                    "application/json\r\nContent-Length: 38\r\n\r\n{");
    auto res = client.read_response();
    CHECK(res.status == 408);
  }
  http_client client{app.port()};
  CHECK(client.post_rating(valid).status == 201);
}

SCENARIO("connections beyond the cap get a 503 and are closed",
         "[e2e][hostile]") {
  sample_app app{{"--http.max-connections=20", "--http.retry-after=3"}};
  std::vector<std::unique_ptr<http_client>> held;
  for (int i = 0; i < 19; ++i) {
    held.push_back(std::make_unique<http_client>(app.port()));
    REQUIRE(held.back()->get("/healthz").status == 200);
  }
  http_client last{app.port()};
  CHECK(last.get("/healthz").status == 200);
  http_client over{app.port()};
  auto refused = over.read_response();
  CHECK(refused.status == 503);
  CHECK(refused.header("retry-after") == "3");
  CHECK(refused.body.find("too_many_connections") != std::string::npos);
  AND_THEN("a client that sends its request before reading gets the 503 "
           "too, not a reset") {
    int answered = 0;
    int tries = 20;
    for (int i = 0; i < tries; ++i) {
      http_client eager{app.port()};
      eager.send_raw("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
      try {
        answered += eager.read_response().status == 503 ? 1 : 0;
      } catch (const std::exception&) {
        // a reset lost the answer
      }
    }
    CHECK(answered == tries);
  }
  held.clear();
  // Room again once others have gone (they close asynchronously).
  eventually("a new connection is served again", [&] {
    try {
      http_client again{app.port()};
      return again.get("/healthz").status == 200;
    } catch (const std::exception&) {
      return false;
    }
  });
}
