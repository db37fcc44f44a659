// The Zipf sampler behind the synthetic workload's movie popularity.

#include "loadgen/zipf_sampler.hpp"

#include <catch2/catch.hpp>

#include <vector>

using namespace heymovie::loadgen;

TEST_CASE("Zipf ranks are skewed by the exponent", "[loadgen]") {
  constexpr size_t draws = 100000;
  auto histogram = [&](double s) {
    zipf_sampler sampler{1000, s};
    std::vector<size_t> counts(1000);
    for (size_t i = 0; i < draws; ++i)
      ++counts[sampler.rank((static_cast<double>(i) + 0.5) / draws)];
    return counts;
  };
  auto uniform = histogram(0);
  CHECK(uniform.front() == 100);
  CHECK(uniform.back() == 100);
  auto zipf = histogram(1);
  // P(rank 0) = 1 / H(1000) = 0.1336, and rank r has 1/(r + 1) of that.
  CHECK(zipf[0] == Approx(13360).margin(20));
  CHECK(zipf[1] == Approx(zipf[0] / 2.0).margin(20));
  CHECK(zipf[9] == Approx(zipf[0] / 10.0).margin(20));
  CHECK(histogram(2)[0] > zipf[0]);
}
