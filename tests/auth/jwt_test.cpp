// Tokens as an attacker or a careless identity provider would send them:
// every one that must be refused is, and for the reason it should be.

#include "auth/jwt.hpp"
#include "support/tokens.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <memory>
#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <unistd.h>

using namespace heymovie;
using namespace heymovie::auth;

namespace {

const std::string secret = "an HS256 test secret of 32 bytes or more!";
constexpr int64_t now = 1800000000;
const token_rules rules{};

std::string claims(const std::string& extra = {}, int64_t exp = now + 600) {
  return R"({"sub":"7","exp":)" + std::to_string(exp) + extra + "}";
}

std::string with_header(const std::string& header, const std::string& body,
                        const std::string& signature = "c2ln") {
  return encode_base64url(header) + "." + encode_base64url(body) + "." +
         signature;
}

using pkey = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

pkey make_key(const char* type, int bits_or_curve) {
  EVP_PKEY* key = std::string{type} == "RSA"
                      ? EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA",
                                          static_cast<size_t>(bits_or_curve))
                      : EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  return {key, EVP_PKEY_free};
}

std::string public_pem(EVP_PKEY* key) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio{BIO_new(BIO_s_mem()), BIO_free};
  PEM_write_bio_PUBKEY(bio.get(), key);
  char* data = nullptr;
  auto size = BIO_get_mem_data(bio.get(), &data);
  return {data, static_cast<size_t>(size)};
}

/// A token signed by `key` as `alg`, through a PEM file as an identity
/// provider would hold it.
std::string sign_with(EVP_PKEY* key, const std::string& alg,
                      const std::string& body) {
  auto path = "/tmp/heymovie_jwt_test_" + std::to_string(getpid()) + ".key";
  std::unique_ptr<FILE, decltype(&std::fclose)> file{
      std::fopen(path.c_str(), "w"), std::fclose};
  PEM_write_PrivateKey(file.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  file.reset();
  return testing::token_signed_by(path, alg, body);
}

verification_keys public_keys(EVP_PKEY* key) {
  auto loaded = verification_keys::public_key(public_pem(key));
  REQUIRE(std::holds_alternative<verification_keys>(loaded));
  return std::move(std::get<verification_keys>(loaded));
}

token_problem
refusal(const std::string& token,
        const verification_keys& keys = verification_keys::hs256(secret),
        const token_rules& r = rules, int64_t at = now) {
  auto verified = verify_token(token, keys, r, at);
  REQUIRE(std::holds_alternative<token_problem>(verified));
  return std::get<token_problem>(verified);
}

principal
accepted(const std::string& token,
         const verification_keys& keys = verification_keys::hs256(secret),
         const token_rules& r = rules, int64_t at = now) {
  auto verified = verify_token(token, keys, r, at);
  if (auto* problem = std::get_if<token_problem>(&verified))
    FAIL("refused: " << to_string(*problem));
  return std::get<verified_token>(verified).who;
}

std::string temp_file(const std::string& name, const std::string& content) {
  auto path = "/tmp/heymovie_jwt_test_" + std::to_string(getpid()) + name;
  std::ofstream{path} << content;
  return path;
}

} // namespace

SCENARIO("an HS256 token names its user and scopes", "[auth]") {
  auto who = accepted(sign_hs256(claims(), secret));
  CHECK(who.user == 7);
  CHECK_FALSE(who.import);
  CHECK_FALSE(who.admin);
  auto service =
      accepted(sign_hs256(claims(R"(,"scope":"read import")"), secret));
  CHECK(service.import);
  CHECK(accepted(sign_hs256(claims(R"(,"scope":"admin")"), secret)).admin);
  // A scope is a whole word of the list.
  auto tricky = accepted(sign_hs256(
      claims(R"(,"scope":"importer admins xadmin import-all")"), secret));
  CHECK_FALSE(tricky.import);
  CHECK_FALSE(tricky.admin);
}

SCENARIO("algorithms the service has no key for are refused, none first",
         "[auth]") {
  auto body = claims();
  CHECK(refusal(with_header(R"({"alg":"none"})", body, "")) ==
        token_problem::unsupported_algorithm);
  CHECK(refusal(with_header(R"({"alg":"none"})", body)) ==
        token_problem::unsupported_algorithm);
  CHECK(refusal(with_header(R"({"alg":"hs256"})", body)) ==
        token_problem::unsupported_algorithm);
  CHECK(refusal(with_header(R"({"alg":"HS512"})", body)) ==
        token_problem::unsupported_algorithm);
  CHECK(refusal(with_header(R"({"alg":"HS256","crit":["b64"]})", body)) ==
        token_problem::unsupported_algorithm);
  CHECK(refusal(with_header(R"({"typ":"JWT"})", body)) ==
        token_problem::malformed);
}

