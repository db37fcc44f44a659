#include "loadgen/bearer_tokens.hpp"

#include "auth/jwt.hpp"
#include "loadgen/command_line.hpp"

#include <chrono>
#include <cstring>
#include <fstream>
#include <iterator>

namespace heymovie::loadgen {

namespace {

/// Long enough for any run.
constexpr int64_t lifetime_seconds = 24 * 3600;

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
    entry->second = mint(user, nullptr);
  return entry->second;
}

std::string bearer_tokens::mint(int32_t user, const char* scope) const {
  auto now = std::chrono::duration_cast<std::chrono::seconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
  std::string claims = R"({"sub":")" + std::to_string(user) + R"(","exp":)" +
                       std::to_string(now + lifetime_seconds);
  if (scope != nullptr)
    claims += R"(,"scope":")" + std::string{scope} + '"';
  claims += '}';
  return auth::sign_hs256(claims, secret_);
}

std::string bearer_tokens::read_secret(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  if (!in)
    throw usage_error("--token-secret: cannot read " + path);
  std::string secret{std::istreambuf_iterator<char>{in},
                     std::istreambuf_iterator<char>{}};
  while (!secret.empty() && std::strchr(" \t\r\n", secret.back()) != nullptr)
    secret.pop_back();
  return secret;
}

} // namespace heymovie::loadgen
