// A gateway's link to one shard node. It connects through CAF's middleman
// (asking the middleman actor, never blocking a scheduler thread), fetches
// the node's shards, installs them at their positions in the router, and
// monitors the node: when it goes away the router's own monitors retire its
// shards, and the link tries again every `reconnect-interval` until the node
// is back. With TLS the connection goes through CAF's openssl module, whose
// manager speaks the middleman's interface.

#pragma once

#include "actors/messages.hpp"

#include <caf/typed_event_based_actor.hpp>

#include <chrono>
#include <string>

namespace heymovie::actors {

struct shard_node_address {
  /// Position of the node in the gateway's list: its shards occupy
  /// positions [index * shards_per_node, (index + 1) * shards_per_node).
  uint32_t index = 0;
  std::string host;
  uint16_t port = 0;
  size_t shards_per_node = 0;
  std::chrono::nanoseconds reconnect_interval{std::chrono::milliseconds{500}};
  /// Connect with mutual TLS (CAF's openssl module, loaded and configured).
  bool tls = false;
};

class shard_node_link_state {
public:
  static inline const char* name = "shard_node_link";

  using pointer =
      shard_node_link_actor::stateful_pointer<shard_node_link_state>;

  explicit shard_node_link_state(pointer self);

  shard_node_link_actor::behavior_type make_behavior(shard_node_address node,
                                                     router_actor router);

private:
  void connect();
  void fetch_shards();
  void retry_later(const std::string& why);
  std::string where() const;

  pointer self_;
  shard_node_address node_;
  router_actor router_;
  shard_node_actor remote_;
  bool reported_failure_ = false;
};

/// Spawn with `sys.spawn(shard_node_link, node, router)`.
shard_node_link_actor::behavior_type
shard_node_link(shard_node_link_state::pointer self, shard_node_address node,
                router_actor router);

} // namespace heymovie::actors
