// The failure behaviour the contract promises, each under a load from
// tools/loadgen that records every answer, followed by `loadgen verify`:
// every acknowledged rating is in the database with its last acknowledged
// value (or a later one that was sent but not acknowledged), and every
// movie's aggregate matches its ratings.

#include "support/eventually.hpp"
#include "support/http_client.hpp"
#include "support/loadgen_run.hpp"
#include "support/private_cluster.hpp"
#include "support/sample_app.hpp"
#include "support/service_process.hpp"
#include "support/test_database.hpp"

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include <csignal>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>
#include <unistd.h>

using namespace heymovie::testing;
using namespace std::chrono_literals;

SCENARIO("kill -9 in the middle of a load loses no acknowledged rating",
         "[e2e][failure]") {
  sample_app app;
  loadgen_run run{app.port(),
                  {"--connections=16", "--users=2000", "--duration=6"}};
  wait_for_ratings(app.db_url(), 500);
  REQUIRE(app.service.stop(SIGKILL) == 128 + SIGKILL);
  auto at_kill = query_int(app.db_url(), "SELECT count(*) FROM ratings");
  app.service.restart();
  auto summary = run.finish();
  CHECK(status_count(summary, "201") + status_count(summary, "200") > at_kill);
  CHECK(run.verify(app.db_url()) == 0);
}

SCENARIO("SIGTERM during a load drains: everything accepted is answered and "
         "the process exits 0",
         "[e2e][failure]") {
  sample_app app{{}, "drain.log"};
  loadgen_run run{app.port(),
                  {"--connections=32", "--users=5000", "--duration=4"}};
  wait_for_ratings(app.db_url(), 500);
  auto started = std::chrono::steady_clock::now();
  CHECK(app.service.stop(SIGTERM, 10s) == 0);
  CHECK(std::chrono::steady_clock::now() - started < 4s);
  auto text = app.log();
  CHECK(text.find("drained in") != std::string::npos);
  CHECK(text.find("gave up") == std::string::npos);
  run.finish();
  CHECK(run.verify(app.db_url()) == 0);
}

SCENARIO("SIGTERM while the database has stopped answering (frozen, not "
         "down) exits once the stop budget is spent",
         "[e2e][failure]") {
  sample_app app{{"--http.request-deadline=1s"}, "frozen-db-stop.log"};
  http_client client{app.port()};
  REQUIRE(
      client.post_rating(R"({"user": 1, "movie": 1, "rating": 4})").status ==
      201);
  auto writer_backend = static_cast<pid_t>(query_int(
      app.db_url(), "SELECT pid FROM pg_stat_activity WHERE datname = "
                    "current_database() AND query LIKE 'WITH staged%'"));
  // The writer's backend stops (SIGSTOP) and goes on when the test ends.
  struct frozen {
    pid_t pid;
    ~frozen() { kill(pid, SIGCONT); }
  } backend{writer_backend};
  REQUIRE(kill(writer_backend, SIGSTOP) == 0);
  // The writer sends its statement and waits for an answer that never comes.
  CHECK(client.post_rating(R"({"user": 2, "movie": 1, "rating": 4})").status ==
        503);
  auto started = std::chrono::steady_clock::now();
  CHECK(app.service.stop(SIGTERM, 20s) == 1);
  // Budget: twice the deadline and 3 s.
  CHECK(std::chrono::steady_clock::now() - started < 7s);
  CHECK(app.log().find("exiting without waiting") != std::string::npos);
}

SCENARIO("PostgreSQL stopped during a load: 503 within the deadline, not "
         "ready, then recovery on its own",
         "[e2e][failure]") {
  private_cluster cluster;
  REQUIRE(run_heymovie({"import-movies", sample_movies_csv(),
                        "--db.url=" + cluster.url()}) == 0);
  service_process service{
      cluster.url(),
      {"--http.request-deadline=1s", "--db.retry-backoff-max=200ms"}};
  loadgen_run run{
      service.port(),
      {"--connections=8", "--users=1000", "--duration=14", "--timeout=5"}};
  wait_for_ratings(cluster.url(), 200);
  cluster.stop();
  http_client probe{service.port()};
  eventually(
      "not ready while the database is away",
      [&] { return probe.get("/readyz").status == 503; }, 5s);
  // A rating is answered 503 within the deadline, not left hanging.
  auto started = std::chrono::steady_clock::now();
  auto res = probe.post_rating(R"({"user": 99999, "movie": 1, "rating": 2})");
  auto took = std::chrono::steady_clock::now() - started;
  CHECK(res.status == 503);
  CHECK(res.header("retry-after") == "1");
  CHECK(took < 1500ms);
  CHECK(service.running());
  cluster.start();
  eventually("ready once the database is back",
             [&] { return probe.get("/readyz").status == 200; });
  auto summary = run.finish();
  CHECK(status_count(summary, "503") > 0);
  CHECK(status_count(summary, "201") + status_count(summary, "200") > 0);
  // Writes resumed after the outage.
  CHECK(
      probe.post_rating(R"({"user": 99998, "movie": 1, "rating": 2})").status ==
      201);
  CHECK(run.verify(cluster.url()) == 0);
}

SCENARIO("overload: memory stays bounded and excess requests get 503 at once",
         "[e2e][failure]") {
  sample_app app{{"--pipeline.mailbox-limit=128", "--pipeline.batch-size=128"}};
  // The database keeps up with this load: it is held still until the shards
  // have refused something, as a slow database would.
  storage_lock stall{app.db_url(), "EXCLUSIVE", "ratings"};
  loadgen_run run{
      app.port(),
      {"--connections=2000", "--users=200000", "--duration=5", "--timeout=10"}};
  http_client admin{app.service.admin_port()};
  eventually("the shards refuse ratings while the database stalls", [&] {
    auto text = admin.get("/metrics").body;
    return text.find("heymovie_rejections_total{cause=\"shard_full\"}") !=
           std::string::npos;
  });
  stall.release();
  auto summary = run.finish();
  std::ifstream status{"/proc/" + std::to_string(app.service.pid()) +
                       "/status"};
  std::string line;
  int64_t peak_kib = 0;
  while (std::getline(status, line))
    if (line.rfind("VmHWM:", 0) == 0)
      peak_kib = std::stoll(line.substr(6));
  INFO("peak RSS " << peak_kib / 1024 << " MiB; summary " << summary.dump());
  CHECK(peak_kib > 0);
#ifdef HEYMOVIE_SANITIZED
  // AddressSanitizer's shadow memory and quarantine multiply the footprint;
  // the 256 MiB bound is the Release build's.
  CHECK(peak_kib < 4 * 256 * 1024);
#else
  CHECK(peak_kib < 256 * 1024);
#endif
  CHECK(status_count(summary, "503") > 0);
  CHECK(status_count(summary, "201") + status_count(summary, "200") > 0);
  CHECK(status_count(summary, "0") == 0);
  CHECK(summary["latency_ms"]["max"].get<double>() < 3000);
  CHECK(app.service.running());
  CHECK(run.verify(app.db_url()) == 0);
}
