#include "loadgen/movielens_csv.hpp"

#include "persistence/movies_csv.hpp"

#include <charconv>
#include <cmath>
#include <fstream>
#include <stdexcept>

namespace heymovie::loadgen {

namespace {

std::string_view trimmed(std::string_view line) {
  constexpr std::string_view bom = "\xEF\xBB\xBF";
  if (line.substr(0, bom.size()) == bom)
    line.remove_prefix(bom.size());
  if (!line.empty() && line.back() == '\r')
    line.remove_suffix(1);
  return line;
}

// Cuts the next comma-separated field off the front of `line`.
std::string_view next_field(std::string_view& line) {
  auto comma = line.find(',');
  auto field = line.substr(0, comma);
  line.remove_prefix(comma == std::string_view::npos ? line.size() : comma + 1);
  return field;
}

template<class Integer>
bool parse_integer(std::string_view text, Integer& value) {
  auto [end, ec] =
      std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc{} && end == text.data() + text.size();
}

bool parse_half_stars(std::string_view text, int16_t& half_stars) {
  double stars = 0;
  auto [end, ec] =
      std::from_chars(text.data(), text.data() + text.size(), stars);
  if (ec != std::errc{} || end != text.data() + text.size())
    return false;
  double half = stars * 2;
  if (half != std::floor(half) || half < 1 || half > 10)
    return false;
  half_stars = static_cast<int16_t>(half);
  return true;
}

// Calls `parse(line, error)` for each data line until `enough()`.
template<class Parse, class Enough>
void for_each_line(const std::string& path, Parse parse, Enough enough) {
  std::ifstream in{path};
  if (!in)
    throw std::runtime_error(path + ": cannot open");
  std::string line;
  for (uint64_t number = 1; !enough() && std::getline(in, line); ++number) {
    if (number == 1 && is_movielens_header(line))
      continue;
    if (trimmed(line).empty())
      continue;
    std::string error;
    if (!parse(line, error))
      throw std::runtime_error(path + ":" + std::to_string(number) + ": " +
                               error);
  }
}

} // namespace

std::optional<rating> parse_rating_line(std::string_view line,
                                        std::string& error) {
  line = trimmed(line);
  rating r;
  auto user = next_field(line);
  auto movie = next_field(line);
  auto stars = next_field(line);
  auto timestamp = next_field(line);
  if (!line.empty()) {
    error = "expected 4 fields (userId,movieId,rating,timestamp)";
    return std::nullopt;
  }
  if (!parse_integer(user, r.user) || r.user < 1) {
    error = "userId '" + std::string{user} + "' is not in 1..2147483647";
    return std::nullopt;
  }
  if (!parse_integer(movie, r.movie) || r.movie < 1) {
    error = "movieId '" + std::string{movie} + "' is not in 1..2147483647";
    return std::nullopt;
  }
  if (!parse_half_stars(stars, r.half_stars)) {
    error = "rating '" + std::string{stars} + "' is not 0.5..5.0 in halves";
    return std::nullopt;
  }
  if (!timestamp.empty() && !parse_integer(timestamp, r.timestamp)) {
    error = "timestamp '" + std::string{timestamp} + "' is not an integer";
    return std::nullopt;
  }
  return r;
}

std::optional<int32_t> parse_movie_id(std::string_view line,
                                      std::string& error) {
  // The service's own movies.csv parser, so that both read the same file
  // alike.
  auto movie = persistence::parse_movie_line(trimmed(line), error);
  if (!movie)
    return std::nullopt;
  return movie->id;
}

bool is_movielens_header(std::string_view line) {
  line = trimmed(line);
  return line.substr(0, 6) == "userId" || line.substr(0, 7) == "movieId";
}

std::vector<rating> read_ratings_csv(const std::string& path, uint64_t limit) {
  std::vector<rating> out;
  for_each_line(
      path,
      [&](std::string_view line, std::string& error) {
        auto r = parse_rating_line(line, error);
        if (r)
          out.push_back(*r);
        return r.has_value();
      },
      [&] { return out.size() >= limit; });
  return out;
}

std::vector<int32_t> read_movie_ids(const std::string& path) {
  std::vector<int32_t> out;
  for_each_line(
      path,
      [&](std::string_view line, std::string& error) {
        auto id = parse_movie_id(line, error);
        if (id)
          out.push_back(*id);
        return id.has_value();
      },
      [] { return false; });
  return out;
}

} // namespace heymovie::loadgen
