// The binary's commands besides serving, which run and exit: `migrate` and
// `import-movies` against the database, `token` to mint bearer tokens for
// development and tools. Each returns the process's exit status.

#pragma once

#include "config/settings.hpp"

#include <string>
#include <vector>

namespace heymovie::node {

/// Brings the schema up to date and says how many migrations that took.
int migrate(const config::settings& s);

/// Loads a MovieLens-format movies.csv: progress on a terminal, every
/// refused line named, a summary last. 2 when lines were refused.
int import_movies(const config::settings& s, const std::string& path);

/// What `heymovie token` is to mint.
struct token_order {
  /// A user id, or a range `A..B`.
  std::string users;
  /// The `scope` claim: empty, `import`, `admin` or both space-separated.
  std::string scope;
  /// How long the tokens hold: `90s`, `30m`, `1h`, `2d`, or seconds.
  std::string ttl = "1h";
};

/// Takes `--user=`, `--scope=` and `--ttl=` out of `options`, which leaves
/// the configuration's options.
token_order take_token_options(std::vector<std::string>& options);

/// Prints HS256 tokens signed with auth.hs256-secret-file: one for a single
/// user, or a line "USER TOKEN" per user of a range; 64 on a bad order.
int mint_tokens(const config::settings& s, const token_order& order);

} // namespace heymovie::node
