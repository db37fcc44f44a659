// Black-box tests of authentication: hostile tokens, users that try each
// other's ratings, the rate limit, the start-up without keys, tokens of an
// identity provider's key (ES256) and the `token` command.

#include "auth/jwt.hpp"
#include "auth/keys.hpp"
#include "support/http_client.hpp"
#include "support/private_cluster.hpp"
#include "support/sample_app.hpp"
#include "support/service_process.hpp"
#include "support/test_database.hpp"
#include "support/tokens.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <variant>

using namespace heymovie;
using namespace heymovie::testing;
using namespace std::chrono_literals;

namespace {

std::string exp_in(int64_t seconds) {
  return std::to_string(auth::unix_now() + seconds);
}

std::string rating(int32_t user, int32_t movie = 1) {
  return R"({"user":)" + std::to_string(user) + R"(,"movie":)" +
         std::to_string(movie) + R"(,"rating":4})";
}

std::string error_code(const http_response& res) {
  auto key = res.body.find(R"("error":")");
  auto start = key + 9;
  return key == std::string::npos
             ? std::string{}
             : res.body.substr(start, res.body.find('"', start) - start);
}

} // namespace

SCENARIO("hostile tokens are answered 401 or 403, never 5xx, and write "
         "nothing",
         "[e2e][auth]") {
  sample_app app{{"--auth.issuer=https://id.test", "--auth.audience=heymovie"}};
  auto claims = [](const std::string& extra, int64_t ttl = 600) {
    return R"({"sub":"7","exp":)" + exp_in(ttl) +
           R"(,"iss":"https://id.test","aud":"heymovie")" + extra + "}";
  };
  // Claims that hold but for `sub` (none when empty), `iss` and `aud`.
  auto token_of = [](const std::string& sub,
                     const std::string& iss = "https://id.test",
                     const std::string& aud = "heymovie") {
    return token_with_claims(
        "{" + (sub.empty() ? "" : R"("sub":")" + sub + R"(",)") + R"("exp":)" +
        exp_in(600) + R"(,"iss":")" + iss + R"(","aud":")" + aud + R"("})");
  };
  auto control = token_with_claims(claims(""));
  REQUIRE(http_client{app.port(), 10s, control}.post_rating(rating(7)).status ==
          201);
  auto tampered = control;
  tampered[tampered.size() / 2] =
      tampered[tampered.size() / 2] == 'a' ? 'b' : 'a';
  auto first = control.find('.');
  auto second = control.find('.', first + 1);
  auto header = [&](const std::string& json) {
    return auth::encode_base64url(json) + control.substr(first);
  };
  struct hostile {
    const char* what;
    std::string token;
    int status;
  };
  std::vector<hostile> corpus{
      {"alg none", header(R"({"alg":"none"})").substr(0, second + 1), 401},
      {"alg none with a signature", header(R"({"alg":"none"})"), 401},
      {"algorithm confusion (RS256 claimed)", header(R"({"alg":"RS256"})"),
       401},
      {"HS512", header(R"({"alg":"HS512"})"), 401},
      {"expired", token_with_claims(claims("", -3600)), 401},
      {"expired within the leeway", token_with_claims(claims("", -10)), 201},
      {"not yet valid", token_with_claims(claims(R"(,"nbf":)" + exp_in(3600))),
       401},
      {"wrong issuer", token_of("7", "https://evil.test", "heymovie"), 401},
      {"wrong audience", token_of("7", "https://id.test", "other"), 401},
      {"bad signature", tampered, 401},
      {"another key",
       auth::sign_hs256(claims(""), "not the service's secret, 32 bytes!"),
       401},
      {"truncated", control.substr(0, second), 401},
      {"truncated signature", control.substr(0, control.size() - 5), 401},
      {"oversize",
       token_with_claims(claims(R"(,"pad":")" + std::string(4200, 'x') + '"')),
       401},
      {"sub not a number", token_of("seven"), 401},
      {"sub 0", token_of("0"), 401},
      {"sub beyond int32", token_of("2147483648"), 401},
      {"sub missing", token_of(""), 401},
      {"exp missing",
       token_with_claims(
           R"({"sub":"7","iss":"https://id.test","aud":"heymovie"})"),
       401},
      {"exp not a number",
       token_with_claims(R"({"sub":"7","exp":"tomorrow",)"
                         R"("iss":"https://id.test","aud":"heymovie"})"),
       401},
      {"not base64url", "a*b.c*d.e*f", 401},
      {"not JSON", auth::encode_base64url("{oops") + ".e30.sig", 401},
      // The token is good; what it claims does not allow rating user 8.
      {"scope importer is not import",
       token_with_claims(claims(R"(,"scope":"importer")")), 403},
      {"scope admin does not rate for others",
       token_with_claims(claims(R"(,"scope":"admin")")), 403},
  };
  for (auto& h : corpus) {
    INFO(h.what);
    http_client client{app.port(), 10s, h.token};
    // User 8's rating: only the import scope may, and none of these has it.
    auto body = h.status == 201 ? rating(7, 2) : rating(8);
    auto res = client.post_rating(body);
    CHECK(res.status == h.status);
    if (res.status == 401) {
      CHECK(error_code(res) == "invalid_token");
      CHECK(res.header("www-authenticate") ==
            R"(Bearer error="invalid_token")");
    }
    if (res.status == 403)
      CHECK(error_code(res) == "forbidden");
  }
  CHECK(query_int(app.db_url(), "SELECT count(*) FROM ratings") == 2);
  CHECK(query_int(app.db_url(),
                  "SELECT count(*) FROM ratings WHERE user_id = 8") == 0);
  CHECK(http_client{app.port()}.get("/healthz").status == 200);
}

SCENARIO("user A can neither write nor read user B's ratings", "[e2e][auth]") {
  sample_app app;
  http_client alice{app.port(), 10s, token_for(101)};
  http_client bob{app.port(), 10s, token_for(102)};
  REQUIRE(bob.post_rating(R"({"movie":1,"rating":2.5})").status == 201);
  auto forged = alice.post_rating(R"({"user":102,"movie":1,"rating":5})");
  CHECK(forged.status == 403);
  CHECK(error_code(forged) == "forbidden");
  CHECK(alice.post_rating(R"({"user":102,"movie":2,"rating":5})").status ==
        403);
  CHECK(alice.get("/ratings/102/1").status == 403);
  CHECK(alice.get("/users/102/ratings").status == 403);
  // Bob's rating is as he left it; nothing was written for him by Alice.
  CHECK(query_int(app.db_url(), "SELECT half_stars FROM ratings WHERE "
                                "user_id = 102 AND movie_id = 1") == 5);
  CHECK(query_int(app.db_url(),
                  "SELECT count(*) FROM ratings WHERE user_id = 102") == 1);
  CHECK(bob.get("/ratings/102/1").status == 200);
  CHECK(bob.get("/users/102/ratings").status == 200);
  // Alice rates as herself without naming herself; she may not date it.
  auto own = alice.post_rating(R"({"movie":3,"rating":4})");
  CHECK(own.status == 201);
  CHECK(own.body.find(R"("user":101)") != std::string::npos);
  CHECK(alice.post_rating(R"({"movie":3,"rating":4,"timestamp":964982703})")
            .status == 403);
  // Without a token: 401 with the challenge; movies stay public.
  http_client anonymous{app.port(), 10s, ""};
  auto none = anonymous.post_rating(rating(101));
  CHECK(none.status == 401);
  CHECK(error_code(none) == "unauthorized");
  CHECK(none.header("www-authenticate") == "Bearer");
  CHECK(anonymous.get("/ratings/101/3").status == 401);
  CHECK(anonymous.get("/movies/1").status == 200);
  CHECK(anonymous.get("/readyz").status == 200);
  // An admin reads anyone's; an import token writes for anyone.
  CHECK(http_client{app.port(), 10s, token_for(1, "admin")}
            .get("/users/102/ratings")
            .status == 200);
  CHECK(http_client{app.port()}.post_rating(rating(102, 2)).status == 201);
}

SCENARIO(
    "past the per-user rate a user gets 429 with Retry-After, while others "
    "and import tokens do not",
    "[e2e][auth]") {
  sample_app app{{"--auth.user-rate=1", "--auth.user-burst=3"}};
  http_client user{app.port(), 10s, token_for(201)};
  for (int movie = 1; movie <= 3; ++movie)
    CHECK(user.post_rating(R"({"movie":)" + std::to_string(movie) +
                           R"(,"rating":3})")
              .status == 201);
  auto limited = user.post_rating(R"({"movie":6,"rating":3})");
  CHECK(limited.status == 429);
  CHECK(error_code(limited) == "rate_limited");
  CHECK(limited.header("retry-after") == "1");
  CHECK(query_int(app.db_url(),
                  "SELECT count(*) FROM ratings WHERE user_id = 201") == 3);
  CHECK(http_client{app.port(), 10s, token_for(202)}
            .post_rating(R"({"movie":1,"rating":3})")
            .status == 201);
  http_client importer{app.port()};
  for (int i = 0; i < 10; ++i)
    CHECK(importer.post_rating(rating(203)).status / 100 == 2);
}

SCENARIO("tokens of an identity provider's key: ES256 with its public key",
         "[e2e][auth]") {
  auto dir = temp_path("idp");
  shell_output("mkdir -p " + dir + " && cd " + dir +
               " && openssl genpkey -algorithm EC -pkeyopt "
               "ec_paramgen_curve:P-256 -out idp.key 2>/dev/null && openssl "
               "pkey -in idp.key -pubout -out idp.pub 2>/dev/null && echo ok");
  sample_app app{{"--auth.public-key-file=" + dir + "/idp.pub"}};
  auto token = token_signed_by(dir + "/idp.key", "ES256",
                               R"({"sub":"301","exp":)" + exp_in(600) + "}");
  CHECK(http_client{app.port(), 10s, token}
            .post_rating(R"({"movie":1,"rating":5})")
            .status == 201);
  // Our own HS256 tokens still verify: both keys are configured.
  CHECK(http_client{app.port(), 10s, token_for(302)}
            .post_rating(R"({"movie":1,"rating":5})")
            .status == 201);
  // The same claims under a key the service does not know are refused.
  shell_output("cd " + dir +
               " && openssl genpkey -algorithm EC -pkeyopt "
               "ec_paramgen_curve:P-256 -out other.key 2>/dev/null && echo ok");
  auto foreign = token_signed_by(dir + "/other.key", "ES256",
                                 R"({"sub":"301","exp":)" + exp_in(600) + "}");
  CHECK(http_client{app.port(), 10s, foreign}
            .post_rating(R"({"movie":2,"rating":5})")
            .status == 401);
}

SCENARIO("with auth.mode=jwt and no key the service refuses to start, naming "
         "the keys: auth.mode=off must be chosen",
         "[e2e][auth]") {
  test_database db{sample_movies_csv()};
  auto log = temp_path("no-key.log");
  std::remove(log.c_str());
  auto pid =
      spawn_program(HEYMOVIE_BINARY,
                    {"serve", "--http.address=127.0.0.1", "--http.port=0",
                     "--admin.port=0", "--db.url=" + db.url()},
                    log);
  CHECK(wait_program(pid, 20s) == 1);
  std::string output = shell_output("cat " + log);
  CHECK(output.find("auth.mode=jwt needs a key: set auth.hs256-secret-file or "
                    "auth.public-key-file") != std::string::npos);
  service_process open{db.url(), {"--auth.mode=off"}, temp_path("off.log")};
  CHECK(open.log().find("auth.mode=off: anyone") != std::string::npos);
  CHECK(http_client{open.port(), 10s, ""}.post_rating(rating(9)).status == 201);
}

SCENARIO("heymovie token mints tokens the service takes, and refuses orders "
         "it cannot honour",
         "[e2e][auth]") {
  // Its output and exit status, as an operator sees them.
  auto token_command = [](const std::string& options) {
    return shell_output(
        std::string{HEYMOVIE_BINARY} + " token --auth.hs256-secret-file=" +
        test_secret_file() + " " + options + " 2>&1; echo \"exit=$?\"");
  };
  config::auth_settings settings;
  settings.hs256_secret_file = test_secret_file();
  auto keys = std::get<auth::verification_keys>(
      auth::verification_keys::load(settings));

  auto single = token_command("--user=301 --scope=import --ttl=10m");
  auto token = single.substr(0, single.find('\n'));
  CHECK(single.substr(token.size()) == "\nexit=0");
  auto verified = auth::verify_token(token, keys, {}, auth::unix_now());
  REQUIRE(std::holds_alternative<auth::verified_token>(verified));
  auto& content = std::get<auth::verified_token>(verified);
  CHECK(content.who.user == 301);
  CHECK(content.who.import);
  CHECK(content.expires_at >= static_cast<double>(auth::unix_now() + 590));
  CHECK(content.expires_at <= static_cast<double>(auth::unix_now() + 600));

  auto several = token_command("--user=5..7");
  CHECK(several.rfind("5 ", 0) == 0);
  CHECK(several.find("\n6 ") != std::string::npos);
  CHECK(several.find("\n7 ") != std::string::npos);
  CHECK(several.find("\nexit=0") != std::string::npos);

  CHECK(token_command("--user=0").find("exit=64") != std::string::npos);
  CHECK(token_command("--user=1 --ttl=2y").find("exit=64") !=
        std::string::npos);
  CHECK(token_command("--user=1 --scope='import\"'").find("exit=64") !=
        std::string::npos);
  auto no_secret = shell_output(std::string{HEYMOVIE_BINARY} +
                                " token --user=1 "
                                "--auth.hs256-secret-file=/nonexistent/secret "
                                "2>&1; echo \"exit=$?\"");
  CHECK(no_secret.find("cannot read /nonexistent/secret") != std::string::npos);
  CHECK(no_secret.find("exit=1") != std::string::npos);

  sample_app app;
  CHECK(http_client{app.port(), 10s, token}.post_rating(rating(302)).status ==
        201);
}
