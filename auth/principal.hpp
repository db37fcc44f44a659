// Who sent a request, as its verified token says: the user it speaks for
// and what its scopes allow beyond that user's own ratings.

#pragma once

#include <cstdint>

namespace heymovie::auth {

struct principal {
  /// The token's `sub`: a user id in 1..2147483647.
  int32_t user = 0;
  /// Scope `import`: a service account that may rate for any user and date
  /// ratings itself (replays, migrations); not rate-limited.
  bool import = false;
  /// Scope `admin`: may read any user's ratings.
  bool admin = false;

  /// Whether it may act for `other`'s ratings when reading them.
  bool may_read(int32_t other) const noexcept {
    return other == user || import || admin;
  }
};

} // namespace heymovie::auth
