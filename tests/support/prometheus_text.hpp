// Reading the service's /metrics in tests: Prometheus' text format.

#pragma once

#include <string>

namespace heymovie::testing {

/// The value of the sample `series` (its name and labels as rendered) in a
/// /metrics body; 0 when there is none.
inline double sample(const std::string& text, const std::string& series) {
  auto pos = text.find("\n" + series + " ");
  if (pos == std::string::npos)
    return 0;
  return std::stod(text.substr(pos + series.size() + 2));
}

} // namespace heymovie::testing
