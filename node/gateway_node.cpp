#include "node/gateway_node.hpp"

#include "actors/shard_node_link.hpp"
#include "node/storage.hpp"

#include <caf/exit_reason.hpp>
#include <caf/send.hpp>
#include <spdlog/spdlog.h>

namespace heymovie::node {

gateway_node::gateway_node(config::service_config& cfg,
                           std::vector<int32_t> movie_ids,
                           const http::access_settings& access)
    : node(cfg),
      front_(
          sys_, settings_, std::move(movie_ids),
          // Positions for every shard node's shards, filled by the links.
          std::vector<actors::rating_shard_actor>(
              settings_.cluster.shard_nodes.size() * settings_.pipeline.shards),
          postgres_readers(settings_), access) {
  auto& c = settings_.cluster;
  for (size_t i = 0; i < c.shard_nodes.size(); ++i) {
    // Validated with the rest of the configuration.
    auto node = config::parse_host_port(c.shard_nodes[i]).value();
    links_.push_back(sys_.spawn(
        actors::shard_node_link,
        actors::shard_node_address{static_cast<uint32_t>(i), node.host,
                                   node.port, settings_.pipeline.shards,
                                   c.reconnect_interval, c.tls()},
        front_.router()));
  }
}

bool gateway_node::start_role() {
  auto port = front_.start();
  if (!port)
    return false;
  spdlog::info("gateway listening on {}:{} ({} shards on {} shard nodes, {} "
               "http threads)",
               settings_.http.address, *port,
               links_.size() * settings_.pipeline.shards, links_.size(),
               settings_.http.threads);
  return true;
}

void gateway_node::drain() {
  front_.drain(drain_grace());
}

void gateway_node::end_actors() {
  front_.stop();
  for (auto& link : links_)
    caf::anon_send_exit(link, caf::exit_reason::user_shutdown);
  links_.clear();
}

} // namespace heymovie::node
