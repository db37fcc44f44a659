#include "auth/jwt.hpp"

#include <algorithm>
#include <charconv>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <optional>

namespace heymovie::auth {

namespace {

using json = nlohmann::json;

constexpr size_t sha256_size = 32;
/// An ES256 signature: R and S, 32 bytes each (RFC 7518 3.4).
constexpr size_t es256_signature_size = 64;

bool is_base64url(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
           (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

/// Unpadded base64url to bytes; nothing when it is not that.
std::optional<std::string> decode_base64url(std::string_view text) {
  if (!is_base64url(text) || text.size() % 4 == 1)
    return std::nullopt;
  std::string standard{text};
  std::replace(standard.begin(), standard.end(), '-', '+');
  std::replace(standard.begin(), standard.end(), '_', '/');
  size_t padding = (4 - standard.size() % 4) % 4;
  standard.append(padding, '=');
  std::string bytes(standard.size() / 4 * 3, '\0');
  auto n =
      EVP_DecodeBlock(reinterpret_cast<unsigned char*>(bytes.data()),
                      reinterpret_cast<const unsigned char*>(standard.data()),
                      static_cast<int>(standard.size()));
  if (n < 0)
    return std::nullopt;
  // EVP_DecodeBlock counts the bytes the padding stands for.
  bytes.resize(static_cast<size_t>(n) - padding);
  return bytes;
}

std::optional<json> parse_object(const std::string& text) {
  // nlohmann's lexer takes a NUL for the end of its input.
  if (text.find('\0') != std::string::npos)
    return std::nullopt;
  auto value = json::parse(text, nullptr, false);
  if (value.is_discarded() || !value.is_object())
    return std::nullopt;
  return value;
}

const unsigned char* bytes_of(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

bool verify_hs256(std::string_view input, std::string_view signature,
                  const std::vector<std::string>& secrets) {
  if (signature.size() != sha256_size)
    return false;
  for (auto& secret : secrets) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_size = 0;
    if (HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
             bytes_of(input), input.size(), mac, &mac_size) != nullptr &&
        mac_size == sha256_size &&
        CRYPTO_memcmp(mac, signature.data(), sha256_size) == 0)
      return true;
  }
  return false;
}

/// ES256 signs R || S; OpenSSL verifies a DER ECDSA-Sig-Value.
std::optional<std::string> der_of_es256(std::string_view signature) {
  if (signature.size() != es256_signature_size)
    return std::nullopt;
  std::unique_ptr<ECDSA_SIG, decltype(&ECDSA_SIG_free)> sig{ECDSA_SIG_new(),
                                                            ECDSA_SIG_free};
  auto* r = BN_bin2bn(bytes_of(signature), 32, nullptr);
  auto* s = BN_bin2bn(bytes_of(signature) + 32, 32, nullptr);
  if (!sig || r == nullptr || s == nullptr ||
      ECDSA_SIG_set0(sig.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    return std::nullopt;
  }
  auto size = i2d_ECDSA_SIG(sig.get(), nullptr);
  if (size <= 0)
    return std::nullopt;
  std::string der(static_cast<size_t>(size), '\0');
  auto* out = reinterpret_cast<unsigned char*>(der.data());
  i2d_ECDSA_SIG(sig.get(), &out);
  return der;
}

bool verify_with_public_key(std::string_view input, std::string_view signature,
                            EVP_PKEY* key) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx{EVP_MD_CTX_new(),
                                                              EVP_MD_CTX_free};
  bool verified =
      ctx &&
      EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) ==
          1 &&
      EVP_DigestVerify(ctx.get(), bytes_of(signature), signature.size(),
                       bytes_of(input), input.size()) == 1;
  // A refusal leaves its reasons in this thread's queue: not ours to keep.
  if (!verified)
    ERR_clear_error();
  return verified;
}

bool verify_signature(algorithm alg, std::string_view input,
                      std::string_view signature,
                      const verification_keys& keys) {
  if (alg == algorithm::hs256)
    return verify_hs256(input, signature, keys.secrets());
  std::optional<std::string> der;
  if (alg == algorithm::es256) {
    der = der_of_es256(signature);
    if (!der)
      return false;
    signature = *der;
  }
  for (auto* key : keys.public_keys(alg))
    if (verify_with_public_key(input, signature, key))
      return true;
  return false;
}

/// A user id as `sub` carries it: digits for 1..2147483647, no sign, no
/// leading zero.
std::optional<int32_t> user_of(const json& sub) {
  if (!sub.is_string())
    return std::nullopt;
  auto& text = sub.get_ref<const std::string&>();
  if (text.empty() || text.size() > 10 || text.front() == '0')
    return std::nullopt;
  int64_t value = 0;
  auto [end, ec] =
      std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value < 1 ||
      value > std::numeric_limits<int32_t>::max())
    return std::nullopt;
  return static_cast<int32_t>(value);
}

/// `scope`, a space-separated list (RFC 8693 4.2), into the principal.
bool read_scope(const json& claims, principal& who) {
  auto scope = claims.find("scope");
  if (scope == claims.end())
    return true;
  if (!scope->is_string())
    return false;
  std::string_view rest = scope->get_ref<const std::string&>();
  while (!rest.empty()) {
    auto end = rest.find(' ');
    auto item = rest.substr(0, end);
    who.import = who.import || item == "import";
    who.admin = who.admin || item == "admin";
    rest = end == std::string_view::npos ? std::string_view{}
                                         : rest.substr(end + 1);
  }
  return true;
}

bool audience_matches(const json& claims, const std::string& audience) {
  auto aud = claims.find("aud");
  if (aud == claims.end())
    return false;
  if (aud->is_string())
    return *aud == audience;
  return aud->is_array() &&
         std::any_of(aud->begin(), aud->end(), [&](const json& item) {
           return item.is_string() && item == audience;
         });
}

std::variant<verified_token, token_problem>
read_claims(const json& claims, const token_rules& rules) {
  verified_token token;
  auto exp = claims.find("exp");
  if (exp == claims.end() || !exp->is_number())
    return token_problem::no_expiry;
  token.expires_at = exp->get<double>();
  if (auto nbf = claims.find("nbf"); nbf != claims.end()) {
    if (!nbf->is_number())
      return token_problem::malformed;
    token.not_before = nbf->get<double>();
  }
  if (!rules.issuer.empty()) {
    auto iss = claims.find("iss");
    if (iss == claims.end() || !iss->is_string() || *iss != rules.issuer)
      return token_problem::wrong_issuer;
  }
  if (!rules.audience.empty() && !audience_matches(claims, rules.audience))
    return token_problem::wrong_audience;
  auto sub = claims.find("sub");
  auto user = sub == claims.end() ? std::nullopt : user_of(*sub);
  if (!user)
    return token_problem::bad_subject;
  token.who.user = *user;
  if (!read_scope(claims, token.who))
    return token_problem::bad_scope;
  return token;
}

} // namespace

