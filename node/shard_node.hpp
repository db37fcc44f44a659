// A shard node: the write pipeline (shards and DB writers) without HTTP, its
// shards published with CAF's middleman through one front actor
// (actors/shard_node.hpp) for the gateways to find. No catalogue: gateways
// validate the ratings they send here.

#pragma once

#include "actors/messages.hpp"
#include "config/service_config.hpp"
#include "node/node.hpp"
#include "node/write_pipeline.hpp"

#include <caf/io/middleman_actor.hpp>

#include <cstdint>

namespace heymovie::node {

class shard_node final : public node {
public:
  /// `cfg` has the middleman loaded.
  explicit shard_node(config::service_config& cfg);

  void drain() override;

private:
  bool start_role() override;
  void end_actors() override;
  /// The middleman, or with TLS the openssl manager that stands in for it.
  caf::io::middleman_actor network();

  write_pipeline writes_;
  actors::shard_node_actor front_;
  uint16_t port_ = 0;
};

} // namespace heymovie::node
