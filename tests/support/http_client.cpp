#include "http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <mutex>
#include <random>
#include <set>
#include <stdexcept>
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

namespace {

/// The lowest port the kernel hands out to connecting sockets.
int ephemeral_ports_from() {
  std::ifstream range{"/proc/sys/net/ipv4/ip_local_port_range"};
  int low = 32768;
  range >> low;
  return low;
}

} // namespace

uint16_t free_port() {
  // Below the ephemeral range: a port the kernel gave out (bind to port 0)
  // may be taken as the source port of one of the thousands of connections
  // the tests make before the service binds it. Never the same port twice
  // in one process: a service's public and admin ports must differ.
  static std::mutex mutex;
  static std::mt19937 random{std::random_device{}()};
  static std::set<uint16_t> handed_out;
  std::lock_guard<std::mutex> guard{mutex};
  constexpr int lowest = 10000;
  std::uniform_int_distribution<int> pick{
      lowest, std::max(lowest + 1000, ephemeral_ports_from()) - 1};
  asio::io_context ioc;
  for (int attempt = 0; attempt < 1000; ++attempt) {
    auto port = static_cast<uint16_t>(pick(random));
    if (handed_out.count(port) != 0)
      continue;
    boost::system::error_code ec;
    tcp::acceptor probe{ioc};
    probe.open(tcp::v4(), ec);
    if (!ec)
      probe.bind({asio::ip::make_address("127.0.0.1"), port}, ec);
    if (ec)
      continue; // in use
    handed_out.insert(port);
    return port;
  }
  throw std::runtime_error("no free port below the ephemeral range");
}

} // namespace heymovie::testing
