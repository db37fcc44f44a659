// Bearer tokens to principals on the hot path: a token seen before costs a
// lookup in a bounded cache of verified tokens (its validity period is still
// checked at every use), a new one a signature check. One per HTTP thread:
// no locks.

#pragma once

#include "auth/jwt.hpp"
#include "auth/keys.hpp"
#include "auth/principal.hpp"

#include <list>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <variant>

namespace heymovie::auth {

class token_verifier {
public:
  /// Remembers up to `cache_capacity` verified tokens (0: none).
  token_verifier(std::shared_ptr<const verification_keys> keys,
                 token_rules rules, size_t cache_capacity);

  token_verifier(const token_verifier&) = delete;
  token_verifier& operator=(const token_verifier&) = delete;

  /// Who `token` speaks for at `now` (unix seconds), or why it is refused.
  std::variant<principal, token_problem> verify(std::string_view token,
                                                int64_t now);

  /// Tokens remembered now.
  size_t cached() const noexcept { return index_.size(); }

private:
  using entry = std::pair<std::string, verified_token>;

  void remember(std::string_view token, const verified_token& verified);

  std::shared_ptr<const verification_keys> keys_;
  token_rules rules_;
  size_t capacity_;
  /// Most recently used first.
  std::list<entry> recent_;
  /// Keys view the strings in `recent_`.
  std::unordered_map<std::string_view, std::list<entry>::iterator> index_;
};

} // namespace heymovie::auth
