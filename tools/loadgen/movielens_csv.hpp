// The two MovieLens files the load generator reads: ratings.csv
// (`userId,movieId,rating,timestamp`) for replays and movies.csv
// (`movieId,title,genres`, titles quoted when they hold commas) for the ids
// of synthetic ratings. Line ends may be LF or CRLF; a header line and a
// UTF-8 byte order mark are skipped.

#pragma once

#include "loadgen/rating.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace heymovie::loadgen {

/// Parses one ratings.csv line; on failure returns nothing and says why in
/// `error`. The rating must be 0.5..5.0 in steps of 0.5.
std::optional<rating> parse_rating_line(std::string_view line,
                                        std::string& error);

/// The movie id of one movies.csv line, parsed as the service imports it
/// (persistence/movies_csv).
std::optional<int32_t> parse_movie_id(std::string_view line,
                                      std::string& error);

/// Whether `line` is the header of either file.
bool is_movielens_header(std::string_view line);

/// The first `limit` ratings of a ratings.csv file, in file order. Throws
/// std::runtime_error naming the file and line when one is malformed.
std::vector<rating> read_ratings_csv(const std::string& path, uint64_t limit);

/// The movie ids of a movies.csv file, in file order. Throws
/// std::runtime_error naming the file and line when one is malformed.
std::vector<int32_t> read_movie_ids(const std::string& path);

} // namespace heymovie::loadgen
