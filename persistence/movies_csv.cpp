#include "persistence/movies_csv.hpp"

#include <boost/spirit/home/x3.hpp>
#include <simdjson.h>

#include <charconv>
#include <vector>

namespace heymovie::persistence {

namespace {

namespace x3 = boost::spirit::x3;

// RFC 4180 fields: quoted (a doubled quote stands for one) or bare.
const auto quoted_field =
    x3::lexeme['"' >> *(("\"\"" >> x3::attr('"')) | ~x3::char_('"')) >> '"'];
const auto bare_field = *~x3::char_(",\"");
const auto csv_line = (quoted_field | bare_field) % ',';

std::string_view without_cr(std::string_view line) {
  if (!line.empty() && line.back() == '\r')
    line.remove_suffix(1);
  return line;
}

} // namespace

bool is_movies_csv_header(std::string_view line) {
  line = without_cr(line);
  constexpr std::string_view bom = "\xEF\xBB\xBF";
  if (line.substr(0, bom.size()) == bom)
    line.remove_prefix(bom.size());
  return line == movies_csv_header;
}

std::optional<movie_record> parse_movie_line(std::string_view line,
                                             std::string& error) {
  line = without_cr(line);
  if (!simdjson::validate_utf8(line.data(), line.size())) {
    error = "not valid UTF-8";
    return std::nullopt;
  }
  std::vector<std::string> fields;
  auto first = line.begin();
  if (!x3::parse(first, line.end(), csv_line, fields) || first != line.end()) {
    error = "malformed CSV (unbalanced or stray quote)";
    return std::nullopt;
  }
  if (fields.size() != 3) {
    error = "expected 3 fields (movieId,title,genres), found " +
            std::to_string(fields.size());
    return std::nullopt;
  }
  movie_record movie;
  auto& id = fields[0];
  auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), movie.id);
  if (ec != std::errc{} || end != id.data() + id.size() || movie.id < 1) {
    error = "movieId '" + id + "' is not an integer in 1..2147483647";
    return std::nullopt;
  }
  if (fields[1].empty()) {
    error = "empty title";
    return std::nullopt;
  }
  movie.title = std::move(fields[1]);
  movie.genres = std::move(fields[2]);
  return movie;
}

} // namespace heymovie::persistence
