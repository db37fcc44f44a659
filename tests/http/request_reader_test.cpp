#include "http/request_reader.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <catch2/catch.hpp>

using namespace heymovie;
using namespace heymovie::http;
namespace bhttp = boost::beast::http;

namespace {

/// Feeds `bytes` to a fresh parser of `reader`; the parser's error.
boost::system::error_code read(request_reader& reader,
                               const std::string& bytes) {
  reader.begin();
  reader.parser().eager(true);
  boost::system::error_code ec;
  auto buffer = boost::asio::buffer(bytes);
  while (buffer.size() > 0 && !ec && !reader.parser().is_done())
    buffer += reader.parser().put(buffer, ec);
  return ec;
}

boost::beast::flat_buffer buffer_of(const std::string& bytes) {
  boost::beast::flat_buffer buffer;
  buffer.commit(boost::asio::buffer_copy(buffer.prepare(bytes.size()),
                                         boost::asio::buffer(bytes)));
  return buffer;
}

std::string contents(const boost::beast::flat_buffer& buffer) {
  return {static_cast<const char*>(buffer.data().data()), buffer.size()};
}

} // namespace

SCENARIO("trailer fields of a chunked body are dropped, not merged into the "
         "header",
         "[http]") {
  config::http_settings settings;
  request_reader reader{settings};
  REQUIRE_FALSE(read(reader, "POST /rating HTTP/1.1\r\nHost: x\r\n"
                             "Transfer-Encoding: chunked\r\n\r\n"
                             "2\r\n{}\r\n0\r\n"
                             "Content-Type: application/json\r\n"
                             "Host: y\r\n\r\n"));
  auto req = reader.release();
  CHECK(req.body() == "{}");
  CHECK(req.count(bhttp::field::content_type) == 0);
  CHECK(req.count(bhttp::field::host) == 1);
  CHECK(req[bhttp::field::host] == "x");
  CHECK(req.target() == "/rating");
}

SCENARIO("each request is read with the header and body limits", "[http]") {
  config::http_settings settings;
  settings.header_limit = 512;
  settings.body_limit = 64;
  request_reader reader{settings};
  CHECK(read(reader, "GET / HTTP/1.1\r\nX: " + std::string(600, 'a') +
                         "\r\n\r\n") == bhttp::error::header_limit);
  CHECK(read(reader, "POST / HTTP/1.1\r\nContent-Length: 65\r\n\r\n") ==
        bhttp::error::body_limit);
  CHECK_FALSE(read(reader, "POST / HTTP/1.1\r\nContent-Length: 64\r\n\r\n" +
                               std::string(64, 'a')));
  CHECK(request_reader::buffer_limit(settings) == 512 + 64 + 8192);
}

SCENARIO(
    "empty lines before a request are skipped, and a lone CR waits for its "
    "LF",
    "[http]") {
  auto lines = buffer_of("\r\n\r\nGET / HTTP/1.1\r\n");
  CHECK(request_reader::skip_empty_lines(lines));
  CHECK(contents(lines) == "GET / HTTP/1.1\r\n");
  CHECK_FALSE(request_reader::skip_empty_lines(lines));
  auto cr = buffer_of("\r\n\r");
  CHECK(request_reader::skip_empty_lines(cr));
  CHECK(request_reader::holds_lone_cr(cr));
  CHECK_FALSE(request_reader::holds_lone_cr(buffer_of("\r\n")));
  CHECK_FALSE(request_reader::holds_lone_cr(buffer_of("G")));
}
