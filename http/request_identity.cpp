#include "http/request_identity.hpp"

#include "http/request_framing.hpp"

#include <atomic>
#include <cstdio>
#include <random>

namespace heymovie::http {

namespace {

bool plain_token(std::string_view id) {
  if (id.empty() || id.size() > 128)
    return false;
  for (char c : id) {
    bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
                 (c >= 'A' && c <= 'Z');
    if (!alnum &&
        std::string_view{"-_.:/+=@"}.find(c) == std::string_view::npos)
      return false;
  }
  return true;
}

std::array<uint8_t, 16> bytes_of(const boost::asio::ip::address& address) {
  if (address.is_v4())
    return boost::asio::ip::make_address_v6(boost::asio::ip::v4_mapped,
                                            address.to_v4())
        .to_bytes();
  return address.to_v6().to_bytes();
}

/// An IPv4 client of an IPv6 socket as the IPv4 address it is.
std::string printable(const boost::asio::ip::address& address) {
  if (address.is_v6() && address.to_v6().is_v4_mapped())
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped,
                                            address.to_v6())
        .to_string();
  return address.to_string();
}

} // namespace

std::string request_id_for(std::string_view given) {
  if (plain_token(given))
    return std::string{given};
  // A random prefix per thread and a count: no lock, no syscall per request.
  thread_local const uint64_t prefix =
      std::random_device{}() * 0x100000000ull ^ std::random_device{}();
  thread_local uint64_t count = 0;
  char id[33];
  std::snprintf(id, sizeof id, "%016llx%016llx",
                static_cast<unsigned long long>(prefix),
                static_cast<unsigned long long>(++count));
  return id;
}

client_address::client_address(
    const std::vector<std::string>& trusted_proxies) {
  for (auto& text : trusted_proxies)
    if (auto network = config::parse_ip_network(text))
      proxies_.push_back(*network);
}

bool client_address::trusted(const boost::asio::ip::address& address) const {
  auto bytes = bytes_of(address);
  for (auto& network : proxies_)
    if (network.contains(bytes))
      return true;
  return false;
}

std::string client_address::of(const boost::asio::ip::address& peer,
                               std::string_view forwarded_for) const {
  auto client = peer;
  if (proxies_.empty() || !trusted(peer))
    return printable(client);
  while (!forwarded_for.empty()) {
    auto comma = forwarded_for.rfind(',');
    auto hop = trim_whitespace(comma == std::string_view::npos
                                   ? forwarded_for
                                   : forwarded_for.substr(comma + 1));
    forwarded_for = comma == std::string_view::npos
                        ? std::string_view{}
                        : forwarded_for.substr(0, comma);
    boost::system::error_code ec;
    auto address = boost::asio::ip::make_address(std::string{hop}, ec);
    // Garbage from a trusted proxy's client: the last believable address.
    if (ec)
      break;
    client = address;
    if (!trusted(address))
      break;
  }
  return printable(client);
}

} // namespace heymovie::http
