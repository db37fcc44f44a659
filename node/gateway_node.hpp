// A gateway: the HTTP front, routing to the shards of the shard nodes that
// `cluster.shard-nodes` lists (the same list, in the same order, on every
// gateway), one link actor per shard node keeping its shards in the router.

#pragma once

#include "actors/messages.hpp"
#include "config/service_config.hpp"
#include "node/http_front.hpp"
#include "node/node.hpp"

#include <cstdint>
#include <vector>

namespace heymovie::node {

class gateway_node final : public node {
public:
  /// `cfg` has the middleman loaded; `movie_ids`: the catalogue the database
  /// has now; `access`: who may do what.
  gateway_node(config::service_config& cfg, std::vector<int32_t> movie_ids,
               const http::access_settings& access);

  void drain() override;

private:
  bool start_role() override;
  void end_actors() override;

  http_front front_;
  std::vector<actors::shard_node_link_actor> links_;
};

} // namespace heymovie::node
