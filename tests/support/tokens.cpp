#include "support/tokens.hpp"

#include "auth/jwt.hpp"

#include <cstdio>
#include <fstream>
#include <memory>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdexcept>
#include <unistd.h>

namespace heymovie::testing {

namespace {

/// At least 32 bytes, as HS256 keys must be; a newline the service drops.
constexpr const char* test_secret =
    "heymovie-test-secret-0123456789abcdefghijklmnop";

} // namespace

const std::string& test_secret_file() {
  static const std::string path = [] {
    auto file = "/tmp/heymovie_" + std::to_string(getpid()) + "_secret";
    std::ofstream{file} << test_secret << "\n";
    return file;
  }();
  return path;
}

std::string token_for(int32_t user, const std::string& scope,
                      std::chrono::seconds ttl) {
  return auth::mint_hs256(user, scope, ttl, test_secret);
}

std::string import_token() {
  static const std::string token =
      token_for(1, "import", std::chrono::hours{24});
  return token;
}

std::string token_with_claims(const std::string& claims) {
  return auth::sign_hs256(claims, test_secret);
}

std::string authorization(const std::string& token) {
  return "Authorization: Bearer " + token + "\r\n";
}

std::string token_signed_by(const std::string& key_file, const std::string& alg,
                            const std::string& claims) {
  std::unique_ptr<FILE, decltype(&std::fclose)> file{
      std::fopen(key_file.c_str(), "r"), std::fclose};
  if (!file)
    throw std::runtime_error("cannot read " + key_file);
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key{
      PEM_read_PrivateKey(file.get(), nullptr, nullptr, nullptr),
      EVP_PKEY_free};
  if (!key)
    throw std::runtime_error(key_file + " holds no private key");
  auto input =
      auth::encode_base64url(R"({"alg":")" + alg + R"(","typ":"at+jwt"})") +
      "." + auth::encode_base64url(claims);
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx{EVP_MD_CTX_new(),
                                                              EVP_MD_CTX_free};
  auto* data = reinterpret_cast<const unsigned char*>(input.data());
  size_t size = 0;
  EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get());
  EVP_DigestSign(ctx.get(), nullptr, &size, data, input.size());
  std::string signature(size, '\0');
  EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()),
                 &size, data, input.size());
  signature.resize(size);
  if (alg == "ES256") {
    auto* der = reinterpret_cast<const unsigned char*>(signature.data());
    std::unique_ptr<ECDSA_SIG, decltype(&ECDSA_SIG_free)> sig{
        d2i_ECDSA_SIG(nullptr, &der, static_cast<long>(signature.size())),
        ECDSA_SIG_free};
    std::string raw(64, '\0');
    auto* out = reinterpret_cast<unsigned char*>(raw.data());
    BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), out, 32);
    BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), out + 32, 32);
    signature = raw;
  }
  return input + "." + auth::encode_base64url(signature);
}

} // namespace heymovie::testing
