// libFuzzer target: arbitrary bytes go through what the service does with a
// connection's bytes, minus the socket: the request reader (Beast's parser
// with the service's limits, empty lines skipped, trailers dropped) and the
// request pipeline that decides about each request (framing, routes, the
// bearer token and what it allows, Content-Type, the rating body, the
// answers); bytes that are not a request get the answer an unreadable
// request gets. Any crash, leak, sanitizer report or hang is a finding. Run
// with tools/fuzz.

#include "http/request_pipeline.hpp"
#include "http/request_reader.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/flat_buffer.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>

namespace {

using namespace heymovie;

const config::http_settings settings{};
const persistence::movie_catalog catalog{{1, 2, 3, 50, 2147483647}};

/// Tokens are verified with this secret, so that the fuzzer's Authorization
/// headers go through the whole verification.
http::access_settings access() {
  http::access_settings a;
  a.keys = std::make_shared<const auth::verification_keys>(
      auth::verification_keys::hs256("the fuzzer's secret, 32 bytes long"));
  a.token_cache = 64;
  a.limiter = std::make_shared<auth::rate_limiter>(20, 40);
  return a;
}

http::request_pipeline& pipeline() {
  static http::request_pipeline instance{
      settings, catalog, std::make_shared<actors::pipeline_health>(), true,
      access()};
  return instance;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // The bytes as a rating body on their own...
  static http::rating_request_parser ratings{catalog};
  std::string body(reinterpret_cast<const char*>(data), size);
  ratings.parse(body, 0);
  // ...and as what a connection sends (possibly several requests).
  boost::beast::flat_buffer buffer{
      http::request_reader::buffer_limit(settings)};
  auto room = buffer.prepare(std::min(size, buffer.max_size()));
  buffer.commit(
      boost::asio::buffer_copy(room, boost::asio::buffer(data, size)));
  http::request_reader reader{settings};
  http::connection_view conn;
  while (buffer.size() > 0) {
    http::request_reader::skip_empty_lines(buffer);
    reader.begin();
    reader.parser().eager(true);
    boost::beast::error_code ec;
    auto used = reader.parser().put(buffer.data(), ec);
    buffer.consume(used);
    while (!ec && used > 0 && !reader.parser().is_done()) {
      used = reader.parser().put(buffer.data(), ec);
      buffer.consume(used);
    }
    if (ec || !reader.parser().is_done()) {
      pipeline().decide_unreadable(ec, false);
      break;
    }
    auto req = reader.release();
    pipeline().sends_continue(req, conn, false);
    auto decided = pipeline().decide(req, conn, 0);
    if (!decided.info.ctx.keep_alive)
      break;
  }
  return 0;
}
