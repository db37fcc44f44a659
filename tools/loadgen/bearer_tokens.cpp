#include "loadgen/bearer_tokens.hpp"

#include "auth/jwt.hpp"
#include "auth/keys.hpp"
#include "loadgen/command_line.hpp"

namespace heymovie::loadgen {

namespace {

/// Long enough for any run.
constexpr std::chrono::hours lifetime{24};

} // namespace

bearer_tokens::bearer_tokens(std::string secret, bool import)
    : secret_(std::move(secret)) {
  if (import)
    import_token_ = mint(1, "import");
}

const std::string& bearer_tokens::for_user(int32_t user) {
  if (!import_token_.empty())
    return import_token_;
  auto [entry, fresh] = per_user_.try_emplace(user);
  if (fresh)
    entry->second = mint(user, {});
  return entry->second;
}

std::string bearer_tokens::mint(int32_t user, std::string_view scope) const {
  return auth::mint_hs256(user, scope, lifetime, secret_);
}

std::string bearer_tokens::read_secret(const std::string& path) {
  auto secret = auth::read_hs256_secret(path);
  if (auto* problem = std::get_if<std::string>(&secret))
    throw usage_error("--token-secret: " + *problem);
  return std::move(std::get<auth::hs256_secret>(secret).bytes);
}

} // namespace heymovie::loadgen
