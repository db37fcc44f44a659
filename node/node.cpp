#include "node/node.hpp"

#include "node/gateway_node.hpp"
#include "node/shard_node.hpp"
#include "node/standalone_node.hpp"
#include "node/stop_signals.hpp"
#include "node/stop_watchdog.hpp"
#include "node/storage.hpp"
#include "persistence/movie_catalog.hpp"

#include <caf/io/middleman.hpp>
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

} // namespace

node::node(config::service_config& cfg) : settings_(cfg.values), sys_(cfg) {
  // nop
}

node::~node() = default;

void node::stop() {
  end_actors();
  sys_.await_all_actors_done();
}

std::chrono::nanoseconds node::drain_grace() const {
  return settings_.http.request_deadline + std::chrono::seconds{1};
}

std::unique_ptr<node> make_node(config::service_config& cfg) {
  auto& s = cfg.values;
  // Before any actor runs: waiting for the database, migrating, reading the
  // catalogue may fail, and nothing needs stopping then.
  auto db = open_database(s);
  switch (s.cluster.role) {
  case config::node_role::standalone:
    return std::make_unique<standalone_node>(cfg,
                                             persistence::read_movie_ids(*db));
  case config::node_role::gateway:
    cfg.load<caf::io::middleman>();
    return std::make_unique<gateway_node>(cfg,
                                          persistence::read_movie_ids(*db));
  case config::node_role::shard:
    break;
  }
  cfg.load<caf::io::middleman>();
  return std::make_unique<shard_node>(cfg);
}

int serve(config::service_config& cfg) {
  spdlog::info("configuration: {} scheduler.max-threads={}",
               config::describe(cfg.values),
               caf::get_or(cfg, "scheduler.max-threads", size_t{0}));
  raise_descriptor_limit();
  stop_signals signals;                  // before any other thread starts
  std::optional<stop_watchdog> watchdog; // outlives the node and its actors
  auto running = make_node(cfg);
  if (!running->start()) {
    running->stop();
    return 1;
  }
  signals.wait();
  watchdog.emplace(stop_watchdog::budget_for(cfg.values));
  running->drain();
  running->stop();
  running.reset();
  spdlog::info("stopped");
  return 0;
}

} // namespace heymovie::node
