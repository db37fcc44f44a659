// The tunables of the service, one struct per INI section. Plain values with
// their documented defaults; `service_config` binds them to CAF options and
// `config/heymovie.ini` lists every key with a comment.

#pragma once

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
  size_t readers = 2;
  /// First pause after a transient error; doubled up to `retry_backoff_max`.
  duration retry_backoff = 50ms;
  duration retry_backoff_max = 1s;
  /// How often the movie catalogue is read again; zero: only at start-up.
  duration catalog_refresh = 10s;
};

/// [log]: spdlog.
struct log_settings {
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
};

/// A shard node's address as `cluster.shard-nodes` lists it.
struct host_port {
  std::string host;
  uint16_t port = 0;
};

/// "host:port" (the port 1..65535) to its parts; nothing when malformed.
std::optional<host_port> parse_host_port(const std::string& text);

/// All sections together.
struct settings {
  http_settings http;
  pipeline_settings pipeline;
  db_settings db;
  log_settings log;
  cluster_settings cluster;
};

/// Checks value ranges and relations between keys; returns an empty string
/// when the settings are usable, else one line naming the offending key.
std::string validate(const settings& s);

/// Every setting as `section.key=value`, on one line, for the start-up log;
/// the database password masked.
std::string describe(const settings& s);

/// `url` with any password (`user:secret@` or `password=secret`) replaced by
/// `***`.
std::string mask_password(const std::string& url);

} // namespace heymovie::config
