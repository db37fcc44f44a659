// Latencies without storing them: an HDR-style log-linear histogram of
// microseconds, exact up to 1,023 µs, then 128 buckets per power of two
// (at most 0.8 % relative error) up to 2^26 µs (67 s); anything longer counts
// in the last bucket, whose percentiles report the largest value recorded. Its
// size is fixed, so recording never allocates, and histograms of several
// threads or seconds merge by adding counts.

#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace heymovie::loadgen {

class latency_histogram {
public:
  static constexpr size_t linear_buckets = 1024;
  static constexpr unsigned sub_bucket_bits = 7; // 128 per power of two
  static constexpr unsigned top_power = 26;      // 2^26 µs = 67 s
  static constexpr size_t bucket_count =
      linear_buckets + (top_power - 10) * (size_t{1} << sub_bucket_bits);

  latency_histogram();

  void record(std::chrono::nanoseconds latency) {
    auto us = latency.count() < 0 ? 0 : latency.count() / 1000;
    record_us(static_cast<uint64_t>(us));
  }

  void record_us(uint64_t us) {
    ++counts_[bucket_of(us)];
    ++total_;
    if (us > max_)
      max_ = us;
  }

  void merge(const latency_histogram& other);

  uint64_t count() const { return total_; }

  uint64_t max_us() const { return max_; }

  /// The value at quantile `q` (0..1]: the highest value of the bucket
  /// holding the ceil(q * count)-th smallest latency, but at most the largest
  /// recorded one. 0 when empty.
  uint64_t percentile_us(double q) const;

  /// The bucket that counts `us`.
  static size_t bucket_of(uint64_t us);

  /// The highest value that bucket `b` counts.
  static uint64_t highest_of(size_t bucket);

private:
  std::vector<uint64_t> counts_;
  uint64_t total_ = 0;
  uint64_t max_ = 0;
};

} // namespace heymovie::loadgen
