#include "persistence/movie_import.hpp"

#include "persistence/movies_csv.hpp"
#include "persistence/sql.hpp"

#include <pqxx/pqxx>

#include <tuple>
#include <unordered_map>

namespace heymovie::persistence {

namespace {

struct parsed_file {
  std::vector<movie_record> movies;
  size_t read = 0;
  std::vector<refused_line> refused;
  std::vector<refused_line> duplicates;
};

parsed_file parse_file(std::istream& in) {
  parsed_file result;
  std::unordered_map<int32_t, std::pair<size_t, size_t>> seen; // line, index
  std::string line;
  std::string error;
  for (size_t number = 1; std::getline(in, line); ++number) {
    if (number == 1) {
      if (!is_movies_csv_header(line))
        result.refused.push_back(
            {1, "expected the header movieId,title,genres"});
      continue;
    }
    if (line.empty() || line == "\r")
      continue;
    ++result.read;
    auto movie = parse_movie_line(line, error);
    if (!movie) {
      result.refused.push_back({number, error});
      continue;
    }
    if (auto i = seen.find(movie->id); i != seen.end()) {
      result.duplicates.push_back(
          {number, "movieId " + std::to_string(movie->id) + " repeats line " +
                       std::to_string(i->second.first)});
      result.movies[i->second.second] = std::move(*movie);
      i->second.first = number;
      continue;
    }
    seen.emplace(movie->id, std::make_pair(number, result.movies.size()));
    result.movies.push_back(std::move(*movie));
  }
  return result;
}

} // namespace

import_summary import_movies(pqxx::connection_base& conn, std::istream& in,
                             const import_progress& progress) {
  auto file = parse_file(in);
  import_summary summary;
  summary.read = file.read;
  summary.refused = std::move(file.refused);
  summary.duplicates = std::move(file.duplicates);
  pqxx::work tx{conn};
  tx.exec(sql::create_movie_stage);
  pqxx::stream_to copy{tx, sql::movie_stage_table,
                       std::vector<std::string>{"id", "title", "genres"}};
  auto total = file.movies.size();
  for (size_t i = 0; i < total; ++i) {
    auto& m = file.movies[i];
    copy << std::make_tuple(m.id, m.title, m.genres);
    if (progress && (i % 1000 == 0 || i + 1 == total))
      progress(i + 1, total);
  }
  copy.complete();
  for (auto row : tx.exec(sql::upsert_movies)) {
    if (row[0].as<bool>())
      ++summary.inserted;
    else
      ++summary.updated;
  }
  tx.commit();
  summary.unchanged = total - summary.inserted - summary.updated;
  return summary;
}

} // namespace heymovie::persistence
