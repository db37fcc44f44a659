// The bearer tokens a load run sends, minted here from the service's HS256
// secret: one per user (each reused for all of that user's requests, as an
// app does), or one import token for every request (replays and dated
// ratings: only scope import may set a timestamp). One per connection: not
// thread-safe.

#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

namespace heymovie::loadgen {

class bearer_tokens {
public:
  /// `secret`: the service's HS256 secret; `import`: one import token for
  /// all users instead of a token per user.
  bearer_tokens(std::string secret, bool import);

  /// The token to send for `user`'s rating.
  const std::string& for_user(int32_t user);

  /// The secret in the file at `path`, as the service reads it; throws
  /// usage_error when it cannot be read or is too short.
  static std::string read_secret(const std::string& path);

private:
  std::string mint(int32_t user, std::string_view scope) const;

  std::string secret_;
  std::string import_token_;
  std::unordered_map<int32_t, std::string> per_user_;
};

} // namespace heymovie::loadgen
