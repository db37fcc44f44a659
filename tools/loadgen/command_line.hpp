// Options of the form `--key=value` (or `--key value`) and `--flag`, checked
// against a table that each command declares; the same table gives its usage
// text. Boost.Program_options does the parsing; this adds the range checks
// the commands share. A mistake is refused with one line naming the option.

#pragma once

#include <boost/program_options/variables_map.hpp>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace heymovie::loadgen {

/// One accepted option, shown as `--name hint  help`; no hint: a flag, which
/// also takes `=true` or `=false`.
struct option_spec {
  std::string_view name;
  std::string_view hint;
  std::string_view help;
};

/// A command line that does not fit the table; `what()` says why.
class usage_error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// The options given to one command.
class command_line {
public:
  /// Parses `args` (after the command name); throws usage_error for an
  /// unknown option, a positional argument, a missing value or a repeated
  /// option.
  command_line(const std::vector<std::string_view>& args,
               const std::vector<option_spec>& table);

  bool has(std::string_view name) const;

  std::string text(std::string_view name, std::string fallback = {}) const;

  /// An integer in [min, max]; throws usage_error otherwise.
  int64_t integer(std::string_view name, int64_t fallback, int64_t min,
                  int64_t max) const;

  /// A number in [min, max]; throws usage_error otherwise.
  double number(std::string_view name, double fallback, double min,
                double max) const;

  /// `--flag`, `--flag=true` or `--flag=false`.
  bool flag(std::string_view name) const;

private:
  boost::program_options::variables_map values_;
};

/// The usage lines of a table, aligned, two spaces in.
std::string describe(const std::vector<option_spec>& table);

} // namespace heymovie::loadgen
