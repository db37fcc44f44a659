#include "http/request_identity.hpp"

#include <catch2/catch.hpp>

#include <set>
#include <string>

using namespace heymovie::http;
using boost::asio::ip::make_address;

TEST_CASE("a client's plain request id is kept, any other replaced", "[http]") {
  CHECK(request_id_for("abc-123_x.y:z/+=@Q") == "abc-123_x.y:z/+=@Q");
  CHECK(request_id_for(std::string(128, 'a')) == std::string(128, 'a'));
  std::set<std::string> generated;
  for (auto* given : {"", "has space", "quote\"", "new\nline", "é", "{json}"})
    generated.insert(request_id_for(given));
  generated.insert(request_id_for(std::string(129, 'a')));
  CHECK(generated.size() == 7);
  for (auto& id : generated) {
    CHECK(id.size() == 32);
    CHECK(id.find_first_not_of("0123456789abcdef") == std::string::npos);
  }
}

TEST_CASE("the client is the peer unless a trusted proxy names another",
          "[http]") {
  client_address none{{}};
  CHECK(none.of(make_address("10.0.0.1"), "203.0.113.9") == "10.0.0.1");

  client_address proxies{{"10.0.0.0/8", "2001:db8::1"}};
  // An untrusted peer's header is ignored: anyone can send one.
  CHECK(proxies.of(make_address("198.51.100.4"), "203.0.113.9") ==
        "198.51.100.4");
  CHECK(proxies.of(make_address("10.1.2.3"), "203.0.113.9") == "203.0.113.9");
  CHECK(proxies.of(make_address("2001:db8::1"), "2001:db8::77") ==
        "2001:db8::77");
  // IPv4 peers that reach an IPv6 socket come as IPv4-mapped addresses.
  CHECK(proxies.of(make_address("::ffff:10.9.9.9"), "203.0.113.9") ==
        "203.0.113.9");
  CHECK(none.of(make_address("::ffff:198.51.100.4"), "") == "198.51.100.4");
  // From the right: a client's own forged entries stay left of the first
  // address a trusted proxy added.
  CHECK(proxies.of(make_address("10.1.2.3"),
                   "1.1.1.1, 203.0.113.9 ,10.2.2.2") == "203.0.113.9");
  // All trusted: the farthest one.
  CHECK(proxies.of(make_address("10.1.2.3"), "10.3.3.3, 10.2.2.2") ==
        "10.3.3.3");
  // No header, or garbage: the last address that can be believed.
  CHECK(proxies.of(make_address("10.1.2.3"), "") == "10.1.2.3");
  CHECK(proxies.of(make_address("10.1.2.3"), "unknown, 10.2.2.2") ==
        "10.2.2.2");
}
