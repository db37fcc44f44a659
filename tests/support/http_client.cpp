#include "http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <cctype>
#include <sys/socket.h>
#include <thread>

namespace heymovie::testing {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

http_client::http_client(uint16_t port, std::chrono::seconds timeout,
                         std::string token)
    : socket_(ioc_), token_(std::move(token)) {
  socket_.connect({asio::ip::make_address("127.0.0.1"), port});
  timeval tv{static_cast<time_t>(timeout.count()), 0};
  setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  setsockopt(socket_.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

http_response http_client::request(bhttp::verb method, std::string target,
                                   std::string body, std::string content_type) {
  bhttp::request<bhttp::string_body> req{method, target, 11};
  req.set(bhttp::field::host, "127.0.0.1");
  if (!token_.empty())
    req.set(bhttp::field::authorization, "Bearer " + token_);
  if (!body.empty() || method == bhttp::verb::post) {
    if (!content_type.empty())
      req.set(bhttp::field::content_type, content_type);
    req.body() = std::move(body);
    req.prepare_payload();
  }
  bhttp::write(socket_, req);
  return read_response(method == bhttp::verb::head);
}

void http_client::send_raw(std::string_view bytes) {
  asio::write(socket_, asio::buffer(bytes.data(), bytes.size()));
}

http_response http_client::read_response(bool to_head) {
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(16 * 1024 * 1024);
  parser.skip(to_head);
  bhttp::read(socket_, buffer_, parser);
  auto res = parser.release();
  http_response out;
  out.status = static_cast<int>(res.result_int());
  out.body = std::move(res.body());
  out.keep_alive = res.keep_alive();
  for (auto& field : res) {
    std::string name{field.name_string()};
    for (auto& c : name)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.headers[name] = std::string{field.value()};
  }
  return out;
}

bool http_client::closed_by_peer() {
  char scratch[4096];
  for (;;) {
    boost::system::error_code ec;
    socket_.read_some(asio::buffer(scratch), ec);
    if (ec == asio::error::eof || ec == asio::error::connection_reset)
      return true;
    if (ec)
      return false; // timeout
  }
}

int post_rating_until_written(uint16_t port, const std::string& body,
                              std::chrono::milliseconds within) {
  auto give_up = std::chrono::steady_clock::now() + within;
  for (;;) {
    auto status = http_client{port}.post_rating(body).status;
    if (status == 201 || status == 200 ||
        std::chrono::steady_clock::now() >= give_up)
      return status;
    std::this_thread::sleep_for(std::chrono::milliseconds{20});
  }
}

uint16_t free_port() {
  asio::io_context ioc;
  tcp::acceptor acceptor{ioc, {asio::ip::make_address("127.0.0.1"), 0}};
  return acceptor.local_endpoint().port();
}

} // namespace heymovie::testing
