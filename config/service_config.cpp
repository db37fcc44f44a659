#include "config/service_config.hpp"

#include <caf/atom.hpp>
#include <caf/config_option_set.hpp>
#include <caf/config_value.hpp>

#include <cstdlib>
#include <fstream>

namespace heymovie::config {

namespace {

constexpr std::string_view config_file_flag = "--config-file=";

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

} // namespace

service_config::service_config() {
  auto& h = values.http;
  opt_group{custom_options_, "http"}
      .add(h.address, "address", "interface to listen on")
      .add(h.port, "port", "TCP port to listen on (0 picks a free one)")
      .add(h.threads, "threads", "Asio threads, one io_context each")
      .add(h.body_limit, "body-limit", "largest request body in bytes (413)")
      .add(h.header_limit, "header-limit", "largest request header (431)")
      .add(h.max_connections, "max-connections", "open connections at most")
      .add(h.max_pipeline, "max-pipeline", "requests in flight per connection")
      .add(h.request_deadline, "request-deadline",
           "receipt to acknowledgement; past it the answer is 503")
      .add(h.header_timeout, "header-timeout",
           "time for a request to arrive once its first byte has")
      .add(h.idle_timeout, "idle-timeout", "idle keep-alive connections close")
      .add(h.retry_after, "retry-after", "seconds sent in Retry-After on 503")
      .add(h.trusted_proxies, "trusted-proxies",
           "proxies whose X-Forwarded-For names the client, [\"10.0.0.0/8\"]");
  auto& p = values.pipeline;
  opt_group{custom_options_, "pipeline"}
      .add(p.shards, "shards", "rating shard actors")
      .add(p.mailbox_limit, "mailbox-limit", "pending requests per shard")
      .add(p.batch_size, "batch-size", "ratings per database transaction")
      .add(p.batch_linger, "batch-linger", "longest wait for a batch to fill");
  auto& d = values.db;
  opt_group{custom_options_, "db"}
      .add(d.url, "url", "libpq connection URI (DATABASE_URL overrides)")
      .add(d.writers, "writers", "DB-writer actors, one connection each")
      .add(d.figure_slot, "figure-slot",
           "figure slot of the first writer (0..15; one per process)")
      .add(d.readers, "readers",
           "reader connections (GET endpoints, catalogue)")
      .add(d.retry_backoff, "retry-backoff", "first pause after a DB error")
      .add(d.retry_backoff_max, "retry-backoff-max", "longest such pause")
      .add(d.catalog_refresh, "catalog-refresh",
           "how often the movie ids are read again (0: never)");
  auto& l = values.log;
  opt_group{custom_options_, "log"}
      .add(l.level, "level", "trace, debug, info, warn, error, critical or off")
      .add(l.format, "format", "text, or json: one object per line")
      .add(l.access_log, "access-log", "one line per HTTP request");
  auto& c = values.cluster;
  opt_group{custom_options_, "cluster"}
      .add(role_name_, "role", "standalone, gateway or shard")
      .add(c.node_name, "node-name", "name in X-Served-By and logs")
      .add(c.address, "address", "where a shard node publishes its shards")
      .add(c.port, "port", "port a shard node publishes its shards on")
      .add(c.shard_nodes, "shard-nodes",
           "a gateway's shard nodes, [\"host:port\", ...]")
      .add(c.reconnect_interval, "reconnect-interval",
           "pause between attempts to reach a shard node")
      .add(c.tls_certificate, "tls-certificate",
           "this node's certificate (PEM) for mutual TLS between nodes")
      .add(c.tls_key, "tls-key", "the key of that certificate (PEM)")
      .add(c.tls_ca, "tls-ca", "the CA that signs every node's certificate");
  auto& a = values.auth;
  opt_group{custom_options_, "auth"}
      .add(auth_mode_name_, "mode", "jwt (bearer tokens) or off")
      .add(a.hs256_secret_file, "hs256-secret-file",
           "file holding the HS256 shared secret")
      .add(a.public_key_file, "public-key-file",
           "PEM public key for RS256 or ES256 tokens")
      .add(a.previous_hs256_secret_file, "previous-hs256-secret-file",
           "the HS256 secret before the current one (rotation)")
      .add(a.previous_public_key_file, "previous-public-key-file",
           "the public key before the current one (rotation)")
      .add(a.issuer, "issuer", "required iss of tokens (empty: any)")
      .add(a.audience, "audience", "required aud of tokens (empty: any)")
      .add(a.leeway, "leeway", "clock slack on exp and nbf")
      .add(a.user_rate, "user-rate", "ratings per second per user")
      .add(a.user_burst, "user-burst", "ratings a user may send at once")
      .add(a.token_cache, "token-cache",
           "verified tokens remembered per HTTP thread");
  auto& ad = values.admin;
  opt_group{custom_options_, "admin"}
      .add(ad.address, "address", "interface of the admin listener")
      .add(ad.port, "port", "port of the admin listener (/metrics)");
  // One scheduler thread carries the router and the shards on the 2-core
  // machines we run on (each extra idle worker polls), and it waits for work
  // on a condition variable rather than polling and sleeping, which took
  // 1-2 us of CPU per rating (README, Tunables). INI and CLI override these.
  set("scheduler.max-threads", size_t{1});
  set("scheduler.policy", caf::atom("sharing"));
  // Between cluster nodes: notice a hung or vanished peer within seconds
  // (CAF's default is never).
  set("middleman.heartbeat-interval",
      caf::timespan{std::chrono::milliseconds{500}});
  set("middleman.connection-timeout", caf::timespan{std::chrono::seconds{3}});
}

std::string service_config::configure(const std::vector<std::string>& args) {
  std::string path = default_config_file;
  bool explicit_file = false;
  string_list caf_args;
  for (auto& arg : args) {
    if (starts_with(arg, config_file_flag)) {
      path = arg.substr(config_file_flag.size());
      explicit_file = true;
    } else {
      caf_args.push_back(arg);
    }
  }
  if (explicit_file && !std::ifstream{path})
    return "cannot open config file " + path;
  if (std::ifstream{path}) {
    if (auto problem = check_ini_file(path); !problem.empty())
      return problem;
  }
  if (auto err = parse(caf_args, path.c_str()))
    return "bad command line: " + render(err);
  if (!remainder.empty())
    return "unexpected argument: " + remainder.front();
  apply_environment(args);
  if (auto problem = parse_choices(); !problem.empty())
    return problem;
  return validate(values);
}

std::string service_config::parse_choices() {
  auto role = parse_node_role(role_name_);
  if (!role)
    return "cluster.role must be standalone, gateway or shard";
  values.cluster.role = *role;
  auto mode = parse_auth_mode(auth_mode_name_);
  if (!mode)
    return "auth.mode must be jwt or off";
  values.auth.mode = *mode;
  return {};
}

// CAF 0.17 silently drops INI values of the wrong type (`port="80"`,
// `port=70000`) and keeps unknown keys, so a typo would go unnoticed. Every
// key of the file is checked against the declared options here first.
std::string service_config::check_ini_file(const std::string& path) const {
  auto content = parse_config_file(path.c_str());
  if (!content)
    return "cannot parse " + path + ": " + render(content.error());
  for (auto& [section, entries] : *content) {
    auto* keys = caf::get_if<caf::config_value::dictionary>(&entries);
    if (keys == nullptr)
      return path + ": " + section + " is not a [section]";
    for (auto& [key, value] : *keys) {
      auto name = section + "." + key;
      auto* option = custom_options_.qualified_name_lookup(name);
      if (option == nullptr)
        return path + ": unknown key " + name;
      if (auto err = option->check(value))
        return path + ": " + name + " = " + caf::to_string(value) +
               " is not a valid " +
               std::string{option->type_name().data(),
                           option->type_name().size()};
    }
  }
  return {};
}

// DATABASE_URL beats the INI file, an explicit --db.url beats both.
void service_config::apply_environment(const std::vector<std::string>& args) {
  auto* env = std::getenv("DATABASE_URL");
  if (env == nullptr || *env == '\0')
    return;
  for (auto& arg : args)
    if (starts_with(arg, "--db.url="))
      return;
  values.db.url = env;
}

} // namespace heymovie::config
