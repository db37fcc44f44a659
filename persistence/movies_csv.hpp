// The MovieLens movies.csv format: a header line `movieId,title,genres`, then
// one movie per line, RFC 4180 quoting (titles may hold commas and doubled
// quotes), genres separated by `|`, UTF-8.

#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace heymovie::persistence {

struct movie_record {
  int32_t id = 0;
  std::string title;
  /// As in the file: `Adventure|Comedy`, or `(no genres listed)`.
  std::string genres;
};

inline constexpr std::string_view movies_csv_header = "movieId,title,genres";

/// Parses one line (without its line break; a trailing CR is ignored). On
/// failure returns nothing and says why in `error`.
std::optional<movie_record> parse_movie_line(std::string_view line,
                                             std::string& error);

/// Whether `line` is the header (a UTF-8 byte order mark is allowed).
bool is_movies_csv_header(std::string_view line);

} // namespace heymovie::persistence
