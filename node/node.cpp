#include "node/node.hpp"

#include "node/access.hpp"
#include "node/gateway_node.hpp"
#include "node/service_manager.hpp"
#include "node/shard_node.hpp"
#include "node/standalone_node.hpp"
#include "node/stop_signals.hpp"
#include "node/stop_watchdog.hpp"
#include "node/storage.hpp"
#include "persistence/movie_catalog.hpp"

#include <caf/atom.hpp>
#include <caf/defaults.hpp>
#include <caf/io/middleman.hpp>
#include <caf/openssl/manager.hpp>
#include <spdlog/spdlog.h>

#include <optional>
#include <sys/resource.h>

namespace heymovie::node {

namespace {

/// Many connections need many descriptors: take what the hard limit allows.
void raise_descriptor_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 &&
      limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

/// CAF's distribution layer, with mutual TLS when cluster.tls-* are set.
void load_cluster_modules(config::service_config& cfg) {
  cfg.load<caf::io::middleman>();
  auto& c = cfg.values.cluster;
  if (!c.tls())
    return;
  cfg.load<caf::openssl::manager>();
  cfg.openssl_certificate = c.tls_certificate;
  cfg.openssl_key = c.tls_key;
  cfg.openssl_cafile = c.tls_ca;
}

} // namespace

node::node(config::service_config& cfg)
    : settings_(cfg.values), sys_(cfg), admin_(settings_.admin) {
  // nop
}

node::~node() = default;

bool node::start() {
  auto admin_port = admin_.start();
  if (!admin_port)
    return false;
  spdlog::info("admin listener (/metrics) on {}:{}", settings_.admin.address,
               *admin_port);
  return start_role();
}

void node::stop() {
  end_actors();
  sys_.await_all_actors_done();
  admin_.stop();
}

std::chrono::nanoseconds node::drain_grace() const {
  return settings_.http.request_deadline + std::chrono::seconds{1};
}

std::unique_ptr<node> make_node(config::service_config& cfg) {
  auto& s = cfg.values;
  // Before any actor runs: waiting for the database, migrating, reading the
  // catalogue may fail, and nothing needs stopping then.
  auto db = open_database(s);
  if (s.cluster.role != config::node_role::standalone)
    load_cluster_modules(cfg);
  if (s.cluster.role == config::node_role::shard) {
    if (!s.cluster.tls())
      spdlog::warn("no cluster.tls-*: anyone who reaches {}:{} can write "
                   "ratings past every check of the gateways; keep the port "
                   "on the cluster's own network, or set mutual TLS",
                   s.cluster.address, s.cluster.port);
    return std::make_unique<shard_node>(cfg);
  }
  // Keys that cannot be used stop the start here too.
  auto access = load_access(s.auth);
  auto movies = persistence::read_movie_ids(*db);
  if (s.cluster.role == config::node_role::gateway)
    return std::make_unique<gateway_node>(cfg, std::move(movies), access);
  return std::make_unique<standalone_node>(cfg, std::move(movies), access);
}

int serve(config::service_config& cfg) {
  spdlog::info("configuration: {} scheduler.max-threads={} scheduler.policy={}",
               config::describe(cfg.values),
               caf::get_or(cfg, "scheduler.max-threads", size_t{0}),
               caf::to_string(caf::get_or(cfg, "scheduler.policy",
                                          caf::defaults::scheduler::policy)));
  raise_descriptor_limit();
  stop_signals signals;                  // before any other thread starts
  std::optional<stop_watchdog> watchdog; // outlives the node and its actors
  auto running = make_node(cfg);
  if (!running->start()) {
    running->stop();
    return 1;
  }
  tell_manager_ready();
  signals.wait();
  tell_manager_stopping();
  watchdog.emplace(stop_watchdog::budget_for(cfg.values));
  running->drain();
  running->stop();
  running.reset();
  spdlog::info("stopped");
  return 0;
}

} // namespace heymovie::node
