// JSON Web Tokens (RFC 7519) in the JWS compact form (RFC 7515), as bearer
// tokens (RFC 6750): a token is verified with the configured keys and the
// service's rules, and what it says becomes a principal. The cryptography is
// OpenSSL's (HMAC-SHA256, EVP_DigestVerify for RSA and ECDSA); this file
// parses the compact form and checks the claims.
//
// Not a Debian JWT library: libjwt 1.10 takes the algorithm from the token's
// own header and has no claim checks, and both it and cpp-jwt 1.4 refuse a
// `typ` other than "JWT", such as the "at+jwt" of RFC 9068 access tokens.

#pragma once

#include "auth/keys.hpp"
#include "auth/principal.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace heymovie::auth {

/// What the service asks of a token beyond its signature.
struct token_rules {
  /// Checked when not empty: `iss` must equal it.
  std::string issuer;
  /// Checked when not empty: `aud` must be it or list it.
  std::string audience;
  /// Slack for clocks that disagree, on `exp` and `nbf`.
  std::chrono::seconds leeway{30};
};

/// Why a token was refused (every one is a 401 invalid_token).
enum class token_problem : uint8_t {
  too_long,
  malformed,
  unsupported_algorithm,
  bad_signature,
  no_expiry,
  expired,
  not_yet_valid,
  wrong_issuer,
  wrong_audience,
  bad_subject,
  bad_scope,
};

/// A phrase for the answer's message, e.g. "the token has expired".
const char* to_string(token_problem problem);

/// A token's verified content and its validity period.
struct verified_token {
  principal who;
  /// `exp`, unix seconds.
  double expires_at = 0;
  /// `nbf`, unix seconds; far in the past when the token has none.
  double not_before = -1e300;
};

/// Longest token accepted, in bytes.
inline constexpr size_t max_token_size = 4096;

/// The time now, in unix seconds as tokens count it.
int64_t unix_now();

/// Verifies `token` at `now` (unix seconds).
std::variant<verified_token, token_problem>
verify_token(std::string_view token, const verification_keys& keys,
             const token_rules& rules, int64_t now);

/// Whether a token verified earlier is still valid at `now`: nothing if so.
std::optional<token_problem> check_period(const verified_token& token,
                                          const token_rules& rules,
                                          int64_t now);

/// A token signed with HS256 over `claims` (a JSON object), for the
/// `heymovie token` command, tools and tests.
std::string sign_hs256(std::string_view claims, std::string_view secret);

/// An HS256 token for `user`, issued now and valid for `ttl`, with `scope`
/// (space-separated words; none when empty).
std::string mint_hs256(int32_t user, std::string_view scope,
                       std::chrono::seconds ttl, std::string_view secret);

/// Base64url without padding (RFC 7515 2), as the compact form uses it.
std::string encode_base64url(std::string_view bytes);

} // namespace heymovie::auth
