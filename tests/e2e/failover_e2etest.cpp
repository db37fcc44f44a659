// Losing the database server loses nothing acknowledged: the service on a
// pg_auto_failover formation (a primary and a synchronous standby) under
// load, while the primary's PostgreSQL is killed, while the primary's whole
// node is lost, and during a planned switchover. Each time: every
// acknowledged rating is there afterwards and every aggregate is exact
// (loadgen verify), the time from the loss to the first acknowledged write
// after it is printed, and the formation is whole again (the old primary
// back as a standby).

#include "support/eventually.hpp"
#include "support/ha_formation.hpp"
#include "support/http_client.hpp"
#include "support/loadgen_run.hpp"
#include "support/prometheus_text.hpp"
#include "support/service_process.hpp"
#include "support/test_database.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <string>

using namespace heymovie::testing;
using namespace std::chrono_literals;

SCENARIO("losing the primary under load loses no acknowledged rating: its "
         "PostgreSQL killed, its node lost, a planned switchover",
         "[e2e][ha]") {
  ha_formation formation;
  REQUIRE(run_heymovie({"import-movies", sample_movies_csv(),
                        "--db.url=" + formation.url()}) == 0);
  service_process service{
      formation.url(),
      {"--http.request-deadline=2s", "--db.retry-backoff-max=200ms"},
      temp_path("failover.log")};
  int user = 900000;
  int seed = 0;

  for (std::string fault : {"kill-primary", "lose-primary", "switchover"}) {
    INFO(fault);
    auto primary_before = formation.ha("primary");
    auto ratings_before =
        query_int(formation.url(), "SELECT count(*) FROM ratings");
    // Another seed each time: new pairs, so that the count of ratings shows
    // the load is under way.
    loadgen_run run{service.port(),
                    {"--connections=8", "--duration=12", "--timeout=5",
                     "--seed=" + std::to_string(++seed)}};
    wait_for_ratings(formation.url(), ratings_before + 300);

    auto lost = std::chrono::steady_clock::now();
    formation.ha(fault);
    if (fault == "lose-primary") {
      // Seconds pass before the monitor promotes the standby: meanwhile the
      // service says it is not ready, and a rating gets 503 by its deadline.
      http_client probe{service.port()};
      eventually(
          "not ready while no primary is reachable",
          [&] { return probe.get("/readyz").status == 503; }, 5s);
      auto asked = std::chrono::steady_clock::now();
      auto res =
          probe.post_rating(R"({"user": 899999, "movie": 2, "rating": 1})");
      if (res.status == 503)
        CHECK(std::chrono::steady_clock::now() - asked < 2500ms);
      else
        CHECK(res.status / 100 == 2); // the standby was promoted meanwhile
    }
    // A rating of a user of its own, tried until it is acknowledged.
    auto status =
        post_rating_until_written(service.port(),
                                  R"({"user": )" + std::to_string(++user) +
                                      R"(, "movie": 1, "rating": 3})",
                                  60s);
    double back =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - lost)
            .count();
    CHECK(status / 100 == 2);
    std::printf("failover test, %s: first acknowledged write %.2f s after the "
                "loss\n",
                fault.c_str(), back);

    auto summary = run.finish();
    CHECK(status_count(summary, "201") + status_count(summary, "200") > 0);
    CHECK(run.verify(formation.url()) == 0);

    // Whole again: a lost node's keeper restarted, it rewinds and follows.
    if (fault == "lose-primary")
      formation.ha("rejoin");
    formation.ha("wait 120");
    auto primary_after = formation.ha("primary");
    std::printf("failover test, %s: primary %s before, %s after\n",
                fault.c_str(), primary_before.c_str(), primary_after.c_str());
    // A crashed PostgreSQL may be restarted by its keeper before the monitor
    // fails over; a lost node and a switchover always move the primary.
    if (fault != "kill-primary")
      CHECK(primary_after != primary_before);
  }
  // The operator sees the failovers: the service now talks to another server.
  auto metrics = http_client{service.admin_port()}.get("/metrics").body;
  CHECK(sample(metrics, "heymovie_db_server_changes_total") >= 2);
  CHECK_THAT(service.log(), Catch::Contains("database: now connected to"));
  CHECK(service.stop(SIGTERM) == 0);
}
