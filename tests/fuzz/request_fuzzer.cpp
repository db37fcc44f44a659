// libFuzzer target: arbitrary bytes go through the same decoding and
// validation as a request to the service: Beast's request parser with the
// service's limits, the transfer-coding and Host checks, route matching, the
// Content-Type check, the rating body parser and the building of the response.
// Any crash, leak, sanitizer report or hang is a finding. Run with tools/fuzz.

#include "http/rating_request.hpp"
#include "http/request_framing.hpp"
#include "http/responses.hpp"
#include "http/routes.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <cstddef>
#include <cstdint>

namespace {

using namespace heymovie;
namespace bhttp = boost::beast::http;

const persistence::movie_catalog catalog{{1, 2, 3, 50, 2147483647}};

void handle(bhttp::request<bhttp::string_body>& req,
            http::rating_request_parser& parser) {
  http::response_context ctx{req.version(),
                             http::keeps_alive(req, req.version()), 1};
  if (auto refused = http::check_transfer_coding(req)) {
    http::error_response(refused->error, ctx);
    return;
  }
  if (auto refused = http::check_host(req, req.version())) {
    http::error_response(*refused, ctx);
    return;
  }
  auto matched = http::match_route(req.method(), req.target());
  if (auto* err = std::get_if<http::route_error>(&matched)) {
    http::error_response(err->error, ctx, err->allow);
    return;
  }
  if (std::get<http::route>(matched).kind != http::route_kind::rating)
    return;
  auto type = req[bhttp::field::content_type];
  if (!http::is_json_media_type({type.data(), type.size()}))
    return;
  auto parsed = parser.parse(req.body(), 0);
  if (auto* err = std::get_if<http::api_error>(&parsed))
    http::error_response(*err, ctx);
  else
    http::rating_response(actors::outcome::created,
                          std::get<persistence::rating>(parsed), ctx);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static http::rating_request_parser parser{catalog};
  // The bytes as a JSON body on their own...
  std::string body(reinterpret_cast<const char*>(data), size);
  parser.parse(body, 0);
  // ...and as an HTTP request (possibly several, pipelined).
  auto buffer = boost::asio::buffer(data, size);
  while (buffer.size() > 0) {
    bhttp::request_parser<bhttp::string_body> request;
    request.header_limit(8192);
    request.body_limit(4096);
    request.eager(true);
    boost::beast::error_code ec;
    auto used = request.put(buffer, ec);
    while (!ec && used > 0 && !request.is_done()) {
      buffer += used;
      used = request.put(buffer, ec);
    }
    if (ec || !request.is_done())
      break;
    buffer += used;
    auto req = request.release();
    handle(req, parser);
  }
  return 0;
}
