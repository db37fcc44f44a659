#include "node/access.hpp"

#include <spdlog/spdlog.h>

#include <stdexcept>

namespace heymovie::node {

http::access_settings load_access(const config::auth_settings& s) {
  http::access_settings access;
  if (s.mode == config::auth_mode::off) {
    spdlog::warn("auth.mode=off: anyone who reaches the port may write and "
                 "read any user's ratings");
    return access;
  }
  auto loaded = auth::verification_keys::load(s);
  if (auto* problem = std::get_if<std::string>(&loaded))
    throw std::runtime_error("auth: " + *problem);
  if (std::get<auth::verification_keys>(loaded).empty())
    throw std::runtime_error(
        "auth.mode=jwt needs a key: set auth.hs256-secret-file or "
        "auth.public-key-file (auth.mode=off only on a trusted network)");
  access.keys = std::make_shared<const auth::verification_keys>(
      std::move(std::get<auth::verification_keys>(loaded)));
  access.rules = {s.issuer, s.audience,
                  std::chrono::duration_cast<std::chrono::seconds>(s.leeway)};
  // An identity provider signs tokens for other services too.
  if (!s.public_key_file.empty() && s.audience.empty())
    spdlog::warn("auth.public-key-file without auth.audience: every token "
                 "that key signed is accepted, also those meant for other "
                 "services; set auth.audience (and auth.issuer)");
  access.token_cache = s.token_cache;
  access.limiter = std::make_shared<auth::rate_limiter>(
      static_cast<double>(s.user_rate), static_cast<double>(s.user_burst));
  return access;
}

} // namespace heymovie::node
