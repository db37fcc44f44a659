#include "loadgen/verify_rule.hpp"

#include <algorithm>

namespace heymovie::loadgen {

namespace {

bool matches(const rating& r, int16_t half_stars, int64_t rated_at) {
  return r.half_stars == half_stars &&
         (!r.has_timestamp() || r.timestamp == rated_at);
}

} // namespace

outcome outcome_of(int status) {
  if (status == 200 || status == 201)
    return outcome::acknowledged;
  if (status >= 400 && status < 500)
    return outcome::refused;
  return outcome::uncertain;
}

void pair_history::add(const rating& r, int status) {
  switch (outcome_of(status)) {
  case outcome::acknowledged:
    last_acknowledged_ = r;
    uncertain_after_.clear();
    break;
  case outcome::uncertain:
    // Before any acknowledgement it cannot be the last word.
    if (last_acknowledged_)
      uncertain_after_.push_back(r);
    break;
  case outcome::refused:
    break;
  }
}

bool pair_history::accepts(int16_t half_stars, int64_t rated_at) const {
  if (!last_acknowledged_)
    return true;
  if (matches(*last_acknowledged_, half_stars, rated_at))
    return true;
  return std::any_of(
      uncertain_after_.begin(), uncertain_after_.end(),
      [&](const rating& r) { return matches(r, half_stars, rated_at); });
}

std::vector<aggregate_mismatch> compare_aggregates(
    const std::unordered_map<int32_t, movie_aggregate>& stored,
    const std::unordered_map<int32_t, movie_aggregate>& implied) {
  std::vector<aggregate_mismatch> out;
  for (auto& [movie, aggregate] : stored) {
    auto i = implied.find(movie);
    auto expected = i == implied.end() ? movie_aggregate{} : i->second;
    if (!(aggregate == expected))
      out.push_back({movie, aggregate, expected});
  }
  for (auto& [movie, aggregate] : implied)
    if (stored.find(movie) == stored.end())
      out.push_back({movie, std::nullopt, aggregate});
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.movie < b.movie; });
  return out;
}

} // namespace heymovie::loadgen
