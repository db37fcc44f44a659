// A serving process of the service, whatever its role (config::node_role):
// it starts, drains when asked to stop, and stops. `serve` runs one from
// start to exit; the roles are standalone_node, gateway_node and shard_node.

#pragma once

#include "config/service_config.hpp"
#include "http/admin_listener.hpp"

#include <caf/actor_system.hpp>

#include <chrono>
#include <memory>

namespace heymovie::node {

class node {
public:
  virtual ~node();

  node(const node&) = delete;
  node& operator=(const node&) = delete;

  /// Starts serving: the admin listener, then the role's own listening or
  /// publishing; false, after saying why in the log, when it cannot.
  bool start();

  /// Takes no new work, and finishes what it accepted within `drain_grace`;
  /// logs how that went.
  virtual void drain() = 0;

  /// Stops every actor and waits until they are done, and the admin
  /// listener.
  void stop();

protected:
  /// The node's actor system, made from `cfg`.
  explicit node(config::service_config& cfg);

  /// The role's start: listening, publishing; false when it cannot.
  virtual bool start_role() = 0;

  /// Tells every long-lived actor of the node to exit. (Actors that talked
  /// to other nodes are kept alive by the middleman otherwise.)
  virtual void end_actors() = 0;

  /// How long a drain may take: an open request's deadline, and a second.
  std::chrono::nanoseconds drain_grace() const;

  const config::settings& settings_;
  /// Declared here, so that it is made before the roles' actors and
  /// destroyed after them.
  caf::actor_system sys_;
  /// /metrics for operators, on every role.
  http::admin_listener admin_;
};

/// The node of `cfg`'s role, ready to start: its database is reachable and
/// migrated, its actors run. Throws when the database stays unreachable.
std::unique_ptr<node> make_node(config::service_config& cfg);

/// Runs the node of `cfg`'s role until SIGINT or SIGTERM, then drains and
/// stops it within a budget (see stop_watchdog). Returns the process's exit
/// status.
int serve(config::service_config& cfg);

} // namespace heymovie::node
