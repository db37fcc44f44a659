#include "actors/shard_node.hpp"

namespace heymovie::actors {

shard_node_state::shard_node_state(pointer self) : self_(self) {
  // nop
}

shard_node_actor::behavior_type
shard_node_state::make_behavior(std::vector<rating_shard_actor> shards) {
  shards_ = std::move(shards);
  return {
      [this](shards_atom) { return shards_; },
  };
}

shard_node_actor::behavior_type
shard_node(shard_node_state::pointer self,
           std::vector<rating_shard_actor> shards) {
  return self->state.make_behavior(std::move(shards));
}

} // namespace heymovie::actors
