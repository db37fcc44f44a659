// The authentication the HTTP front enforces, made from [auth]: the keys
// loaded once, the rules, the per-user rate limiter all HTTP threads share.

#pragma once

#include "config/settings.hpp"
#include "http/access_control.hpp"

namespace heymovie::node {

/// With auth.mode=jwt, the loaded keys and the rules; with off, none (and a
/// warning in the log). Throws std::runtime_error, one line naming the keys
/// or the file, when there is no key or one cannot be used.
http::access_settings load_access(const config::auth_settings& s);

} // namespace heymovie::node
