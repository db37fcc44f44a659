// The keys that tokens are verified with, loaded once from the files the
// configuration names: HS256 shared secrets and RS256 / ES256 public keys
// (PEM). Each key has one algorithm, so a token is checked only with keys
// of the algorithm its header names: an RS256 public key is never taken for
// an HS256 secret (the classic algorithm confusion). During a rotation the
// previous key of each kind is accepted too.

#pragma once

#include "config/settings.hpp"

#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

struct evp_pkey_st;

namespace heymovie::auth {

enum class algorithm : uint8_t { hs256, rs256, es256 };

/// "HS256", "RS256", "ES256".
const char* to_string(algorithm alg);

/// The HS256 secret in the file at `path`, as the service and the tools
/// that mint its tokens read it.
struct hs256_secret {
  std::string bytes;
};

/// Reads `path` (trailing whitespace dropped: a newline an editor adds must
/// not change the key); an error line naming the file if it cannot be read
/// or holds fewer than 32 bytes.
std::variant<hs256_secret, std::string>
read_hs256_secret(const std::string& path);

class verification_keys {
public:
  /// Loads the keys `auth.*-file` name; an error line naming the file and
  /// what is wrong with it if one cannot be used.
  static std::variant<verification_keys, std::string>
  load(const config::auth_settings& s);

  /// An HS256 secret (tests, token minting).
  static verification_keys hs256(std::string secret);

  /// A PEM public key (RSA of 2048 bits or more: RS256; EC on P-256:
  /// ES256); an error line otherwise.
  static std::variant<verification_keys, std::string>
  public_key(std::string_view pem);

  verification_keys();
  ~verification_keys();
  verification_keys(verification_keys&&) noexcept;
  verification_keys& operator=(verification_keys&&) noexcept;

  /// The algorithm `alg` names (case as RFC 7518 writes it), if this set has
  /// a key for it.
  bool accepts(std::string_view alg, algorithm& out) const;

  /// The HS256 secrets, current first.
  const std::vector<std::string>& secrets() const noexcept { return secrets_; }

  /// The public keys of `alg` (RS256 or ES256), current first.
  std::vector<evp_pkey_st*> public_keys(algorithm alg) const;

  bool empty() const noexcept;

private:
  struct pkey_deleter {
    void operator()(evp_pkey_st* key) const noexcept;
  };
  struct public_key_entry {
    algorithm alg;
    std::unique_ptr<evp_pkey_st, pkey_deleter> key;
  };

  void add(verification_keys&& more);

  std::vector<std::string> secrets_;
  std::vector<public_key_entry> public_keys_;
};

} // namespace heymovie::auth
