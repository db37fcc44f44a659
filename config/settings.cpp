#include "config/settings.hpp"

#include <boost/asio/ip/address.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <string_view>

namespace heymovie::config {

namespace {

std::string at_least(const char* key, size_t min) {
  return std::string{key} + " must be at least " + std::to_string(min);
}

} // namespace

std::string validate(const settings& s) {
  auto& h = s.http;
  if (h.threads < 1 || h.threads > 64)
    return "http.threads must be between 1 and 64";
  if (h.body_limit < 64)
    return at_least("http.body-limit", 64);
  if (h.header_limit < 512)
    return at_least("http.header-limit", 512);
  if (h.max_connections < 1)
    return at_least("http.max-connections", 1);
  if (h.max_pipeline < 1)
    return at_least("http.max-pipeline", 1);
  if (h.request_deadline <= duration::zero())
    return "http.request-deadline must be positive";
  if (h.header_timeout <= duration::zero())
    return "http.header-timeout must be positive";
  if (h.idle_timeout <= duration::zero())
    return "http.idle-timeout must be positive";
  auto& p = s.pipeline;
  if (p.shards < 1 || p.shards > 4096)
    return "pipeline.shards must be between 1 and 4096";
  if (p.batch_size < 1 || p.batch_size > 100000)
    return "pipeline.batch-size must be between 1 and 100000";
  if (p.mailbox_limit < p.batch_size)
    return "pipeline.mailbox-limit must be at least pipeline.batch-size";
  if (p.batch_linger < duration::zero())
    return "pipeline.batch-linger must not be negative";
  auto& d = s.db;
  if (d.url.empty())
    return "db.url must not be empty";
  if (d.writers < 1 || d.writers > 256)
    return "db.writers must be between 1 and 256";
  if (d.figure_slot > 15)
    return "db.figure-slot must be between 0 and 15";
  if (d.readers < 1 || d.readers > 256)
    return "db.readers must be between 1 and 256";
  if (d.retry_backoff <= duration::zero() ||
      d.retry_backoff_max < d.retry_backoff)
    return "db.retry-backoff must be positive and at most "
           "db.retry-backoff-max";
  // Each refresh reads every movie id on a reader the GET endpoints share.
  if (d.catalog_refresh != duration::zero() && d.catalog_refresh < 100ms)
    return "db.catalog-refresh must be 0 (off) or at least 100ms";
  auto& c = s.cluster;
  if (c.role == node_role::gateway && c.shard_nodes.empty())
    return "cluster.shard-nodes must list the shard nodes of a gateway";
  for (auto& node : c.shard_nodes)
    if (!parse_host_port(node))
      return "cluster.shard-nodes: \"" + node + "\" is not host:port";
  if (c.reconnect_interval <= duration::zero())
    return "cluster.reconnect-interval must be positive";
  auto tls_files =
      !c.tls_certificate.empty() + !c.tls_key.empty() + !c.tls_ca.empty();
  if (tls_files != 0 && tls_files != 3)
    return "cluster.tls-certificate, cluster.tls-key and cluster.tls-ca go "
           "together: set all three or none";
  if (auto problem = validate(s.auth); !problem.empty())
    return problem;
  static constexpr std::array levels{"trace", "debug",    "info", "warn",
                                     "error", "critical", "off"};
  bool known_level = false;
  for (auto* level : levels)
    known_level = known_level || s.log.level == level;
  if (!known_level)
    return "log.level must be one of trace, debug, info, warn, error, "
           "critical, off";
  if (s.log.format != "text" && s.log.format != "json")
    return "log.format must be text or json";
  for (auto& proxy : s.http.trusted_proxies)
    if (!parse_ip_network(proxy))
      return "http.trusted-proxies: \"" + proxy +
             "\" is not an address nor a network (address/prefix)";
  return {};
}

bool ip_network::contains(
    const std::array<uint8_t, 16>& address) const noexcept {
  for (unsigned bit = 0; bit < prefix; bit += 8) {
    unsigned bits = std::min(8u, prefix - bit);
    auto mask = static_cast<uint8_t>(0xff00u >> bits);
    if ((address[bit / 8] & mask) != bytes[bit / 8])
      return false;
  }
  return true;
}

std::optional<ip_network> parse_ip_network(std::string_view text) {
  auto slash = text.find('/');
  boost::system::error_code ec;
  auto address =
      boost::asio::ip::make_address(std::string{text.substr(0, slash)}, ec);
  if (ec)
    return std::nullopt;
  ip_network net;
  unsigned offset = 0;
  if (address.is_v4()) {
    net.bytes = boost::asio::ip::make_address_v6(boost::asio::ip::v4_mapped,
                                                 address.to_v4())
                    .to_bytes();
    offset = 96;
  } else {
    net.bytes = address.to_v6().to_bytes();
  }
  net.prefix = 128;
  if (slash != std::string_view::npos) {
    auto digits = text.substr(slash + 1);
    unsigned length = 0;
    auto [end, err] =
        std::from_chars(digits.data(), digits.data() + digits.size(), length);
    if (digits.empty() || err != std::errc{} ||
        end != digits.data() + digits.size() || length > 128 - offset)
      return std::nullopt;
    net.prefix = offset + length;
  }
  // "10.0.0.1/8" is a mistake more often than a way to write 10.0.0.0/8.
  auto masked = net;
  for (unsigned bit = net.prefix; bit < 128; ++bit)
    masked.bytes[bit / 8] &= static_cast<uint8_t>(~(0x80u >> (bit % 8)));
  if (masked.bytes != net.bytes)
    return std::nullopt;
  return net;
}

std::optional<node_role> parse_node_role(std::string_view text) {
  for (auto role :
       {node_role::standalone, node_role::gateway, node_role::shard})
    if (text == to_string(role))
      return role;
  return std::nullopt;
}

const char* to_string(node_role role) {
  switch (role) {
  case node_role::standalone:
    return "standalone";
  case node_role::gateway:
    return "gateway";
  case node_role::shard:
    break;
  }
  return "shard";
}

std::string validate(const auth_settings& a) {
  if (!a.previous_hs256_secret_file.empty() && a.hs256_secret_file.empty())
    return "auth.previous-hs256-secret-file needs auth.hs256-secret-file";
  if (!a.previous_public_key_file.empty() && a.public_key_file.empty())
    return "auth.previous-public-key-file needs auth.public-key-file";
  if (a.leeway < duration::zero())
    return "auth.leeway must not be negative";
  if (a.user_rate < 1 || a.user_burst < 1)
    return "auth.user-rate and auth.user-burst must be at least 1";
  // Each entry holds a token of up to 4 KiB.
  if (a.token_cache > 1048576)
    return "auth.token-cache must be at most 1048576";
  return {};
}

std::optional<auth_mode> parse_auth_mode(std::string_view text) {
  if (text == "jwt")
    return auth_mode::jwt;
  if (text == "off")
    return auth_mode::off;
  return std::nullopt;
}

const char* to_string(auth_mode mode) {
  return mode == auth_mode::jwt ? "jwt" : "off";
}

std::optional<host_port> parse_host_port(const std::string& text) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0)
    return std::nullopt;
  auto digits = std::string_view{text}.substr(colon + 1);
  if (digits.empty() || digits.size() > 5 ||
      digits.find_first_not_of("0123456789") != std::string_view::npos)
    return std::nullopt;
  auto port = std::stoul(std::string{digits});
  if (port == 0 || port > 65535)
    return std::nullopt;
  return host_port{text.substr(0, colon), static_cast<uint16_t>(port)};
}

