#include "node/maintenance.hpp"

#include "auth/jwt.hpp"
#include "auth/keys.hpp"
#include "persistence/connect.hpp"
#include "persistence/movie_import.hpp"
#include "persistence/schema.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <fstream>
#include <iostream>
#include <limits>
#include <optional>
#include <unistd.h>

namespace heymovie::node {

using namespace std::chrono_literals;

int migrate(const config::settings& s) {
  auto conn = persistence::connect_patiently(s.db.url, 30s);
  auto applied = persistence::migrate(*conn);
  std::cout << "schema up to date (" << applied << " migration(s) applied)\n";
  return 0;
}

int import_movies(const config::settings& s, const std::string& path) {
  std::ifstream in{path};
  if (!in) {
    std::cerr << "heymovie: cannot open " << path << "\n";
    return 1;
  }
  auto conn = persistence::connect_patiently(s.db.url, 30s);
  persistence::migrate(*conn);
  bool on_terminal = isatty(STDERR_FILENO) != 0;
  auto progress = [on_terminal](size_t done, size_t total) {
    if (on_terminal)
      std::cerr << "\rimporting movies: " << (total ? done * 100 / total : 100)
                << "% (" << done << "/" << total << ")" << std::flush;
  };
  auto summary = persistence::import_movies(*conn, in, progress);
  if (on_terminal)
    std::cerr << "\n";
  for (auto& line : summary.refused)
    std::cerr << path << ":" << line.line << ": refused: " << line.reason
              << "\n";
  for (auto& line : summary.duplicates)
    std::cerr << path << ":" << line.line << ": " << line.reason << "\n";
  std::cout << "movies read: " << summary.read
            << ", inserted: " << summary.inserted
            << ", updated: " << summary.updated
            << ", unchanged: " << summary.unchanged
            << ", refused: " << summary.refused.size()
            << ", duplicates: " << summary.duplicates.size() << "\n";
  return summary.refused.empty() ? 0 : 2;
}

namespace {

/// Long enough for any development token.
constexpr int64_t max_ttl_seconds = 366 * 86400;

/// "90s", "30m", "1h", "2d" or plain seconds, at most a year; nothing when
/// malformed.
std::optional<int64_t> seconds_of(const std::string& ttl) {
  int64_t count = 0;
  auto [end, ec] = std::from_chars(ttl.data(), ttl.data() + ttl.size(), count);
  if (ec != std::errc{} || count <= 0 || count > max_ttl_seconds)
    return std::nullopt;
  std::string_view unit{end,
                        static_cast<size_t>(ttl.data() + ttl.size() - end)};
  int64_t seconds = 0;
  if (unit.empty() || unit == "s")
    seconds = count;
  else if (unit == "m")
    seconds = count * 60;
  else if (unit == "h")
    seconds = count * 3600;
  else if (unit == "d")
    seconds = count * 86400;
  if (seconds <= 0 || seconds > max_ttl_seconds)
    return std::nullopt;
  return seconds;
}

/// Scope names: lower-case words separated by spaces.
bool is_scope_list(const std::string& scope) {
  return std::all_of(scope.begin(), scope.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || c == ' ' || c == '_' || c == '-';
  });
}

/// "N" or "A..B" as the first and last user id; nothing when malformed.
std::optional<std::pair<int32_t, int32_t>> users_of(const std::string& text) {
  auto dots = text.find("..");
  auto number = [](std::string_view digits) -> std::optional<int32_t> {
    int32_t value = 0;
    auto [end, ec] =
        std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec != std::errc{} || end != digits.data() + digits.size() || value < 1)
      return std::nullopt;
    return value;
  };
  auto first = number(std::string_view{text}.substr(0, dots));
  auto last = dots == std::string::npos
                  ? first
                  : number(std::string_view{text}.substr(dots + 2));
  if (!first || !last || *last < *first)
    return std::nullopt;
  return std::pair{*first, *last};
}

} // namespace

token_order take_token_options(std::vector<std::string>& options) {
  token_order order;
  std::vector<std::string> rest;
  for (auto& option : options) {
    auto take = [&](std::string_view flag, std::string& into) {
      if (option.rfind(flag, 0) != 0)
        return false;
      into = option.substr(flag.size());
      return true;
    };
    if (!take("--user=", order.users) && !take("--scope=", order.scope) &&
        !take("--ttl=", order.ttl))
      rest.push_back(std::move(option));
  }
  options = std::move(rest);
  return order;
}

int mint_tokens(const config::settings& s, const token_order& order) {
  auto users = users_of(order.users);
  auto ttl = seconds_of(order.ttl);
  if (!users || !ttl || !is_scope_list(order.scope)) {
    std::cerr << "heymovie token: --user=N or --user=A..B (ids from 1), "
                 "--ttl=90s|30m|1h|2d (a year at most), --scope=words in "
                 "a-z\n";
    return 64;
  }
  if (s.auth.hs256_secret_file.empty()) {
    std::cerr << "heymovie token: needs auth.hs256-secret-file\n";
    return 1;
  }
  auto secret = auth::read_hs256_secret(s.auth.hs256_secret_file);
  if (auto* problem = std::get_if<std::string>(&secret)) {
    std::cerr << "heymovie token: auth.hs256-secret-file: " << *problem << "\n";
    return 1;
  }
  for (auto user = users->first; user <= users->second; ++user) {
    auto token = auth::mint_hs256(user, order.scope, std::chrono::seconds{*ttl},
                                  std::get<auth::hs256_secret>(secret).bytes);
    if (users->first == users->second)
      std::cout << token << "\n";
    else
      std::cout << user << ' ' << token << "\n";
    if (user == std::numeric_limits<int32_t>::max())
      break;
  }
  return 0;
}

} // namespace heymovie::node
