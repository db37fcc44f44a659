// Imports a MovieLens-format movies.csv into the movies table, idempotently:
// new movies are inserted, changed ones updated, equal ones left alone, and
// the rating aggregates are never touched.

#pragma once

#include <cstddef>
#include <functional>
#include <istream>
#include <string>
#include <vector>

namespace pqxx {
class connection_base;
} // namespace pqxx

namespace heymovie::persistence {

struct refused_line {
  size_t line = 0;
  std::string reason;
};

struct import_summary {
  size_t read = 0;
  size_t inserted = 0;
  size_t updated = 0;
  size_t unchanged = 0;
  /// Malformed lines, with their line numbers; nothing of them is imported.
  std::vector<refused_line> refused;
  /// Later lines that repeat an earlier movie id; the later line wins.
  std::vector<refused_line> duplicates;
};

/// Called with (movies sent, movies in all) while the import runs.
using import_progress = std::function<void(size_t, size_t)>;

/// Reads all of `in`, then writes the valid movies in one transaction. Throws
/// pqxx exceptions on database errors (nothing is then imported).
import_summary import_movies(pqxx::connection_base& conn, std::istream& in,
                             const import_progress& progress = {});

} // namespace heymovie::persistence