const char* to_string(token_problem problem) {
  switch (problem) {
  case token_problem::too_long:
    return "the token is longer than 4096 bytes";
  case token_problem::malformed:
    return "the token is not a JWS in compact form with JSON header and "
           "claims";
  case token_problem::unsupported_algorithm:
    return "the token's algorithm is not one this service has a key for";
  case token_problem::bad_signature:
    return "the token's signature does not verify";
  case token_problem::no_expiry:
    return "the token has no numeric exp";
  case token_problem::expired:
    return "the token has expired";
  case token_problem::not_yet_valid:
    return "the token is not valid yet (nbf)";
  case token_problem::wrong_issuer:
    return "the token's issuer is not the one this service trusts";
  case token_problem::wrong_audience:
    return "the token is not meant for this service (aud)";
  case token_problem::bad_subject:
    return "the token's sub is not a user id in 1..2147483647";
  case token_problem::bad_scope:
    break;
  }
  return "the token's scope is not a space-separated string";
}

std::variant<verified_token, token_problem>
verify_token(std::string_view token, const verification_keys& keys,
             const token_rules& rules, int64_t now) {
  if (token.size() > max_token_size)
    return token_problem::too_long;
  auto first = token.find('.');
  auto second = first == std::string_view::npos ? std::string_view::npos
                                                : token.find('.', first + 1);
  if (second == std::string_view::npos ||
      token.find('.', second + 1) != std::string_view::npos)
    return token_problem::malformed;
  auto header_text = decode_base64url(token.substr(0, first));
  auto claims_text =
      decode_base64url(token.substr(first + 1, second - first - 1));
  auto signature = decode_base64url(token.substr(second + 1));
  if (!header_text || !claims_text || !signature)
    return token_problem::malformed;
  auto header = parse_object(*header_text);
  if (!header)
    return token_problem::malformed;
  auto alg = header->find("alg");
  if (alg == header->end() || !alg->is_string())
    return token_problem::malformed;
  algorithm chosen{};
  // No extensions are understood, so none may be critical (RFC 7515 4.1.11).
  if (!keys.accepts(alg->get_ref<const std::string&>(), chosen) ||
      header->contains("crit"))
    return token_problem::unsupported_algorithm;
  if (!verify_signature(chosen, token.substr(0, second), *signature, keys))
    return token_problem::bad_signature;
  auto claims = parse_object(*claims_text);
  if (!claims)
    return token_problem::malformed;
  auto read = read_claims(*claims, rules);
  if (auto* verified = std::get_if<verified_token>(&read))
    if (auto problem = check_period(*verified, rules, now))
      return *problem;
  return read;
}

std::optional<token_problem> check_period(const verified_token& token,
                                          const token_rules& rules,
                                          int64_t now) {
  auto leeway = static_cast<double>(rules.leeway.count());
  auto at = static_cast<double>(now);
  if (at >= token.expires_at + leeway)
    return token_problem::expired;
  if (at < token.not_before - leeway)
    return token_problem::not_yet_valid;
  return std::nullopt;
}

std::string encode_base64url(std::string_view bytes) {
  std::string out((bytes.size() + 2) / 3 * 4 + 1, '\0');
  auto n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                           bytes_of(bytes), static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  while (!out.empty() && out.back() == '=')
    out.pop_back();
  std::replace(out.begin(), out.end(), '+', '-');
  std::replace(out.begin(), out.end(), '/', '_');
  return out;
}

std::string sign_hs256(std::string_view claims, std::string_view secret) {
  auto input = encode_base64url(R"({"alg":"HS256","typ":"JWT"})") + "." +
               encode_base64url(claims);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_size = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       bytes_of(input), input.size(), mac, &mac_size);
  return input + "." +
         encode_base64url({reinterpret_cast<char*>(mac), mac_size});
}

int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string mint_hs256(int32_t user, std::string_view scope,
                       std::chrono::seconds ttl, std::string_view secret) {
  auto now = unix_now();
  json claims{
      {"sub", std::to_string(user)}, {"iat", now}, {"exp", now + ttl.count()}};
  if (!scope.empty())
    claims["scope"] = scope;
  return sign_hs256(claims.dump(), secret);
}

} // namespace heymovie::auth
