// Binds `settings` to CAF's configuration machinery: INI file, command line
// (`--http.port=9000`) and DATABASE_URL, in increasing precedence.

#pragma once

#include "config/settings.hpp"

#include <caf/actor_system_config.hpp>

#include <string>
#include <vector>

namespace heymovie::config {

/// The default INI file: in a checkout, relative to the working directory;
/// in the Debian package, /etc/heymovie/heymovie.ini (HEYMOVIE_CONFIG_FILE
/// at build time, see packaging/).
inline constexpr const char* default_config_file = HEYMOVIE_CONFIG_FILE;

class service_config : public caf::actor_system_config {
public:
  service_config();

  /// Parses `args` (the command line without the program name and without
  /// sub-command words) and the INI file. Returns an empty string on
  /// success, else one line saying what is wrong, for the user.
  std::string configure(const std::vector<std::string>& args);

  settings values;

private:
  std::string check_ini_file(const std::string& path) const;
  /// Turns the names of the role and the auth mode into their enums.
  std::string parse_choices();
  void apply_environment(const std::vector<std::string>& args);

  /// `cluster.role` and `auth.mode` as given; parsed once, by `configure`.
  std::string role_name_ = "standalone";
  std::string auth_mode_name_ = "jwt";
};

} // namespace heymovie::config
