// `loadgen verify`: reads a record of `loadgen run`, then checks the
// database in one repeatable-read snapshot: every (user, movie) pair the
// record acknowledged, and every movie's vote count and rating sum (the
// rules are in verify_rule.hpp). Prints counts and the first mismatches.

#pragma once

#include "loadgen/command_line.hpp"

#include <string>
#include <vector>

namespace heymovie::loadgen {

struct verify_options {
  std::string record_path;
  std::string db_url;
  size_t show = 20;
};

const std::vector<option_spec>& verify_option_table();

/// Throws usage_error when --record or --db is missing.
verify_options parse_verify_options(const command_line& args);

/// The exit code: 0 when everything matches, 1 on any mismatch, 2 when the
/// record or the database could not be read.
int verify(const verify_options& options);

} // namespace heymovie::loadgen
