// A shard node's front: the one actor a shard node publishes with CAF's
// middleman. Gateways ask it for the node's shards and then talk to them
// directly.

#pragma once

#include "actors/messages.hpp"

#include <caf/typed_event_based_actor.hpp>

#include <vector>

namespace heymovie::actors {

class shard_node_state {
public:
  static inline const char* name = "shard_node";

  using pointer = shard_node_actor::stateful_pointer<shard_node_state>;

  explicit shard_node_state(pointer self);

  shard_node_actor::behavior_type
  make_behavior(std::vector<rating_shard_actor> shards);

private:
  pointer self_;
  std::vector<rating_shard_actor> shards_;
};

/// Spawn with `sys.spawn(shard_node, shards)`.
shard_node_actor::behavior_type
shard_node(shard_node_state::pointer self,
           std::vector<rating_shard_actor> shards);

} // namespace heymovie::actors
