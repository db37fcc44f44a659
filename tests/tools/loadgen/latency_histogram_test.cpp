// The load generator's latency histogram: exact below a millisecond, within
// 0.8 % above, percentiles capped by the largest latency, merging.

#include "loadgen/latency_histogram.hpp"

#include <catch2/catch.hpp>

using namespace heymovie::loadgen;

TEST_CASE("latencies below a millisecond are exact", "[loadgen]") {
  latency_histogram h;
  for (uint64_t us = 1; us <= 1000; ++us)
    h.record_us(us);
  CHECK(h.count() == 1000);
  CHECK(h.percentile_us(0.5) == 500);
  CHECK(h.percentile_us(0.9) == 900);
  CHECK(h.percentile_us(0.99) == 990);
  CHECK(h.percentile_us(0.999) == 999);
  CHECK(h.percentile_us(1.0) == 1000);
  CHECK(h.max_us() == 1000);
}

TEST_CASE("longer latencies are within 0.8 percent and never below",
          "[loadgen]") {
  for (uint64_t us = 1024; us < 60'000'000; us = us * 21 / 20 + 7) {
    auto bucket = latency_histogram::bucket_of(us);
    auto highest = latency_histogram::highest_of(bucket);
    INFO(us << " us in bucket " << bucket << " up to " << highest);
    CHECK(highest >= us);
    CHECK(static_cast<double>(highest - us) / static_cast<double>(us) < 0.008);
    CHECK(latency_histogram::bucket_of(highest) == bucket);
    CHECK(latency_histogram::bucket_of(highest + 1) == bucket + 1);
  }
}

TEST_CASE("a percentile is capped by the largest latency recorded",
          "[loadgen]") {
  latency_histogram h;
  h.record(std::chrono::microseconds{123'456});
  CHECK(h.percentile_us(0.5) == 123'456);
  h.record(std::chrono::seconds{100}); // beyond the range: the last bucket
  CHECK(h.max_us() == 100'000'000);
  CHECK(h.percentile_us(1.0) == 100'000'000);
}

TEST_CASE("histograms merge by adding counts", "[loadgen]") {
  latency_histogram fast;
  latency_histogram slow;
  for (int i = 0; i < 90; ++i)
    fast.record_us(100);
  for (int i = 0; i < 10; ++i)
    slow.record_us(5000);
  fast.merge(slow);
  CHECK(fast.count() == 100);
  CHECK(fast.percentile_us(0.9) == 100);
  CHECK(fast.percentile_us(0.91) >= 5000);
  CHECK(fast.max_us() == 5000);
  CHECK(latency_histogram{}.percentile_us(0.99) == 0);
}
