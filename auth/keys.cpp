#include "auth/keys.hpp"

#include <cstring>
#include <fstream>
#include <iterator>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <optional>

namespace heymovie::auth {

namespace {

/// RFC 7518 3.3: an RSA key for RS256 has at least 2048 bits.
constexpr int min_rsa_bits = 2048;

/// The file's bytes; nothing if it cannot be read.
std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  if (!in)
    return std::nullopt;
  return std::string{std::istreambuf_iterator<char>{in},
                     std::istreambuf_iterator<char>{}};
}

} // namespace

std::variant<hs256_secret, std::string>
read_hs256_secret(const std::string& path) {
  auto content = read_file(path);
  if (!content)
    return "cannot read " + path;
  auto& secret = *content;
  while (!secret.empty() && std::strchr(" \t\r\n", secret.back()) != nullptr)
    secret.pop_back();
  // RFC 7518 3.2: a key of at least the hash's size.
  if (secret.size() < 32)
    return path + ": an HS256 secret needs at least 32 bytes";
  return hs256_secret{std::move(secret)};
}

const char* to_string(algorithm alg) {
  switch (alg) {
  case algorithm::hs256:
    return "HS256";
  case algorithm::rs256:
    return "RS256";
  case algorithm::es256:
    break;
  }
  return "ES256";
}

void verification_keys::pkey_deleter::operator()(
    evp_pkey_st* key) const noexcept {
  EVP_PKEY_free(key);
}

verification_keys::verification_keys() = default;
verification_keys::~verification_keys() = default;
verification_keys::verification_keys(verification_keys&&) noexcept = default;
verification_keys&
verification_keys::operator=(verification_keys&&) noexcept = default;

verification_keys verification_keys::hs256(std::string secret) {
  verification_keys keys;
  keys.secrets_.push_back(std::move(secret));
  return keys;
}

std::variant<verification_keys, std::string>
verification_keys::public_key(std::string_view pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio{
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free};
  std::unique_ptr<EVP_PKEY, pkey_deleter> key{
      bio ? PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr)
          : nullptr};
  if (!key)
    return "not a PEM public key (-----BEGIN PUBLIC KEY-----)";
  verification_keys keys;
  if (EVP_PKEY_is_a(key.get(), "RSA")) {
    if (EVP_PKEY_get_bits(key.get()) < min_rsa_bits)
      return "an RSA key for RS256 needs at least 2048 bits";
    keys.public_keys_.push_back({algorithm::rs256, std::move(key)});
    return keys;
  }
  char group[64] = {};
  if (EVP_PKEY_is_a(key.get(), "EC") &&
      EVP_PKEY_get_group_name(key.get(), group, sizeof(group), nullptr) == 1 &&
      (std::strcmp(group, "prime256v1") == 0 ||
       std::strcmp(group, "P-256") == 0)) {
    keys.public_keys_.push_back({algorithm::es256, std::move(key)});
    return keys;
  }
  return "neither an RSA key (RS256) nor an EC key on P-256 (ES256)";
}

std::variant<verification_keys, std::string>
verification_keys::load(const config::auth_settings& s) {
  verification_keys keys;
  for (auto* path : {&s.hs256_secret_file, &s.previous_hs256_secret_file}) {
    if (path->empty())
      continue;
    auto secret = read_hs256_secret(*path);
    if (auto* problem = std::get_if<std::string>(&secret))
      return *problem;
    keys.secrets_.push_back(std::move(std::get<hs256_secret>(secret).bytes));
  }
  for (auto* path : {&s.public_key_file, &s.previous_public_key_file}) {
    if (path->empty())
      continue;
    auto content = read_file(*path);
    if (!content)
      return "cannot read " + *path;
    auto loaded = public_key(*content);
    if (auto* problem = std::get_if<std::string>(&loaded))
      return *path + ": " + *problem;
    keys.add(std::move(std::get<verification_keys>(loaded)));
  }
  return keys;
}

void verification_keys::add(verification_keys&& more) {
  for (auto& secret : more.secrets_)
    secrets_.push_back(std::move(secret));
  for (auto& entry : more.public_keys_)
    public_keys_.push_back(std::move(entry));
}

bool verification_keys::accepts(std::string_view alg, algorithm& out) const {
  // Case-sensitive (RFC 7515 4.1.1); "none" is never a key's algorithm.
  if (alg == "HS256" && !secrets_.empty()) {
    out = algorithm::hs256;
    return true;
  }
  for (auto candidate : {algorithm::rs256, algorithm::es256})
    if (alg == to_string(candidate) && !public_keys(candidate).empty()) {
      out = candidate;
      return true;
    }
  return false;
}

std::vector<evp_pkey_st*> verification_keys::public_keys(algorithm alg) const {
  std::vector<evp_pkey_st*> out;
  for (auto& entry : public_keys_)
    if (entry.alg == alg)
      out.push_back(entry.key.get());
  return out;
}

bool verification_keys::empty() const noexcept {
  return secrets_.empty() && public_keys_.empty();
}

} // namespace heymovie::auth
