// The binary's commands besides serving, which run against the database
// and exit: `migrate` and `import-movies`. Each returns the process's exit
// status.

#pragma once

#include "config/settings.hpp"

#include <string>

namespace heymovie::node {

/// Brings the schema up to date and says how many migrations that took.
int migrate(const config::settings& s);

/// Loads a MovieLens-format movies.csv: progress on a terminal, every
/// refused line named, a summary last. 2 when lines were refused.
int import_movies(const config::settings& s, const std::string& path);

} // namespace heymovie::node
