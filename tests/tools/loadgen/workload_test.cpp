// The synthetic workload: users split over connections, re-ratings, seeds.

#include "loadgen/workload.hpp"
#include "loadgen/zipf_sampler.hpp"

#include <catch2/catch.hpp>

#include <memory>
#include <set>

using namespace heymovie::loadgen;

TEST_CASE("synthetic users stay on their connection up to the count",
          "[loadgen]") {
  auto catalogue =
      std::make_shared<const synthetic_catalogue>(synthetic_catalogue{
          {10, 20, 30}, zipf_sampler{3, 1.0}, 50, 0.25, 1000, false});
  constexpr size_t connections = 8;
  size_t total = 0;
  size_t rerated = 0;
  std::set<uint64_t> indices;
  for (size_t c = 0; c < connections; ++c) {
    synthetic_source source{catalogue, 42, c, connections};
    std::set<std::pair<int32_t, int32_t>> seen;
    planned_request p;
    while (source.next(p)) {
      CHECK(static_cast<size_t>(p.what.user) % connections == c);
      CHECK(p.what.user >= 1);
      CHECK(p.what.user <= 50);
      CHECK(p.what.half_stars >= 1);
      CHECK(p.what.half_stars <= 10);
      CHECK_FALSE(p.what.has_timestamp());
      rerated += !seen.insert({p.what.user, p.what.movie}).second;
      indices.insert(p.index);
      ++total;
    }
  }
  CHECK(total == 1000);
  CHECK(indices.size() == 1000); // each index 0..999 once
  CHECK(*indices.rbegin() == 999);
  // Re-ratings at least the asked share (fresh pairs may repeat too).
  CHECK(rerated >= 200);
}

TEST_CASE("a seed repeats the synthetic workload", "[loadgen]") {
  auto catalogue =
      std::make_shared<const synthetic_catalogue>(synthetic_catalogue{
          {1, 2, 3, 4, 5}, zipf_sampler{5, 1.0}, 1000, 0.1, 100, true});
  synthetic_source a{catalogue, 7, 1, 4};
  synthetic_source b{catalogue, 7, 1, 4};
  planned_request pa;
  planned_request pb;
  while (a.next(pa)) {
    REQUIRE(b.next(pb));
    CHECK(pa.what.user == pb.what.user);
    CHECK(pa.what.movie == pb.what.movie);
    CHECK(pa.what.half_stars == pb.what.half_stars);
    CHECK(pa.what.has_timestamp());
  }
}