std::string mask_password(const std::string& url) {
  std::string out = url;
  // postgresql://user:secret@host
  auto scheme = out.find("://");
  if (scheme != std::string::npos) {
    auto authority = scheme + 3;
    auto at = out.find('@', authority);
    auto slash = out.find('/', authority);
    if (at != std::string::npos && (slash == std::string::npos || at < slash)) {
      auto colon = out.find(':', authority);
      if (colon != std::string::npos && colon < at)
        out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  // ...?password=secret&... and key/value strings: password=secret
  for (size_t pos = 0;
       (pos = out.find("password=", pos)) != std::string::npos;) {
    auto start = pos + 9;
    auto end = out.find_first_of("& ", start);
    if (end == std::string::npos)
      end = out.size();
    out.replace(start, end - start, "***");
    pos = start + 3;
  }
  return out;
}

namespace {

/// Which kinds of keys are configured, never their paths' contents.
std::string auth_keys(const auth_settings& a) {
  std::string keys;
  auto add = [&](const std::string& file, const char* name) {
    if (!file.empty())
      keys += (keys.empty() ? "" : ",") + std::string{name};
  };
  add(a.hs256_secret_file, "hs256");
  add(a.previous_hs256_secret_file, "previous-hs256");
  add(a.public_key_file, "public-key");
  add(a.previous_public_key_file, "previous-public-key");
  return keys;
}

} // namespace

std::string describe(const settings& s) {
  using std::to_string;
  auto ms = [](duration d) {
    return to_string(std::chrono::duration_cast<std::chrono::milliseconds>(d)
                         .count()) +
           "ms";
  };
  auto& h = s.http;
  auto& p = s.pipeline;
  auto& d = s.db;
  return "http.address=" + h.address + " http.port=" + to_string(h.port) +
         " http.threads=" + to_string(h.threads) +
         " http.body-limit=" + to_string(h.body_limit) +
         " http.header-limit=" + to_string(h.header_limit) +
         " http.max-connections=" + to_string(h.max_connections) +
         " http.max-pipeline=" + to_string(h.max_pipeline) +
         " http.request-deadline=" + ms(h.request_deadline) +
         " http.header-timeout=" + ms(h.header_timeout) +
         " http.idle-timeout=" + ms(h.idle_timeout) +
         " http.retry-after=" + to_string(h.retry_after) +
         " pipeline.shards=" + to_string(p.shards) +
         " pipeline.mailbox-limit=" + to_string(p.mailbox_limit) +
         " pipeline.batch-size=" + to_string(p.batch_size) +
         " pipeline.batch-linger=" + ms(p.batch_linger) +
         " db.url=" + mask_password(d.url) +
         " db.writers=" + to_string(d.writers) +
         " db.figure-slot=" + to_string(d.figure_slot) +
         " db.readers=" + to_string(d.readers) +
         " db.retry-backoff=" + ms(d.retry_backoff) +
         " db.retry-backoff-max=" + ms(d.retry_backoff_max) +
         " db.catalog-refresh=" + ms(d.catalog_refresh) +
         " log.level=" + s.log.level + " log.format=" + s.log.format +
         " log.access-log=" + (s.log.access_log ? "true" : "false") +
         " http.trusted-proxies=" + to_string(s.http.trusted_proxies.size()) +
         " cluster.role=" + to_string(s.cluster.role) +
         (s.cluster.role == node_role::shard
              ? " cluster.address=" + s.cluster.address +
                    " cluster.port=" + to_string(s.cluster.port)
              : std::string{}) +
         (s.cluster.role == node_role::gateway
              ? " cluster.shard-nodes=" +
                    to_string(s.cluster.shard_nodes.size())
              : std::string{}) +
         (s.cluster.tls() ? " cluster.tls=on" : "") +
         " auth.mode=" + to_string(s.auth.mode) +
         (s.auth.mode == auth_mode::jwt
              ? " auth.keys=" + auth_keys(s.auth) +
                    " auth.leeway=" + ms(s.auth.leeway) +
                    " auth.user-rate=" + to_string(s.auth.user_rate) +
                    " auth.user-burst=" + to_string(s.auth.user_burst) +
                    " auth.token-cache=" + to_string(s.auth.token_cache)
              : std::string{}) +
         " admin.address=" + s.admin.address +
         " admin.port=" + to_string(s.admin.port);
}

} // namespace heymovie::config
