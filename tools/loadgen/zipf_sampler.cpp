#include "loadgen/zipf_sampler.hpp"

#include <algorithm>
#include <cmath>

namespace heymovie::loadgen {

zipf_sampler::zipf_sampler(size_t n, double s) {
  cumulative_.reserve(n);
  double sum = 0;
  for (size_t r = 0; r < n; ++r) {
    sum += 1.0 / std::pow(static_cast<double>(r + 1), s);
    cumulative_.push_back(sum);
  }
}

size_t zipf_sampler::rank(double u) const {
  auto target = u * cumulative_.back();
  auto i = std::upper_bound(cumulative_.begin(), cumulative_.end(), target);
  return std::min(static_cast<size_t>(i - cumulative_.begin()),
                  cumulative_.size() - 1);
}

} // namespace heymovie::loadgen
