#include "loadgen/latency_histogram.hpp"

#include <algorithm>
#include <cmath>

namespace heymovie::loadgen {

namespace {

constexpr size_t sub_buckets = size_t{1} << latency_histogram::sub_bucket_bits;

unsigned highest_bit(uint64_t value) {
  return 63u - static_cast<unsigned>(__builtin_clzll(value));
}

} // namespace

latency_histogram::latency_histogram() : counts_(bucket_count, 0) {}

size_t latency_histogram::bucket_of(uint64_t us) {
  if (us < linear_buckets)
    return static_cast<size_t>(us);
  auto power = highest_bit(us);
  if (power >= top_power)
    return bucket_count - 1;
  // The top sub_bucket_bits + 1 bits of `us`, less the leading one.
  auto sub = (us >> (power - sub_bucket_bits)) - sub_buckets;
  return linear_buckets + (power - 10) * sub_buckets + static_cast<size_t>(sub);
}

uint64_t latency_histogram::highest_of(size_t bucket) {
  if (bucket < linear_buckets)
    return bucket;
  auto power =
      static_cast<unsigned>(10 + (bucket - linear_buckets) / sub_buckets);
  auto sub = (bucket - linear_buckets) % sub_buckets;
  auto width = uint64_t{1} << (power - sub_bucket_bits);
  return (sub_buckets + sub) * width + width - 1;
}

void latency_histogram::merge(const latency_histogram& other) {
  for (size_t i = 0; i < bucket_count; ++i)
    counts_[i] += other.counts_[i];
  total_ += other.total_;
  max_ = std::max(max_, other.max_);
}

uint64_t latency_histogram::percentile_us(double q) const {
  if (total_ == 0)
    return 0;
  // The epsilon keeps 0.9 * 10 from rounding up to 10 in binary.
  auto exact = q * static_cast<double>(total_);
  auto wanted = static_cast<uint64_t>(std::ceil(exact - 1e-9));
  wanted = std::clamp<uint64_t>(wanted, 1, total_);
  uint64_t seen = 0;
  for (size_t i = 0; i < bucket_count; ++i) {
    seen += counts_[i];
    if (seen >= wanted)
      return i + 1 == bucket_count ? max_ // may hold anything longer
                                   : std::min(highest_of(i), max_);
  }
  return max_;
}

} // namespace heymovie::loadgen