SCENARIO("an RS256 public key is never taken for an HS256 secret", "[auth]") {
  auto rsa = make_key("RSA", 2048);
  auto keys = public_keys(rsa.get());
  // The classic confusion: HMAC keyed with the public key's PEM text.
  auto forged = sign_hs256(claims(), public_pem(rsa.get()));
  CHECK(refusal(forged, keys) == token_problem::unsupported_algorithm);
  // And an RS256 token is not checked against an HS256 secret.
  CHECK(refusal(sign_with(rsa.get(), "RS256", claims())) ==
        token_problem::unsupported_algorithm);
  CHECK(accepted(sign_with(rsa.get(), "RS256", claims()), keys).user == 7);
}

SCENARIO("RS256 and ES256 tokens verify with the identity provider's key, "
         "whatever their typ",
         "[auth]") {
  auto ec = make_key("EC", 0);
  auto keys = public_keys(ec.get());
  CHECK(accepted(sign_with(ec.get(), "ES256", claims()), keys).user == 7);
  auto other = make_key("EC", 0);
  CHECK(refusal(sign_with(other.get(), "ES256", claims()), keys) ==
        token_problem::bad_signature);
  CHECK(refusal(sign_with(ec.get(), "RS256", claims()), keys) ==
        token_problem::unsupported_algorithm);
}

