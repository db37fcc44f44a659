#include "http/request_framing.hpp"

#include <catch2/catch.hpp>

#include <initializer_list>

using namespace heymovie;
using http::api_errc;
namespace bhttp = boost::beast::http;

namespace {

/// The check for a request with these Transfer-Encoding fields.
std::optional<http::transfer_coding_error>
check(std::initializer_list<const char*> values) {
  bhttp::fields fields;
  fields.set(bhttp::field::host, "x");
  for (auto value : values)
    fields.insert(bhttp::field::transfer_encoding, value);
  return http::check_transfer_coding(fields);
}

} // namespace

TEST_CASE("no transfer coding, or chunked alone, is read", "[http]") {
  CHECK_FALSE(check({}));
  CHECK_FALSE(check({"chunked"}));
  CHECK_FALSE(check({"Chunked"}));
  CHECK_FALSE(check({" chunked "}));
}

TEST_CASE("a body whose length is unknown is 400 and ends the connection",
          "[http]") {
  for (auto values : {std::initializer_list<const char*>{"gzip"},
                      {"chunked, gzip"},
                      {"chunked, chunked"},
                      {"chunked", "chunked"},
                      {"chunked", "gzip"},
                      {""},
                      {","}}) {
    CAPTURE(*values.begin());
    auto refused = check(values);
    REQUIRE(refused);
    CHECK(refused->error.code == api_errc::bad_request);
    CHECK(refused->framing_lost);
  }
}

TEST_CASE("a coding other than chunked is 501, naming it", "[http]") {
  for (auto values : {std::initializer_list<const char*>{"gzip, chunked"},
                      {"gzip", "chunked"},
                      {"x-custom;level=1, chunked"}}) {
    CAPTURE(*values.begin());
    auto refused = check(values);
    REQUIRE(refused);
    CHECK(refused->error.code == api_errc::not_implemented);
    CHECK_FALSE(refused->framing_lost);
  }
  CHECK(check({"deflate, chunked"})->error.message.find("deflate") !=
        std::string::npos);
}

TEST_CASE("every Connection field line counts for keep-alive", "[http]") {
  auto keeps = [](std::initializer_list<const char*> values, unsigned version) {
    bhttp::fields fields;
    for (auto value : values)
      fields.insert(bhttp::field::connection, value);
    return http::keeps_alive(fields, version);
  };
  CHECK(keeps({}, 11));
  CHECK_FALSE(keeps({}, 10));
  CHECK_FALSE(keeps({"close"}, 11));
  CHECK_FALSE(keeps({"keep-alive", "close"}, 11));
  CHECK_FALSE(keeps({"Keep-Alive, Close"}, 11));
  CHECK_FALSE(keeps({"te", "close"}, 11));
  CHECK(keeps({"keep-alive"}, 10));
  CHECK(keeps({"te", "Keep-Alive"}, 10));
  CHECK_FALSE(keeps({"keep-alive", "close"}, 10));
  CHECK_FALSE(keeps({"keep-alive, close"}, 10));
}

TEST_CASE("an HTTP/1.1 request names its host once", "[http]") {
  bhttp::fields none;
  CHECK(http::check_host(none, 11)->code == api_errc::bad_request);
  CHECK_FALSE(http::check_host(none, 10));
  bhttp::fields one;
  one.set(bhttp::field::host, "x");
  CHECK_FALSE(http::check_host(one, 11));
  bhttp::fields two = one;
  two.insert(bhttp::field::host, "y");
  CHECK(http::check_host(two, 11)->code == api_errc::bad_request);
  CHECK(http::check_host(two, 10)->code == api_errc::bad_request);
}

TEST_CASE("a Host header holds a host", "[http]") {
  for (auto good : {"localhost", "127.0.0.1:8080", "[::1]:80", "a-b.example",
                    "xn--bcher-kva.example", "a%20b", ""}) {
    INFO(good);
    bhttp::fields fields;
    fields.set(bhttp::field::host, good);
    CHECK_FALSE(http::check_host(fields, 11));
  }
  for (auto bad : {"a b", "a@b", "a/b", "\xff\xfe", "a\tb"}) {
    INFO(bad);
    bhttp::fields fields;
    fields.set(bhttp::field::host, bad);
    CHECK(http::check_host(fields, 11)->code == api_errc::bad_request);
  }
}

TEST_CASE("HTTP/1.0 with a transfer coding closes after its answer", "[http]") {
  bhttp::fields fields;
  fields.set(bhttp::field::connection, "keep-alive");
  CHECK(http::keeps_alive(fields, 10));
  fields.set(bhttp::field::transfer_encoding, "chunked");
  CHECK_FALSE(http::keeps_alive(fields, 10));
  CHECK(http::keeps_alive(fields, 11));
}

TEST_CASE("an HTTP/1.1 client that says Expect: 100-continue waits for it",
          "[http]") {
  auto expects = [](std::initializer_list<const char*> values,
                    unsigned version = 11) {
    bhttp::fields fields;
    for (auto value : values)
      fields.insert(bhttp::field::expect, value);
    return http::expects_continue(fields, version);
  };
  CHECK_FALSE(expects({}));
  CHECK(expects({"100-continue"}));
  CHECK(expects({"100-Continue"}));
  CHECK(expects({" 100-continue "}));
  CHECK(expects({"foo", "100-continue"}));
  CHECK_FALSE(expects({"200-ok"}));
  CHECK_FALSE(expects({"100-continue-not"}));
  // HTTP/1.0 knows no interim answers (RFC 9110 10.1.1).
  CHECK_FALSE(expects({"100-continue"}, 10));
}
