// Popularity for synthetic ratings: a few movies get most of the votes, as
// on a real site. Rank r (0-based) is drawn with probability proportional
// to 1 / (r + 1)^s; s = 0 is uniform, s = 1 the classic Zipf law.

#pragma once

#include <cstddef>
#include <vector>

namespace heymovie::loadgen {

class zipf_sampler {
public:
  /// Ranks 0..n-1 (n >= 1) with skew exponent `s` >= 0.
  zipf_sampler(size_t n, double s);

  /// The rank for a uniform draw `u` in [0, 1): a binary search in the
  /// cumulative weights, so sampling allocates nothing.
  size_t rank(double u) const;

  size_t size() const { return cumulative_.size(); }

private:
  std::vector<double> cumulative_;
};

} // namespace heymovie::loadgen
