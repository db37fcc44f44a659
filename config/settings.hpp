// The tunables of the service, one struct per INI section. Plain values with
// their documented defaults; `service_config` binds them to CAF options and
// `config/heymovie.ini` lists every key with a comment.

#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace heymovie::config {

using duration = std::chrono::nanoseconds;
using namespace std::chrono_literals;

/// [http]: the Beast front end.
struct http_settings {
  std::string address = "0.0.0.0";
  uint16_t port = 8080;
  /// Asio threads, each running its own io_context.
  size_t threads = 1;
  size_t body_limit = 4096;
  size_t header_limit = 8192;
  size_t max_connections = 10000;
  /// Requests one connection may have in flight (pipelining).
  size_t max_pipeline = 16;
  /// From receipt of a request to its acknowledgement; past it, 503.
  duration request_deadline = 2s;
  /// From the first byte of a request to its last.
  duration header_timeout = 5s;
  /// Keep-alive connections with nothing to do are closed after this.
  duration idle_timeout = 60s;
  /// Seconds a client is told to wait in `Retry-After` on a 503.
  uint32_t retry_after = 1;
  /// Addresses or CIDR networks of proxies whose X-Forwarded-For names the
  /// client (in the logs); any other peer is the client itself.
  std::vector<std::string> trusted_proxies;
};

/// [pipeline]: router, rating shards and batching.
struct pipeline_settings {
  size_t shards = 4;
  /// Pending requests per shard (queued or being written); past it, 503.
  size_t mailbox_limit = 4096;
  size_t batch_size = 1000;
  /// Longest time a request waits for its batch to fill.
  duration batch_linger = 0ms;
};

/// [db]: PostgreSQL.
struct db_settings {
  std::string url = "postgresql:///heymovie";
  size_t writers = 1;
  /// The figure slot of the first writer; the others take the next ones.
  size_t figure_slot = 0;
  size_t readers = 2;
  /// First pause after a transient error; doubled up to `retry_backoff_max`.
  duration retry_backoff = 50ms;
  duration retry_backoff_max = 1s;
  /// How often the movie catalogue is read again; zero: only at start-up.
  duration catalog_refresh = 10s;
};

/// [log]: spdlog.
struct log_settings {
  /// text (spdlog's lines) or json (one object per line).
  std::string format = "text";
  std::string level = "info";
  bool access_log = false;
};

/// What a process of the service does (`cluster.role`).
enum class node_role : uint8_t {
  /// Everything in one process.
  standalone,
  /// HTTP, the router and the readers; the shards live on shard nodes.
  gateway,
  /// Shards and DB writers, published for gateways; no HTTP.
  shard,
};

/// "standalone", "gateway" or "shard" to the role; nothing otherwise.
std::optional<node_role> parse_node_role(std::string_view text);

const char* to_string(node_role role);

/// [cluster]: CAF's distribution layer.
struct cluster_settings {
  node_role role = node_role::standalone;
  /// Shown in X-Served-By and the logs; empty: none.
  std::string node_name;
  /// Where a shard node publishes its shards.
  std::string address = "127.0.0.1";
  uint16_t port = 4242;
  /// A gateway's shard nodes as "host:port", in the same order on every
  /// gateway: users map to their shards by position.
  std::vector<std::string> shard_nodes;
  /// Pause between attempts to reach a shard node that is down.
  duration reconnect_interval = 500ms;
  /// Mutual TLS between nodes (all three, or none): this node's
  /// certificate and key, and the CA that peers' certificates must be signed
  /// by (PEM files).
  std::string tls_certificate;
  std::string tls_key;
  std::string tls_ca;

  bool tls() const noexcept { return !tls_certificate.empty(); }
};

/// How requests prove who sends them (`auth.mode`).
enum class auth_mode : uint8_t {
  /// Bearer tokens (JWT), verified in-process.
  jwt,
  /// Anyone may act for any user: only on a trusted network.
  off,
};

/// "jwt" or "off" to the mode; nothing otherwise.
std::optional<auth_mode> parse_auth_mode(std::string_view text);

const char* to_string(auth_mode mode);

/// [auth]: bearer tokens and the per-user rate limit.
struct auth_settings {
  auth_mode mode = auth_mode::jwt;
  /// HS256: a file whose content, trailing whitespace removed, is the shared
  /// secret (at least 32 bytes).
  std::string hs256_secret_file;
  /// RS256 or ES256 (by the key's type): an identity provider's public key,
  /// PEM.
  std::string public_key_file;
  /// The keys before the current ones, still accepted during a rotation.
  std::string previous_hs256_secret_file;
  std::string previous_public_key_file;
  /// Checked when not empty: the tokens' `iss` and `aud`.
  std::string issuer;
  std::string audience;
  /// Slack for clocks that disagree, on `exp` and `nbf`.
  duration leeway = 30s;
  /// Ratings per second a user may send on average, and at once.
  size_t user_rate = 20;
  size_t user_burst = 40;
  /// Verified tokens remembered per HTTP thread (0: none).
  size_t token_cache = 65536;
};

/// [admin]: the operators' listener (/metrics), on every node.
struct admin_settings {
  std::string address = "127.0.0.1";
  uint16_t port = 9464;
};

/// A shard node's address as `cluster.shard-nodes` lists it.
struct host_port {
  std::string host;
  uint16_t port = 0;
};

/// "host:port" (the port 1..65535) to its parts; nothing when malformed.
std::optional<host_port> parse_host_port(const std::string& text);

/// An address, or a network of them: IPv4 kept as IPv4-mapped IPv6.
struct ip_network {
  std::array<uint8_t, 16> bytes{};
  unsigned prefix = 128;

  /// Whether `address` (IPv6 or IPv4-mapped IPv6 bytes) is in it.
  bool contains(const std::array<uint8_t, 16>& address) const noexcept;
};

/// "192.0.2.7", "10.0.0.0/8", "::1", "2001:db8::/32" to a network; nothing
/// when malformed or when bits are set past the prefix.
std::optional<ip_network> parse_ip_network(std::string_view text);

/// All sections together.
struct settings {
  http_settings http;
  pipeline_settings pipeline;
  db_settings db;
  log_settings log;
  cluster_settings cluster;
  auth_settings auth;
  admin_settings admin;
};

/// Checks value ranges and relations between keys; returns an empty string
/// when the settings are usable, else one line naming the offending key.
std::string validate(const settings& s);

/// The [auth] part of `validate`. (That jwt has a key is checked when a
/// node that serves clients starts: other commands need none.)
std::string validate(const auth_settings& a);

/// Every setting as `section.key=value`, on one line, for the start-up log;
/// the database password masked.
std::string describe(const settings& s);

/// `url` with any password (`user:secret@` or `password=secret`) replaced by
/// `***`.
std::string mask_password(const std::string& url);

} // namespace heymovie::config
