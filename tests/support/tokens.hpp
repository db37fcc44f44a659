// Bearer tokens for the tests. Every service the tests start verifies HS256
// tokens with the same test secret (service_process passes its file), and
// these helpers mint them. Most tests act as a service account (scope
// import: any user, dated ratings, no rate limit), so that what they test
// stays what it was; the authentication tests mint what they need.

#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace heymovie::testing {

/// The file holding the test secret (written once per test process).
const std::string& test_secret_file();

/// A token for `user` with `scope` (space-separated; empty: none), valid for
/// `ttl` from now.
std::string token_for(int32_t user, const std::string& scope = {},
                      std::chrono::seconds ttl = std::chrono::hours{1});

/// A token of the service account the tests act as: scope import.
std::string import_token();

/// A token with exactly these claims (a JSON object), signed with the test
/// secret: for tokens that must be refused for what they say.
std::string token_with_claims(const std::string& claims);

/// "Authorization: Bearer TOKEN\r\n", for requests written by hand.
std::string authorization(const std::string& token = import_token());

/// A token with `claims` signed by the private key in the PEM file at
/// `key_file` as `alg` (RS256 or ES256), as an identity provider would; for
/// ES256 the signature is R || S, as JWS wants it.
std::string token_signed_by(const std::string& key_file, const std::string& alg,
                            const std::string& claims);

} // namespace heymovie::testing
