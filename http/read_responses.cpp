#include "http/read_responses.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace heymovie::http {

using nlohmann::json;

namespace {

json average(int64_t half_star_sum, int64_t votes) {
  if (votes == 0)
    return nullptr;
  return static_cast<double>(half_star_sum) / 2 / static_cast<double>(votes);
}

json movie_object(const persistence::movie_info& m) {
  return {{"id", m.id},
          {"title", m.title},
          {"genres", m.genres},
          {"average", average(m.half_star_sum, m.votes)},
          {"votes", m.votes}};
}

/// Titles come from imported files: never let a stray byte break the body.
std::string dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

} // namespace

std::string movie_json(const persistence::movie_info& movie) {
  return dump(movie_object(movie));
}

std::string
rolling_average_json(int32_t movie,
                     const std::vector<persistence::year_average>& years) {
  auto list = json::array();
  for (auto& y : years)
    list.push_back({{"year", y.year},
                    {"average", average(y.half_star_sum, y.votes)},
                    {"votes", y.votes}});
  return dump({{"movie", movie}, {"years", std::move(list)}});
}

std::string
top_movies_json(int32_t limit, int64_t min_votes,
                const std::vector<persistence::movie_info>& movies) {
  auto list = json::array();
  for (auto& m : movies)
    list.push_back(movie_object(m));
  return dump({{"limit", limit},
               {"min_votes", min_votes},
               {"movies", std::move(list)}});
}

std::string user_ratings_json(int32_t user, int32_t limit,
                              const std::vector<persistence::rating>& page) {
  auto shown = std::min(page.size(), static_cast<size_t>(limit));
  auto list = json::array();
  for (size_t i = 0; i < shown; ++i)
    list.push_back({{"movie", page[i].movie},
                    {"rating", stars(page[i].half_stars)},
                    {"timestamp", page[i].rated_at}});
  json next = nullptr;
  if (page.size() > shown && shown > 0)
    next = page[shown - 1].movie;
  return dump(
      {{"user", user}, {"ratings", std::move(list)}, {"next_after", next}});
}

} // namespace heymovie::http