SCENARIO("signatures, encodings and sizes that do not hold", "[auth]") {
  auto good = sign_hs256(claims(), secret);
  auto tampered = good;
  tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
  CHECK(refusal(tampered) == token_problem::bad_signature);
  CHECK(refusal(sign_hs256(claims(), "another secret of 32 bytes or more!!")) ==
        token_problem::bad_signature);
  // The claims changed after signing.
  auto first = good.find('.');
  auto second = good.find('.', first + 1);
  auto forged = good.substr(0, first + 1) +
                encode_base64url(R"({"sub":"8","exp":1900000000})") +
                good.substr(second);
  CHECK(refusal(forged) == token_problem::bad_signature);
  CHECK(refusal(good.substr(0, second)) == token_problem::malformed);
  CHECK(refusal(good + ".x") == token_problem::malformed);
  CHECK(refusal("") == token_problem::malformed);
  CHECK(refusal("a.b") == token_problem::malformed);
  CHECK(refusal(good.substr(0, first) + "=." + good.substr(first + 1)) ==
        token_problem::malformed);
  CHECK(refusal(good.substr(0, first) + "*" + good.substr(first)) ==
        token_problem::malformed);
  CHECK(refusal(with_header("not json", claims())) == token_problem::malformed);
  CHECK(refusal(sign_hs256("[1,2]", secret)) == token_problem::malformed);
  // JSON that a NUL would end early is no JSON.
  CHECK(refusal(sign_hs256(claims() + std::string(1, '\0') + "junk", secret)) ==
        token_problem::malformed);
  CHECK(refusal(sign_hs256("{", secret)) == token_problem::malformed);
  auto padding = std::string(5000, 'x');
  CHECK(refusal(sign_hs256(claims(R"(,"pad":")" + padding + '"'), secret)) ==
        token_problem::too_long);
}

SCENARIO("exp is required and, with nbf, bounds the token in time", "[auth]") {
  CHECK(refusal(sign_hs256(R"({"sub":"7"})", secret)) ==
        token_problem::no_expiry);
  CHECK(refusal(sign_hs256(R"({"sub":"7","exp":"1900000000"})", secret)) ==
        token_problem::no_expiry);
  CHECK(refusal(sign_hs256(R"({"sub":"7","exp":null})", secret)) ==
        token_problem::no_expiry);
  // Thirty seconds of leeway either way.
  CHECK(accepted(sign_hs256(claims({}, now - 29), secret)).user == 7);
  CHECK(refusal(sign_hs256(claims({}, now - 30), secret)) ==
        token_problem::expired);
  CHECK(accepted(
            sign_hs256(claims(R"(,"nbf":)" + std::to_string(now + 29)), secret))
            .user == 7);
  CHECK(refusal(sign_hs256(claims(R"(,"nbf":)" + std::to_string(now + 31)),
                           secret)) == token_problem::not_yet_valid);
  CHECK(refusal(sign_hs256(claims(R"(,"nbf":"soon")"), secret)) ==
        token_problem::malformed);
  token_rules exact{"", "", std::chrono::seconds{0}};
  CHECK(accepted(sign_hs256(claims({}, now + 1), secret),
                 verification_keys::hs256(secret), exact)
            .user == 7);
  CHECK(refusal(sign_hs256(claims({}, now), secret),
                verification_keys::hs256(secret),
                exact) == token_problem::expired);
}

SCENARIO("sub must be a user id", "[auth]") {
  for (auto sub : {R"("abc")", R"("0")", R"("2147483648")", R"("-1")",
                   R"("007")", R"("+7")", R"("7 ")", R"("")", "7", "null",
                   R"("99999999999999999999")"}) {
    INFO("sub " << sub);
    CHECK(refusal(
              sign_hs256(R"({"exp":1900000000,"sub":)" + std::string{sub} + "}",
                         secret)) == token_problem::bad_subject);
  }
  CHECK(refusal(sign_hs256(R"({"exp":1900000000})", secret)) ==
        token_problem::bad_subject);
  CHECK(accepted(sign_hs256(R"({"exp":1900000000,"sub":"2147483647"})", secret))
            .user == 2147483647);
  CHECK(refusal(sign_hs256(claims(R"(,"scope":["import"])"), secret)) ==
        token_problem::bad_scope);
}

SCENARIO("issuer and audience are checked when the service names them",
         "[auth]") {
  token_rules strict{"https://id.example", "heymovie",
                     std::chrono::seconds{30}};
  CHECK(accepted(sign_hs256(
                     claims(R"(,"iss":"https://id.example","aud":"heymovie")"),
                     secret),
                 verification_keys::hs256(secret), strict)
            .user == 7);
  CHECK(accepted(
            sign_hs256(
                claims(R"(,"iss":"https://id.example","aud":["x","heymovie"])"),
                secret),
            verification_keys::hs256(secret), strict)
            .user == 7);
  CHECK(refusal(sign_hs256(
                    claims(R"(,"iss":"https://evil.example","aud":"heymovie")"),
                    secret),
                verification_keys::hs256(secret),
                strict) == token_problem::wrong_issuer);
  CHECK(refusal(sign_hs256(claims(R"(,"aud":"heymovie")"), secret),
                verification_keys::hs256(secret),
                strict) == token_problem::wrong_issuer);
  CHECK(
      refusal(sign_hs256(claims(R"(,"iss":"https://id.example","aud":"other")"),
                         secret),
              verification_keys::hs256(secret),
              strict) == token_problem::wrong_audience);
  CHECK(refusal(sign_hs256(claims(R"(,"iss":"https://id.example")"), secret),
                verification_keys::hs256(secret),
                strict) == token_problem::wrong_audience);
}

SCENARIO("keys come from files, and during a rotation both keys verify",
         "[auth]") {
  config::auth_settings s;
  s.hs256_secret_file =
      temp_file("new", "the new secret of at least 32 bytes!\n");
  s.previous_hs256_secret_file =
      temp_file("old", "the old secret of at least 32 bytes!");
  auto loaded = verification_keys::load(s);
  REQUIRE(std::holds_alternative<verification_keys>(loaded));
  auto& keys = std::get<verification_keys>(loaded);
  // The trailing newline is not part of the key.
  CHECK(accepted(sign_hs256(claims(), "the new secret of at least 32 bytes!"),
                 keys)
            .user == 7);
  CHECK(accepted(sign_hs256(claims(), "the old secret of at least 32 bytes!"),
                 keys)
            .user == 7);
  WHEN("a key cannot be used") {
    config::auth_settings bad;
    bad.hs256_secret_file = temp_file("short", "too short");
    CHECK_THAT(std::get<std::string>(verification_keys::load(bad)),
               Catch::Contains("at least 32 bytes"));
    bad.hs256_secret_file = "/nonexistent/secret";
    CHECK_THAT(std::get<std::string>(verification_keys::load(bad)),
               Catch::Contains("cannot read /nonexistent/secret"));
    bad.hs256_secret_file.clear();
    bad.public_key_file = temp_file("pem", "not a key");
    CHECK_THAT(std::get<std::string>(verification_keys::load(bad)),
               Catch::Contains("not a PEM public key"));
    auto weak = make_key("RSA", 1024);
    bad.public_key_file = temp_file("weak", public_pem(weak.get()));
    CHECK_THAT(std::get<std::string>(verification_keys::load(bad)),
               Catch::Contains("2048 bits"));
  }
}
