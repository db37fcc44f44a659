#include "auth/token_verifier.hpp"

#include <catch2/catch.hpp>

using namespace heymovie::auth;

namespace {

const std::string secret = "an HS256 test secret of 32 bytes or more!";
constexpr int64_t now = 1800000000;

std::string token(int user, int64_t exp = now + 600) {
  return sign_hs256(R"({"sub":")" + std::to_string(user) + R"(","exp":)" +
                        std::to_string(exp) + "}",
                    secret);
}

std::shared_ptr<const verification_keys> keys() {
  return std::make_shared<const verification_keys>(
      verification_keys::hs256(secret));
}

} // namespace

SCENARIO("a verified token is remembered, and its expiry still counts",
         "[auth]") {
  token_verifier verifier{keys(), {}, 2};
  auto t = token(7, now + 60);
  REQUIRE(std::get<principal>(verifier.verify(t, now)).user == 7);
  CHECK(verifier.cached() == 1);
  CHECK(std::get<principal>(verifier.verify(t, now + 10)).user == 7);
  CHECK(verifier.cached() == 1);
  // Past exp (and the leeway) the remembered token is refused and dropped.
  CHECK(std::get<token_problem>(verifier.verify(t, now + 91)) ==
        token_problem::expired);
  CHECK(verifier.cached() == 0);
}

SCENARIO("the cache is bounded, the least recently used token goes first",
         "[auth]") {
  token_verifier verifier{keys(), {}, 2};
  auto a = token(1);
  auto b = token(2);
  auto c = token(3);
  verifier.verify(a, now);
  verifier.verify(b, now);
  verifier.verify(a, now); // a is the more recent now
  verifier.verify(c, now); // b goes
  CHECK(verifier.cached() == 2);
  CHECK(std::get<principal>(verifier.verify(a, now)).user == 1);
  CHECK(std::get<principal>(verifier.verify(b, now)).user == 2);
  CHECK(verifier.cached() == 2);
}

SCENARIO("refused tokens are not remembered, and no cache is no cache",
         "[auth]") {
  token_verifier verifier{keys(), {}, 2};
  CHECK(std::holds_alternative<token_problem>(verifier.verify("x.y.z", now)));
  CHECK(verifier.cached() == 0);
  token_verifier uncached{keys(), {}, 0};
  CHECK(std::get<principal>(uncached.verify(token(4), now)).user == 4);
  CHECK(uncached.cached() == 0);
}
