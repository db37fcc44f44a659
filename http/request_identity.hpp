// Who and which a request is, for the logs and the answer: its request id
// (the client's X-Request-Id when it is a plain token, else a new one) and
// its client's address (the peer, or the address a trusted proxy names in
// X-Forwarded-For).

#pragma once

#include "config/settings.hpp"

#include <boost/asio/ip/address.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace heymovie::http {

/// The id to answer and log a request under: `given` (its X-Request-Id) when
/// it is 1 to 128 characters of letters, digits and `-_.:/+=@`, which can go
/// into a header, a JSON string and a log line as they are; else a new id,
/// unique within the process and unlikely to repeat across processes.
std::string request_id_for(std::string_view given);

class client_address {
public:
  /// `trusted_proxies`: addresses and networks as http.trusted-proxies
  /// holds them (validated at start-up; a malformed one is skipped).
  explicit client_address(const std::vector<std::string>& trusted_proxies);

  /// The client behind `peer`: `peer` itself unless it is a trusted proxy;
  /// then, in `forwarded_for` (X-Forwarded-For: client, proxy1, proxy2),
  /// the nearest address that is not a trusted proxy, read from the right
  /// since only the trusted ones' additions can be believed.
  std::string of(const boost::asio::ip::address& peer,
                 std::string_view forwarded_for) const;

private:
  bool trusted(const boost::asio::ip::address& address) const;

  std::vector<config::ip_network> proxies_;
};

} // namespace heymovie::http
