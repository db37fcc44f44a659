// A picture of a run: requests/s, 2xx/s and p99 latency for each second,
// drawn by gnuplot (Debian's gnuplot-nox) into a PNG. The data file and the
// script go to a temporary folder that is removed afterwards.

#pragma once

#include "loadgen/run_stats.hpp"

#include <chrono>
#include <string>
#include <vector>

namespace heymovie::loadgen {

/// One second of the run, as plotted.
struct second_sample {
  double second = 0;  // from t0
  double rate = 0;    // finished requests per second
  double ok_rate = 0; // 2xx per second
  double p99_ms = 0;
};

/// The samples of a run; the last, partial second is scaled to its length.
std::vector<second_sample> per_second(const run_stats& stats,
                                      std::chrono::nanoseconds elapsed);

/// The gnuplot script that draws `data` into `png`.
std::string plot_script(const std::string& data, const std::string& png);

/// Writes the PNG; false with a reason in `error` when gnuplot is missing
/// or fails.
bool write_plot(const std::vector<second_sample>& samples,
                const std::string& png, std::string& error);

} // namespace heymovie::loadgen
