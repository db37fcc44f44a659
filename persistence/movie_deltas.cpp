#include "persistence/movie_deltas.hpp"

#include <algorithm>

namespace heymovie::persistence {

std::vector<movie_delta> movie_deltas(const std::vector<rating>& rows,
                                      const std::vector<int>& previous) {
  std::vector<movie_delta> per_row;
  per_row.reserve(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    auto old = i < previous.size() ? previous[i] : 0;
    per_row.push_back(
        {rows[i].movie, old == 0 ? 1 : 0, int64_t{rows[i].half_stars} - old});
  }
  std::sort(per_row.begin(), per_row.end(),
            [](auto& x, auto& y) { return x.movie < y.movie; });
  std::vector<movie_delta> result;
  for (auto& d : per_row) {
    if (!result.empty() && result.back().movie == d.movie) {
      result.back().added_votes += d.added_votes;
      result.back().added_half_stars += d.added_half_stars;
    } else {
      result.push_back(d);
    }
  }
  result.erase(std::remove_if(result.begin(), result.end(),
                              [](auto& d) {
                                return d.added_votes == 0 &&
                                       d.added_half_stars == 0;
                              }),
               result.end());
  return result;
}

} // namespace heymovie::persistence
