#include "observability/metrics_registry.hpp"

#include <catch2/catch.hpp>

using namespace heymovie::observability;

TEST_CASE("counters and gauges render with their labels", "[observability]") {
  metrics_registry r;
  auto& requests =
      r.add_counter("t_requests_total", "Requests.", {"route", "status"});
  requests.with({"/a", "200"}).add(3);
  requests.with({"/a", "200"}).add();
  requests.with({"/b\"x", "404"}).add();
  r.add_gauge("t_open", "Open things.").with({}).set(-2);
  auto text = r.render();
  CHECK_THAT(text, Catch::Contains("# HELP t_requests_total Requests.\n"
                                   "# TYPE t_requests_total counter\n"));
  CHECK_THAT(text, Catch::Contains(
                       "t_requests_total{route=\"/a\",status=\"200\"} 4\n"));
  CHECK_THAT(text,
             Catch::Contains(
                 "t_requests_total{route=\"/b\\\"x\",status=\"404\"} 1\n"));
  CHECK_THAT(text, Catch::Contains("# TYPE t_open gauge\nt_open -2\n"));
}

TEST_CASE("histograms render cumulative buckets, sum and count",
          "[observability]") {
  metrics_registry r;
  auto& h = r.add_histogram("t_seconds", "Latency.", {0.1, 1}).with({});
  h.observe(0.05);
  h.observe(0.1);
  h.observe(0.5);
  h.observe(7);
  auto snap = h.read();
  CHECK(snap.cumulative == std::vector<uint64_t>{2, 3, 4});
  CHECK(snap.sum == Approx(7.65));
  auto text = r.render();
  CHECK_THAT(text, Catch::Contains("t_seconds_bucket{le=\"0.1\"} 2\n"
                                   "t_seconds_bucket{le=\"1\"} 3\n"
                                   "t_seconds_bucket{le=\"+Inf\"} 4\n"
                                   "t_seconds_sum 7.65\n"
                                   "t_seconds_count 4\n"));
}

TEST_CASE("a label combination is created once and kept", "[observability]") {
  metrics_registry r;
  auto& f = r.add_counter("t_total", "T.", {"k"});
  auto* first = &f.with({"x"});
  CHECK(&f.with({"x"}) == first);
  CHECK(&f.with({"y"}) != first);
}
